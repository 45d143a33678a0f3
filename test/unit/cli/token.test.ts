// `token bootstrap list`'s pieces: kubeadm's BootstrapTokenFromSecret (cmd/kubeadm/app/apis/bootstraptoken/v1/utils.go;
// rows named "TestBootstrapTokenFromSecret: ..." are its utils_test.go cases) and its text printer (cmd/kubeadm/app/cmd/
// token.go: formatBootstrapToken in a text/tabwriter of minwidth 10, padding 3, flushed per token). The expected table
// was printed by Go with the same rows through kubeadm's own format strings and tabwriter settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/apimachinery/object.js';
import { parseGoRfc3339 } from '../../../src/apimachinery/go-time.js';
import { tokenFromSecret, tokenTable, type ListedToken } from '../../../src/cli/token.js';

function secret(name: string, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
  };
}
const minimum = { 'token-id': 'abcdef', 'token-secret': 'abcdef0123456789' };
const ref = '2025-06-01T12:00:00Z';
const t = (over: Partial<ListedToken>): ListedToken => ({ token: 'abcdef.abcdef0123456789', description: '', expires: undefined, usages: [], groups: [], ...over });

const cases: { name: string; secretName?: string; data: Record<string, string>; want: ListedToken | string }[] = [
  { name: 'TestBootstrapTokenFromSecret: minimum information', data: minimum, want: t({}) },
  {
    name: 'TestBootstrapTokenFromSecret: invalid token id',
    data: { ...minimum, 'token-id': 'abcdeF' },
    want: 'bootstrap token name is not of the form \'bootstrap-token-(token-id)\'. Actual: "bootstrap-token-abcdef". Expected: "bootstrap-token-abcdeF"',
  },
  {
    name: 'TestBootstrapTokenFromSecret: invalid secret naming',
    secretName: 'foo',
    data: minimum,
    want: 'bootstrap token name is not of the form \'bootstrap-token-(token-id)\'. Actual: "foo". Expected: "bootstrap-token-abcdef"',
  },
  {
    name: 'TestBootstrapTokenFromSecret: invalid token secret',
    data: { ...minimum, 'token-secret': 'ABCDEF0123456789' },
    want: 'bootstrap Token Secret is invalid and couldn\'t be parsed: the bootstrap token "abcdef.ABCDEF0123456789" was not of the form "\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z"',
  },
  { name: 'TestBootstrapTokenFromSecret: adds description', data: { ...minimum, description: 'foo' }, want: t({ description: 'foo' }) },
  { name: 'TestBootstrapTokenFromSecret: adds ttl', data: { ...minimum, expiration: ref }, want: t({ expires: parseGoRfc3339(ref) as ListedToken['expires'] }) },
  {
    name: 'TestBootstrapTokenFromSecret: invalid expiration',
    data: { ...minimum, expiration: 'invalid date' },
    want: 'can\'t parse expiration time of bootstrap token "bootstrap-token-abcdef": parsing time "invalid date" as "2006-01-02T15:04:05Z07:00": cannot parse "invalid date" as "2006"',
  },
  {
    name: 'TestBootstrapTokenFromSecret: adds usages (sorted)',
    data: { ...minimum, 'usage-bootstrap-signing': 'true', 'usage-bootstrap-authentication': 'true' },
    want: t({ usages: ['authentication', 'signing'] }),
  },
  {
    name: 'TestBootstrapTokenFromSecret: should ignore usages that aren\'t set to true',
    data: { ...minimum, 'usage-bootstrap-signing': 'true', 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-foo': 'false', 'usage-bootstrap-bar': '' },
    want: t({ usages: ['authentication', 'signing'] }),
  },
  {
    name: 'TestBootstrapTokenFromSecret: adds groups',
    data: { ...minimum, 'auth-extra-groups': 'system:bootstrappers,system:bootstrappers:foo' },
    want: t({ groups: ['system:bootstrappers', 'system:bootstrappers:foo'] }),
  },
  { name: 'no token-id', data: { 'token-secret': 'abcdef0123456789' }, want: 'bootstrap Token Secret has no token-id data: bootstrap-token-abcdef' },
  { name: 'no token-secret', data: { 'token-id': 'abcdef' }, want: 'bootstrap Token Secret has no token-secret data: bootstrap-token-abcdef' },
];
for (const c of cases) {
  test(`tokenFromSecret: ${c.name}`, () => {
    const got = tokenFromSecret(secret(c.secretName ?? 'bootstrap-token-abcdef', c.data));
    assert.deepEqual(got, typeof c.want === 'string' ? { error: c.want } : c.want);
  });
}

test('tokenTable: kubeadm\'s header once, rows padded by runes, each row after the first in a tabwriter of its own (recorded from Go)', () => {
  const expires = parseGoRfc3339('2026-12-05T04:01:43Z') as NonNullable<ListedToken['expires']>;
  const now = expires.ms - 23.5 * 3_600_000;
  const table = tokenTable(
    [
      t({ token: '000000.0123456789abcdef', usages: ['authentication', 'signing'], description: 'hé, a description longer than fifty-six characters, to see the padding', groups: ['system:bootstrappers:a', 'system:bootstrappers:b'] }),
      t({ token: 'abcdef.0123456789abcdef', expires, usages: ['signing'] }),
    ],
    now,
  );
  assert.equal(
    table,
    [
      'TOKEN                     TTL         EXPIRES   USAGES                   DESCRIPTION                                                              EXTRA GROUPS',
      '000000.0123456789abcdef   <forever>   <never>   authentication,signing   hé, a description longer than fifty-six characters, to see the padding   system:bootstrappers:a,system:bootstrappers:b',
      'abcdef.0123456789abcdef   23h         2026-12-05T04:01:43Z   signing                  <none>                                                     <none>',
      '',
    ].join('\n'),
  );
});

test('tokenTable: no tokens print nothing, not even the header', () => {
  assert.equal(tokenTable([], 0), '');
});
