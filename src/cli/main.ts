#!/usr/bin/env node
// The entry point. It notes which process started us before the commands load (a second or two under tsx), so
// that `serve` still sees a parent that dies meanwhile (src/cli/parent-watch.ts); then it runs the command.
import { noteLaunchParent } from './parent-watch.js';

noteLaunchParent(process.ppid);
const { main } = await import('./run.js');
process.exitCode = await main(process.argv.slice(2));
