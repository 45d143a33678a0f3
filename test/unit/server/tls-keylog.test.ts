// --tls-keylog FILE (src/server/tls-keylog.ts): the file holds every connection's session secrets, so it ends up
// 0600 whatever was there, and only a regular file named directly is written: this server often runs as root, where
// following a planted symlink would append secrets to (and chmod) any file, and narrowing /dev/null would break the host.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { openKeyLog } from '../../../src/server/tls-keylog.js';
import { createLogger } from '../../../src/util/log.js';

const dir = mkdtempSync(join(tmpdir(), 'kam-keylog-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const log = createLogger('json', new Writable({ write: (_c, _e, done) => done() }));

test('a key log that exists with a wider mode is narrowed to 0600 and appended to', () => {
  const file = join(dir, 'wide.log');
  writeFileSync(file, 'CLIENT_RANDOM aa bb\n');
  chmodSync(file, 0o644);
  openKeyLog(file, log).close();
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(readFileSync(file, 'utf8'), 'CLIENT_RANDOM aa bb\n');
});

const refused: { name: string; make: () => string; reason: RegExp; untouched?: string }[] = [
  {
    name: 'a symlink to another file: refused, and its target neither written nor chmodded',
    make: () => {
      const target = join(dir, 'target');
      writeFileSync(target, 'precious\n');
      chmodSync(target, 0o644);
      symlinkSync(target, join(dir, 'link.log'));
      return join(dir, 'link.log');
    },
    reason: /link\.log: cannot open the TLS key log \(--tls-keylog\): it is a symbolic link; name the file itself$/,
    untouched: join(dir, 'target'),
  },
  {
    name: 'a FIFO: refused at once, start-up does not block waiting for a reader',
    make: () => {
      execFileSync('mkfifo', [join(dir, 'fifo.log')]);
      return join(dir, 'fifo.log');
    },
    reason: /fifo\.log: cannot open the TLS key log \(--tls-keylog\): it is not a regular file$/,
  },
  { name: 'a directory', make: () => dir, reason: /cannot open the TLS key log \(--tls-keylog\): EISDIR$/ },
];
for (const c of refused) {
  test(`key log: ${c.name}`, () => {
    const file = c.make();
    const before = c.untouched === undefined ? undefined : { mode: statSync(c.untouched).mode, text: readFileSync(c.untouched, 'utf8') };
    assert.throws(() => openKeyLog(file, log), c.reason);
    if (c.untouched !== undefined) assert.deepEqual({ mode: statSync(c.untouched).mode, text: readFileSync(c.untouched, 'utf8') }, before);
  });
}
