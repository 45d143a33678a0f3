// Issue 9's tour with every kubectl on the machine: create a ServiceAccount, `kubectl create token` with a
// duration, an audience and a bound pod (protobuf bodies on recent kubectl), `auth whoami` with the token, and
// the token refused once its ServiceAccount is deleted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubectlBinaries, parseWhoami, runClient, tempDir } from '../helpers/clients.js';
import { useServer } from '../helpers/server.js';

const server = useServer();
let tmp: Awaited<ReturnType<typeof tempDir>>;
let admin: string;
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

before(async () => {
  const s = await server.ready();
  tmp = await tempDir('kam-kubectl-sa-');
  admin = await tmp.write('admin.kubeconfig', await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
});
after(async () => {
  await tmp?.remove();
});

const kubectl = (bin: string, ...args: string[]) => runClient(bin, ['--cache-dir', `${tmp.dir}/cache`, ...args]);

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

for (const [i, { name, path }] of kubectlBinaries().entries()) {
  const ns = `dev${i}`;
  test(`${name}: create serviceaccount, create token --duration --audience, whoami with it, revoked by delete`, async () => {
    const s = server();
    assert.equal((await kubectl(path, '--kubeconfig', admin, 'create', 'namespace', ns)).code, 0);
    const created = await kubectl(path, '--kubeconfig', admin, 'create', 'serviceaccount', 'builder', '-n', ns);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'serviceaccount/builder created\n');

    const issued = await kubectl(path, '--kubeconfig', admin, 'create', 'token', 'builder', '-n', ns, '--duration', '10m', '--audience', ISSUER);
    assert.equal(issued.code, 0, issued.stderr);
    const token = issued.stdout.trim();
    const claims = claimsOf(token);
    assert.equal((claims.exp as number) - (claims.iat as number), 600);
    assert.deepEqual(claims.aud, [ISSUER]);

    const whoami = await kubectl(path, '--server', s.url, '--certificate-authority', await tmp.write(`ca${i}.crt`, s.caCert), '--token', token, 'auth', 'whoami');
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.deepEqual(parseWhoami(whoami.stdout), { user: `system:serviceaccount:${ns}:builder`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });

    assert.equal((await kubectl(path, '--kubeconfig', admin, 'delete', 'serviceaccount', 'builder', '-n', ns)).code, 0);
    const refused = await kubectl(path, '--server', s.url, '--certificate-authority', `${tmp.dir}/ca${i}.crt`, '--token', token, 'auth', 'whoami');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
  });

  test(`${name}: create token bound to a pod, and a too short --duration is kube's error`, async () => {
    await kubectl(path, '--kubeconfig', admin, 'create', 'serviceaccount', 'runner', '-n', ns);
    const pod = await kubectl(path, '--kubeconfig', admin, 'run', 'p', '-n', ns, '--image', 'busybox', '--overrides', JSON.stringify({ spec: { serviceAccountName: 'runner' } }));
    assert.equal(pod.code, 0, pod.stderr);
    const bound = await kubectl(path, '--kubeconfig', admin, 'create', 'token', 'runner', '-n', ns, '--bound-object-kind', 'Pod', '--bound-object-name', 'p');
    assert.equal(bound.code, 0, bound.stderr);
    assert.equal((claimsOf(bound.stdout.trim())['kubernetes.io'] as { pod: { name: string } }).pod.name, 'p');

    const short = await kubectl(path, '--kubeconfig', admin, 'create', 'token', 'runner', '-n', ns, '--duration', '5m');
    assert.equal(short.code, 1);
    assert.equal(short.stderr, 'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n');
  });
}
