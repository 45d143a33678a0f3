// A large policy file is parsed off the request path (issue 6 item 6): while the server re-reads a policy
// folder holding a file just under the size limit, /readyz keeps answering. Shown by the order of events
// (answers counted between the reload's start and end log lines), not by timings.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { createLogger } from '../../src/util/log.js';
import { client, useServer } from '../helpers/server.js';

const logged = new EventEmitter();
const log = createLogger(
  'json',
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.emit('line', (JSON.parse(line) as { msg: string }).msg);
      done();
    },
  }),
);
const dir = await mkdtemp(join(tmpdir(), 'kam-reload-'));
after(() => rm(dir, { recursive: true, force: true }));
const server = useServer({ policyPaths: [dir], log });

/** Many small ClusterRoles: about 1 MiB of YAML, seconds of parsing and checking. */
function bigPolicy(): string {
  let out = '';
  for (let i = 0; out.length < 1024 * 1024; i++) {
    out += `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: big-${i}\nrules:\n- apiGroups: [""]\n  resources: [pods, configmaps]\n  verbs: [get, list]\n`;
  }
  return out;
}

test('/readyz keeps answering while a large policy file is parsed', async () => {
  const http = client(server());
  const started = new Promise<void>((resolve) => logged.on('line', (msg: string) => msg === 'RBAC policy files changed; reloading' && resolve()));
  let finished = false;
  const done = new Promise<string>((resolve) =>
    logged.on('line', (msg: string) => {
      if (/^RBAC policy reloaded|keeping the last good RBAC policy$/.test(msg)) {
        finished = true;
        resolve(msg);
      }
    }),
  );
  await writeFile(join(dir, 'big.yaml'), bigPolicy());
  await started;
  let answered = 0;
  while (!finished) {
    const res = await http.get('/readyz');
    assert.equal(res.status, 200);
    if (!finished) answered++;
  }
  assert.equal(await done, 'RBAC policy reloaded from 1 file(s)');
  assert.ok(answered >= 5, `only ${answered} /readyz answered during the reload`);
});
