// The authenticating proxy end to end: the CLI started with the --requestheader-* flags of issue 10's example (kube's
// names), a proxy certificate issued by `pki cert --front-proxy`, and curl as the proxy (kubectl cannot send the
// identity headers itself). Rules: staging/src/k8s.io/apiserver/pkg/authentication/request/headerrequest/requestheader.go.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runClient, tempDir } from '../helpers/clients.js';
import { cli, serve, type ServeProcess } from '../helpers/cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: ServeProcess;
const pki = () => join(tmp.dir, 'pki');

before(async () => {
  tmp = await tempDir('kam-e2e-proxy-');
  const init = await cli('pki', 'init', '--pki-dir', pki());
  assert.equal(init.code, 0, init.stderr);
  server = await serve('--pki-dir', pki(), '--requestheader-client-ca-file', join(pki(), 'front-proxy-ca.crt'), '--requestheader-allowed-names', 'front-proxy-client',
    '--requestheader-username-headers', 'X-Remote-User', '--requestheader-group-headers', 'X-Remote-Group',
    '--requestheader-uid-headers', 'X-Remote-Uid', '--requestheader-extra-headers-prefix', 'X-Remote-Extra-');
});
after(async () => {
  await server?.stop();
  await tmp?.remove();
});

/** curl POSTing a SelfSubjectReview with a client certificate and headers; the status code on the last line. */
async function whoamiWithCurl(prefix: string, headers: string[]): Promise<{ status: number; body: string }> {
  const res = await runClient('curl', ['-sS', '--cacert', server.ready.caFile, '--cert', `${prefix}.crt`, '--key', `${prefix}.key`, '-H', 'Content-Type: application/json',
    ...headers.flatMap((h) => ['-H', h]), '-d', '{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}', '-w', '\n%{http_code}',
    `${server.ready.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`]);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n') };
}

test('pki cert --front-proxy issues a proxy certificate: curl with it and X-Remote-* headers is that user', async () => {
  const prefix = join(tmp.dir, 'proxy');
  const issued = await cli('pki', 'cert', '--front-proxy', '--pki-dir', pki(), '--user', 'front-proxy-client', '-o', prefix);
  assert.equal(issued.code, 0, issued.stderr);
  const res = await whoamiWithCurl(prefix, ['X-Remote-User: jane', 'X-Remote-Uid: u-jane', 'X-Remote-Group: dev', 'X-Remote-Group: qa', 'X-Remote-Extra-Scopes: read']);
  assert.equal(res.status, 201, res.body);
  assert.deepEqual(JSON.parse(res.body).status.userInfo, { username: 'jane', uid: 'u-jane', groups: ['dev', 'qa', 'system:authenticated'], extra: { scopes: ['read'] } });
});

test('a front-proxy certificate with a CN outside --requestheader-allowed-names is 401', async () => {
  const prefix = join(tmp.dir, 'intruder');
  assert.equal((await cli('pki', 'cert', '--front-proxy', '--pki-dir', pki(), '--user', 'intruder', '-o', prefix)).code, 0);
  assert.equal((await whoamiWithCurl(prefix, ['X-Remote-User: jane'])).status, 401);
});

test('a user\'s certificate with a smuggled X-Remote-User stays that user', async () => {
  const prefix = join(tmp.dir, 'carol');
  assert.equal((await cli('pki', 'cert', '--pki-dir', pki(), '--user', 'carol', '-o', prefix)).code, 0);
  const res = await whoamiWithCurl(prefix, ['X-Remote-User: system:admin', 'X-Remote-Group: system:masters']);
  assert.equal(res.status, 201, res.body);
  assert.deepEqual(JSON.parse(res.body).status.userInfo, { username: 'carol', groups: ['system:authenticated'], extra: JSON.parse(res.body).status.userInfo.extra });
});
