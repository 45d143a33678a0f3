// What `serve` watches to stop when what started it is gone (src/cli/parent-watch.ts): --exit-with-parent and npm.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parentWatchMode } from '../../../src/cli/parent-watch.js';

const cases: { name: string; flag: boolean | undefined; env: NodeJS.ProcessEnv; want: { stdin: boolean; parent: boolean } }[] = [
  { name: 'started directly, no flag: nothing (a server may be meant to outlive its shell)', flag: undefined, env: {}, want: { stdin: false, parent: false } },
  { name: 'npm start: the parent, since npm passes no SIGTERM on', flag: undefined, env: { npm_lifecycle_event: 'start' }, want: { stdin: false, parent: true } },
  { name: 'npx kube-auth-mock serve: the parent', flag: undefined, env: { npm_lifecycle_event: 'npx' }, want: { stdin: false, parent: true } },
  { name: 'an empty npm_lifecycle_event is not npm', flag: undefined, env: { npm_lifecycle_event: '' }, want: { stdin: false, parent: false } },
  { name: '--exit-with-parent: the parent and standard input', flag: true, env: {}, want: { stdin: true, parent: true } },
  { name: '--exit-with-parent=false under npm: nothing', flag: false, env: { npm_lifecycle_event: 'start' }, want: { stdin: false, parent: false } },
];
for (const c of cases) {
  test(`parent watch: ${c.name}`, () => {
    assert.deepEqual(parentWatchMode(c.flag, c.env), c.want);
  });
}
