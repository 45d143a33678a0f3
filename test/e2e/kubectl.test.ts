// kubectl, oldest and newest on the machine, against an in-process server: whoami with each kind of
// identity (recent kubectl sends these as protobuf), with its uid (a certificate's is its UID subject attribute,
// read as kube 1.33+ reads it), 401 for bad credentials, discovery without errors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubectlBinaries, parseWhoami, runClient, tempDir, whoamiUid } from '../helpers/clients.js';
import { useServer } from '../helpers/server.js';

const server = useServer();
let tmp: Awaited<ReturnType<typeof tempDir>>;
const kubeconfigs: Record<string, string> = {};

before(async () => {
  const s = await server.ready();
  tmp = await tempDir('kam-kubectl-');
  kubeconfigs.cert = await tmp.write('cert.kubeconfig', await s.kubeconfig({ user: 'admin', groups: ['system:masters'], uid: 'u-admin', auth: 'cert' }));
  kubeconfigs.token = await tmp.write('token.kubeconfig', await s.kubeconfig({ user: 'jane', groups: ['dev', 'qa'], uid: 'u-1', auth: 'token' }));
  kubeconfigs.basic = await tmp.write('basic.kubeconfig', await s.kubeconfig({ user: 'bob', groups: ['testers'], uid: 'u-bob', auth: 'basic' }));
  const bad = (await s.kubeconfig({ user: 'x', auth: 'token' })).replace(/token: .*/, 'token: not-a-real-token');
  kubeconfigs.badToken = await tmp.write('bad.kubeconfig', bad);
});
after(async () => {
  await tmp?.remove();
});

const kubectl = (bin: string, kubeconfig: string, ...args: string[]) => runClient(bin, ['--kubeconfig', kubeconfig, '--cache-dir', `${tmp.dir}/cache`, ...args]);

const identities: { auth: 'cert' | 'token' | 'basic'; user: string; uid: string; groups: string[] }[] = [
  { auth: 'cert', user: 'admin', uid: 'u-admin', groups: ['system:masters', 'system:authenticated'] },
  { auth: 'token', user: 'jane', uid: 'u-1', groups: ['dev', 'qa', 'system:authenticated'] },
  { auth: 'basic', user: 'bob', uid: 'u-bob', groups: ['testers', 'system:authenticated'] },
];

for (const { name, path } of kubectlBinaries()) {
  for (const id of identities) {
    // Every kubectl here (1.27 on) prints the UID row when the review's uid is not empty (whoami.go).
    test(`${name} auth whoami with a ${id.auth} identity prints ${id.user}, its UID row and its groups`, async () => {
      const res = await kubectl(path, kubeconfigs[id.auth]!, 'auth', 'whoami');
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(parseWhoami(res.stdout), { user: id.user, groups: id.groups });
      assert.equal(whoamiUid(res.stdout), id.uid, res.stdout);
    });
  }

  test(`${name} with a wrong token gets kube's Unauthorized`, async () => {
    const res = await kubectl(path, kubeconfigs.badToken!, 'auth', 'whoami');
    assert.equal(res.code, 1);
    assert.equal(res.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
  });

  test(`${name} get --raw /version`, async () => {
    const res = await kubectl(path, kubeconfigs.token!, 'get', '--raw', '/version');
    assert.equal(res.code, 0, res.stderr);
    assert.equal(JSON.parse(res.stdout).gitVersion, 'v1.33.0');
  });

  test(`${name} api-resources: discovery completes without errors`, async () => {
    const res = await kubectl(path, kubeconfigs.cert!, 'api-resources');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /selfsubjectreviews\s+authentication\.k8s\.io\/v1\s+false\s+SelfSubjectReview/);
    assert.equal(res.stderr, '');
  });
}
