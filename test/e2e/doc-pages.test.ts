// The docs whose examples are shell sessions run here, command by command, each page in its own empty folder and
// bash session with kube-auth-mock and the newest kubectl on PATH (test/helpers/doc-runner.ts): what a page shows is
// what these commands print today, so the pages cannot rot. `...` on a page stands for what varies from run to run.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { docMismatches, runDocPage } from '../helpers/doc-runner.js';

// tls-handshake.md's section 7 captures loopback traffic with tshark, which needs root (CI runs as root) or the
// wireshark group's rights.
const canCapture = existsSync('/usr/bin/tshark') && process.getuid?.() === 0;

interface DocPage {
  page: string;
  /** At least this many commands: a page whose blocks stopped being ```console would otherwise pass empty. */
  minCommands: number;
  /** A section that runs only when the machine can capture: its heading, and a command it must then have run. */
  capture?: { heading: string; command: string };
}

const PAGES: DocPage[] = [
  { page: 'docs/tls-handshake.md', minCommands: 10, capture: { heading: '## 7.', command: 'tshark' } },
  { page: 'docs/handshake.md', minCommands: 5 },
  { page: 'docs/inspect.md', minCommands: 8 },
];

for (const { page, minCommands, capture } of PAGES) {
  test(`every command of ${page} prints what the page shows`, async (t) => {
    const section = capture?.heading.replace(/^#+\s*/, '').replace(/\.$/, '');
    const skipFrom = capture !== undefined && !canCapture ? capture.heading : undefined;
    const { results, skipped } = await runDocPage(fileURLToPath(new URL(`../../${page}`, import.meta.url)), { skipFrom });
    assert.ok(results.length + skipped.length >= minCommands, `only ${results.length + skipped.length} commands found in ${page}`);
    if (capture !== undefined) {
      await t.test(`${page} section ${section} (a tshark capture) ran`, {
        skip: canCapture ? false : `tshark is missing or this user may not capture on lo: ${skipped.length} commands of section ${section} of ${page} were not run`,
      }, () => {
        assert.ok(results.some((r) => r.command.command.startsWith(capture.command)));
      });
    }
    assert.deepEqual(docMismatches(page, results), []);
  });
}
