// Debian's python3-kubernetes (the official Python client) against an in-process server: each kind of
// identity is seen as the right user, and bad credentials raise the client's 401 ApiException.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEBIAN_PYTHON, runClient, tempDir } from '../helpers/clients.js';
import { useServer } from '../helpers/server.js';

const server = useServer();
let tmp: Awaited<ReturnType<typeof tempDir>>;
let script: string;

// The client's own config loader and ApiClient (TLS, CA, client certs, bearer and basic auth); the call
// goes through call_api because python3-kubernetes 22 predates the typed SelfSubjectReview API.
const PY = `
import json, sys
from kubernetes import client, config
from kubernetes.client.rest import ApiException
api = config.new_client_from_config(config_file=sys.argv[1])
out = {}
try:
    out["version"] = client.VersionApi(api).get_code().git_version
    body = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    data = api.call_api("/apis/authentication.k8s.io/v1/selfsubjectreviews", "POST", body=body,
                        response_type="object", auth_settings=["BearerToken"], _return_http_data_only=True)
    out["user"] = data["status"]["userInfo"]
except ApiException as e:
    out["status"] = e.status
    out["body"] = json.loads(e.body)
print(json.dumps(out))
`;

before(async () => {
  const s = await server.ready();
  tmp = await tempDir('kam-python-');
  script = await tmp.write('whoami.py', PY);
});
after(async () => {
  await tmp?.remove();
});

const cases: { name: string; auth: 'cert' | 'token' | 'basic'; user: string; groups: string[]; spoil?: (yaml: string) => string }[] = [
  { name: 'client certificate', auth: 'cert', user: 'py-admin', groups: ['system:masters', 'system:authenticated'] },
  { name: 'bearer token', auth: 'token', user: 'py-token', groups: ['dev', 'system:authenticated'] },
  { name: 'basic auth', auth: 'basic', user: 'py-basic', groups: ['dev', 'system:authenticated'] },
];

for (const c of cases) {
  test(`python3-kubernetes with a ${c.name} is ${c.user}`, async () => {
    const kubeconfig = await tmp.write(`${c.auth}.kubeconfig`, await server().kubeconfig({ user: c.user, groups: c.groups.slice(0, -1), auth: c.auth }));
    const res = await runClient(DEBIAN_PYTHON, [script, kubeconfig]);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.equal(out.version, 'v1.33.0');
    assert.equal(out.user.username, c.user);
    assert.deepEqual(out.user.groups, c.groups);
  });
}

test('python3-kubernetes with a wrong token gets ApiException 401 and kube\'s Status body', async () => {
  const yaml = (await server().kubeconfig({ user: 'x', auth: 'token' })).replace(/token: .*/, 'token: wrong');
  const res = await runClient(DEBIAN_PYTHON, [script, await tmp.write('bad.kubeconfig', yaml)]);
  assert.equal(res.code, 0, res.stderr);
  const out = JSON.parse(res.stdout);
  assert.equal(out.status, 401);
  assert.deepEqual(out.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
});

test('python3-kubernetes with a ServiceAccount kubeconfig is the ServiceAccount', async () => {
  const kubeconfig = await tmp.write('sa.kubeconfig', await server().serviceAccountKubeconfig('kube-public/py-reader', { create: true }));
  const res = await runClient(DEBIAN_PYTHON, [script, kubeconfig]);
  assert.equal(res.code, 0, res.stderr);
  const out = JSON.parse(res.stdout);
  assert.equal(out.user.username, 'system:serviceaccount:kube-public:py-reader');
  assert.deepEqual(out.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:kube-public', 'system:authenticated']);
});

// load_incluster_config reads fixed paths; its loader class takes the two files and the environment, which is
// how a test points it at the files inCluster() writes.
const IN_CLUSTER_PY = `
import json, sys
from kubernetes import client
from kubernetes.config.incluster_config import InClusterConfigLoader
configuration = client.Configuration()
InClusterConfigLoader(token_filename=sys.argv[1] + "/token", cert_filename=sys.argv[1] + "/ca.crt").load_and_set(configuration)
api = client.ApiClient(configuration)
body = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
data = api.call_api("/apis/authentication.k8s.io/v1/selfsubjectreviews", "POST", body=body,
                    response_type="object", auth_settings=["BearerToken"], _return_http_data_only=True)
print(json.dumps(data["status"]["userInfo"]))
`;

test('python3-kubernetes in-cluster config reads the files inCluster() writes', async () => {
  const files = await server().inCluster('default/default', `${tmp.dir}/sa`);
  const script2 = await tmp.write('incluster.py', IN_CLUSTER_PY);
  const res = await runClient(DEBIAN_PYTHON, [script2, files.dir], { env: files.env });
  assert.equal(res.code, 0, res.stderr);
  assert.equal(JSON.parse(res.stdout).username, 'system:serviceaccount:default:default');
});
