// kubectl, oldest and newest on the machine, patching one container of a two-container pod: `kubectl patch`
// (strategic merge by default) and `kubectl set image` (a two-way strategic merge patch with
// $setElementOrder/containers) each change one image and keep the other container; a container without its
// merge key gets kube's own error text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubectlBinaries, runClient, tempDir } from '../helpers/clients.js';
import { useServer } from '../helpers/server.js';

const server = useServer({ authorizationMode: 'AlwaysAllow' });
let tmp: Awaited<ReturnType<typeof tempDir>>;
let kubeconfig: string;

before(async () => {
  const s = await server.ready();
  tmp = await tempDir('kam-kubectl-patch-');
  kubeconfig = await tmp.write('admin.kubeconfig', await s.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'token' }));
});
after(async () => {
  await tmp?.remove();
});

const kubectl = (bin: string, args: string[], input?: string) =>
  runClient(bin, ['--kubeconfig', kubeconfig, '--cache-dir', `${tmp.dir}/cache`, ...args], input === undefined ? {} : { input });

const IMAGES = '{range .spec.containers[*]}{.name}={.image}{" "}{end}';

for (const { name, path } of kubectlBinaries()) {
  test(`${name} patch and set image change one container of a two-container pod and keep the other`, async () => {
    const pod = `web-${name.replace(/\./g, '-')}`;
    const manifest = await tmp.write(
      `${pod}.json`,
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'sidecar', image: 'envoy:1.30' }] } }),
    );
    const created = await kubectl(path, ['create', '-f', manifest]);
    assert.equal(created.code, 0, created.stderr);

    const patched = await kubectl(path, ['patch', 'pod', pod, '-n', 'default', '--type', 'strategic', '-p', '{"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}']);
    assert.equal(patched.code, 0, patched.stderr);
    assert.equal(patched.stdout.trim(), `pod/${pod} patched`);

    const set = await kubectl(path, ['set', 'image', `pod/${pod}`, '-n', 'default', 'sidecar=envoy:1.31']);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout.trim(), `pod/${pod} image updated`);

    const images = await kubectl(path, ['get', 'pod', pod, '-n', 'default', '-o', `jsonpath=${IMAGES}`]);
    assert.equal(images.code, 0, images.stderr);
    assert.equal(images.stdout.trim(), 'app=nginx:1.27 sidecar=envoy:1.31');

    const refused = await kubectl(path, ['patch', 'pod', pod, '-n', 'default', '-p', '{"spec":{"containers":[{"image":"nginx:1.28"}]}}']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim(), 'Error from server: map: map[image:nginx:1.28] does not contain declared merge key: name');
  });
}
