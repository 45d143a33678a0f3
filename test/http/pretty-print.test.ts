// Pretty-printed JSON for people's tools, as kube-apiserver answers them: negotiate.go isPrettyPrint picks
// the PrettySerializer (json.MarshalIndent(obj, "", "  "), no final newline: apimachinery
// runtime/serializer/json/json.go doEncode); kubectl and other clients keep the compact form with its newline.
// Status errors go through the same negotiation (responsewriters.ErrorNegotiated), so a 403 for curl is pretty too.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { client, credentialsOf, useServer } from '../helpers/server.js';

const server = useServer();
let admin: { cert: string; key: string };
let bob: string;

before(async () => {
  const s = await server.ready();
  const c = credentialsOf(await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'cert' }));
  admin = { cert: c.cert!, key: c.key! };
  bob = credentialsOf(await s.kubeconfig({ user: 'bob', auth: 'token' })).token!;
});

const assertPretty = (text: string): void => {
  assert.equal(text, JSON.stringify(JSON.parse(text), null, 2), 'two-space MarshalIndent form');
  assert.ok(!text.endsWith('\n'), 'no final newline');
};
const assertCompact = (text: string): void => {
  assert.equal(text, `${JSON.stringify(JSON.parse(text))}\n`, 'json.Encoder form, one final newline');
};

const cases: { name: string; userAgent?: string; query?: string; pretty: boolean }[] = [
  { name: 'curl', userAgent: 'curl/8.5.0', pretty: true },
  { name: 'a browser', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', pretty: true },
  { name: '?pretty=true with kubectl', userAgent: 'kubectl/v1.34.4 (linux/amd64) kubernetes/abcdef0', query: '?pretty=true', pretty: true },
  { name: 'kubectl', userAgent: 'kubectl/v1.34.4 (linux/amd64) kubernetes/abcdef0', pretty: false },
  { name: '?pretty=false with curl', userAgent: 'curl/8.5.0', query: '?pretty=false', pretty: false },
];

for (const c of cases) {
  test(`GET a list: ${c.name} -> ${c.pretty ? 'pretty' : 'compact'}`, async () => {
    let req = client(server()).get(`/api/v1/namespaces${c.query ?? ''}`).cert(admin.cert).key(admin.key).buffer(true);
    if (c.userAgent !== undefined) req = req.set('User-Agent', c.userAgent);
    const res = await req;
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
    assert.equal(JSON.parse(res.text).kind, 'NamespaceList');
    (c.pretty ? assertPretty : assertCompact)(res.text);
  });
}

test('a 403 Status for curl is pretty, for kubectl compact', async () => {
  for (const [userAgent, pretty] of [['curl/8.5.0', true], ['kubectl/v1.34.4 (linux/amd64) kubernetes/abcdef0', false]] as const) {
    const res = await client(server()).get('/api/v1/namespaces/default/pods').set('Authorization', `Bearer ${bob}`).set('User-Agent', userAgent).buffer(true);
    assert.equal(res.status, 403);
    const status = JSON.parse(res.text);
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'Forbidden');
    (pretty ? assertPretty : assertCompact)(res.text);
  }
});
