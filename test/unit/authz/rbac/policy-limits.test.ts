// Policy files that would exhaust the server (issue 6 items 6 and 8): a file over the size limit is refused
// unread, a YAML alias bomb is refused per document, and either way the last good policy stays and the
// warning names the file. kube-apiserver reads no policy files; the limit is its request body limit
// (MaxRequestBodyBytes, staging/src/k8s.io/apiserver/pkg/server/config.go) and the alias wording go-yaml's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createApiStore } from '../../../../src/api/groups/index.js';
import { startLivePolicy, type LivePolicy } from '../../../../src/authz/rbac/live-policy.js';
import { MAX_POLICY_FILE_BYTES } from '../../../../src/authz/rbac/policy-files.js';
import { loadPolicyFilesOffThread } from '../../../../src/authz/rbac/policy-off-thread.js';
import type { Attributes } from '../../../../src/authz/types.js';
import { rbacStoreOf } from '../../../../src/server/rbac-store.js';
import { JANE_READS_PODS_IN_DEV } from '../../../helpers/policies.js';

const GOOD = JANE_READS_PODS_IN_DEV;
const BILLION_LAUGHS = `${['a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n')}\n`;

const janeListsPods: Attributes = {
  user: { name: 'jane', uid: '', groups: ['system:authenticated'], extra: {} },
  verb: 'list', isResourceRequest: true, path: '', namespace: 'dev', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: '',
};
const log = { lines: [] as string[], info(m: string) { this.lines.push(m); }, warn(m: string) { this.lines.push(`WARN ${m}`); } };

let dir: string;
let file: string;
let live: LivePolicy;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kam-limits-'));
  file = join(dir, 'team.yaml');
  await writeFile(file, GOOD);
  const store = createApiStore();
  live = await startLivePolicy(rbacStoreOf(store), { policyPaths: [dir], bootstrap: false, watch: false, log });
});
after(async () => {
  live?.close();
  await rm(dir, { recursive: true, force: true });
});

test('a policy file over 3 MiB is refused unread, naming file and size, and the last good policy stays', async () => {
  assert.equal(MAX_POLICY_FILE_BYTES, 3 * 1024 * 1024);
  // Valid YAML (a comment after good objects): only its size is wrong.
  await writeFile(file, `${GOOD}# ${'x'.repeat(MAX_POLICY_FILE_BYTES)}\n`);
  const { size } = await stat(file);
  await live.reload();
  assert.equal(log.lines.at(-1), `WARN ${file}: is ${size} bytes, over the 3145728 byte (3 MiB) limit for policy files; keeping the last good RBAC policy`);
  assert.equal((await live.authorizer.authorize(janeListsPods)).decision, 'allow');
});

test('a file of exactly 3 MiB is read', async () => {
  const padding = MAX_POLICY_FILE_BYTES - Buffer.byteLength(GOOD) - 3;
  await writeFile(file, `${GOOD}# ${'x'.repeat(padding)}\n`);
  assert.equal((await stat(file)).size, MAX_POLICY_FILE_BYTES);
  await live.reload();
  assert.equal(log.lines.at(-1), 'RBAC policy reloaded from 1 file(s)');
});

test('a YAML alias bomb on reload is refused naming file and document, and the last good policy stays', async () => {
  await writeFile(file, `${GOOD}---\n${BILLION_LAUGHS}`);
  await live.reload();
  assert.equal(log.lines.at(-1), `WARN ${file}: document 2: yaml: document contains excessive aliasing; keeping the last good RBAC policy`);
  assert.equal((await live.authorizer.authorize(janeListsPods)).decision, 'allow');
});

test('a FIFO named as a policy file is refused at once, naming it, instead of hanging the reader until a writer comes', async () => {
  const fifoDir = await mkdtemp(join(tmpdir(), 'kam-fifo-'));
  try {
    const fifo = join(fifoDir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(loadPolicyFilesOffThread([fifo]), {
      name: 'ConfigError',
      message: `${fifo}: is not a regular file (a pipe or device cannot be re-read when policy files change)`,
    });
  } finally {
    await rm(fifoDir, { recursive: true, force: true });
  }
});

test('close() during a reload ends it: what the reload was reading is never applied, and nothing is logged after close', async () => {
  const own = join(dir, 'closing');
  await mkdir(own);
  const ownFile = join(own, 'team.yaml');
  await writeFile(ownFile, GOOD);
  const store = createApiStore();
  const ownLog = { lines: [] as string[], info(m: string) { this.lines.push(m); }, warn(m: string) { this.lines.push(`WARN ${m}`); } };
  const closing = await startLivePolicy(rbacStoreOf(store), { policyPaths: [own], bootstrap: false, watch: false, log: ownLog });
  await writeFile(ownFile, GOOD.replace('name: jane', 'name: joe'));
  const reloading = closing.reload();
  closing.close();
  await reloading;
  assert.deepEqual(ownLog.lines, ['RBAC policy files changed; reloading']);
  assert.equal((await closing.authorizer.authorize(janeListsPods)).decision, 'allow');
  assert.notEqual((await closing.authorizer.authorize({ ...janeListsPods, user: { ...janeListsPods.user, name: 'joe' } })).decision, 'allow');
});
