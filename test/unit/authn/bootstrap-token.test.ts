// The bootstrap token authenticator and its cluster-bootstrap helpers, as tables. Rows named "TestTokenAuthenticator: ..."
// are plugin/pkg/auth/authenticator/token/bootstrap/bootstrap_test.go's cases; "TestGetGroups: ...",
// "TestParseSecretName: ..." and "TestGetSecretString: ..." are k8s.io/cluster-bootstrap util/secrets/secrets_test.go's;
// the others pin what bootstrap.go does on paths those tests leave out. Every rejection is "not mine" (null), as
// kube's `return nil, false, nil`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/apimachinery/object.js';
import { bootstrapTokenAuthenticator, type SecretGetter } from '../../../src/authn/bootstrap-token.js';
import {
  generateBootstrapToken,
  getData,
  getGroups,
  isValidBootstrapToken,
  parseSecretName,
  validateBootstrapGroupName,
  validateUsages,
} from '../../../src/authn/cluster-bootstrap.js';

// Fake values of the kube test.
const tokenID = 'foobar'; // 6 letters
const tokenSecret = 'circumnavigation'; // 16 letters
const NOW = Date.parse('2025-06-01T00:00:00Z');

function secret(data: Record<string, string> | undefined, opts: { name?: string; namespace?: string; type?: string; deletionTimestamp?: string } = {}): KubeObject {
  const s: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: opts.name ?? `bootstrap-token-${tokenID}`, namespace: opts.namespace ?? 'kube-system', ...(opts.deletionTimestamp ? { deletionTimestamp: opts.deletionTimestamp } : {}) },
    type: opts.type ?? 'bootstrap.kubernetes.io/token',
  };
  if (data !== undefined) s.data = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'latin1').toString('base64')]));
  return s;
}
const valid = { 'token-id': tokenID, 'token-secret': tokenSecret, 'usage-bootstrap-authentication': 'true' };

function getter(secrets: KubeObject[]): SecretGetter {
  return { getSecret: (ns, name) => secrets.find((s) => s.metadata.namespace === ns && s.metadata.name === name) };
}

const user = (groups: string[]) => ({ ok: true, authenticator: 'bootstrap-token', user: { name: `system:bootstrap:${tokenID}`, uid: '', groups, extra: {} } });

const cases: { name: string; secrets: KubeObject[]; token: string; want: ReturnType<typeof user> | null }[] = [
  { name: 'TestTokenAuthenticator: valid token', secrets: [secret(valid)], token: `${tokenID}.${tokenSecret}`, want: user(['system:bootstrappers']) },
  {
    name: 'TestTokenAuthenticator: valid token with extra group',
    secrets: [secret({ ...valid, 'auth-extra-groups': 'system:bootstrappers:foo' })],
    token: `${tokenID}.${tokenSecret}`,
    want: user(['system:bootstrappers', 'system:bootstrappers:foo']),
  },
  { name: 'TestTokenAuthenticator: invalid group', secrets: [secret({ ...valid, 'auth-extra-groups': 'foo' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'TestTokenAuthenticator: invalid secret name', secrets: [secret(valid, { name: 'bad-name' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'TestTokenAuthenticator: no usage', secrets: [secret({ 'token-id': tokenID, 'token-secret': tokenSecret })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'TestTokenAuthenticator: wrong token', secrets: [secret(valid)], token: `barfoo.${tokenSecret}`, want: null },
  { name: 'TestTokenAuthenticator: deleted token', secrets: [secret(valid, { deletionTimestamp: '2025-06-01T00:00:00Z' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'TestTokenAuthenticator: expired token', secrets: [secret({ ...valid, expiration: '2009-11-10T23:00:00Z' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'TestTokenAuthenticator: not expired token', secrets: [secret({ ...valid, expiration: '2109-11-10T23:00:00Z' })], token: `${tokenID}.${tokenSecret}`, want: user(['system:bootstrappers']) },
  {
    name: 'TestTokenAuthenticator: token id wrong length',
    secrets: [secret({ ...valid, 'token-id': 'foo' }, { name: 'bootstrap-token-foo' })],
    token: `foo.${tokenSecret}`,
    want: null,
  },
  // bootstrap.go's other paths.
  { name: 'the token-secret differs (same length)', secrets: [secret(valid)], token: `${tokenID}.circumnavigatiox`, want: null },
  { name: 'the token-secret in the Secret is of another length: unequal, never a throw', secrets: [secret({ ...valid, 'token-secret': 'short' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'the Secret has no token-secret', secrets: [secret({ 'token-id': tokenID, 'usage-bootstrap-authentication': 'true' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'the Secret\'s token-id differs from its name\'s', secrets: [secret({ ...valid, 'token-id': 'abcdef' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'a Secret of another type ("has invalid type")', secrets: [secret(valid, { type: 'Opaque' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'a Secret without data ("|| secret.Data == nil")', secrets: [secret(undefined)], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'the Secret in another namespace than kube-system', secrets: [secret(valid, { namespace: 'default' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'expiration exactly now: expired (timeRemaining <= 0)', secrets: [secret({ ...valid, expiration: '2025-06-01T00:00:00Z' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'expiration one second ahead: valid', secrets: [secret({ ...valid, expiration: '2025-06-01T00:00:01Z' })], token: `${tokenID}.${tokenSecret}`, want: user(['system:bootstrappers']) },
  { name: 'expiration with an offset: the instant counts (01:00:01+01:00 is 00:00:01Z)', secrets: [secret({ ...valid, expiration: '2025-06-01T01:00:01+01:00' })], token: `${tokenID}.${tokenSecret}`, want: user(['system:bootstrappers']) },
  { name: 'an expiration that does not parse is treated as expired', secrets: [secret({ ...valid, expiration: 'tomorrow' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'usage-bootstrap-authentication other than "true" (TRUE)', secrets: [secret({ ...valid, 'usage-bootstrap-authentication': 'TRUE' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'usage-bootstrap-authentication "1"', secrets: [secret({ ...valid, 'usage-bootstrap-authentication': '1' })], token: `${tokenID}.${tokenSecret}`, want: null },
  {
    name: 'extra groups deduplicated and sorted',
    secrets: [secret({ ...valid, 'auth-extra-groups': 'system:bootstrappers:z,system:bootstrappers:a,system:bootstrappers:z' })],
    token: `${tokenID}.${tokenSecret}`,
    want: user(['system:bootstrappers', 'system:bootstrappers:a', 'system:bootstrappers:z']),
  },
  { name: 'one invalid extra group rejects the token', secrets: [secret({ ...valid, 'auth-extra-groups': 'system:bootstrappers:a,system:masters' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'an empty group between commas is invalid', secrets: [secret({ ...valid, 'auth-extra-groups': 'system:bootstrappers:a,' })], token: `${tokenID}.${tokenSecret}`, want: null },
  { name: 'upper case in the token is not of the form', secrets: [secret(valid)], token: `FOOBAR.${tokenSecret}`, want: null },
  { name: 'a token with a trailing newline is not of the form (Go\'s \\z)', secrets: [secret(valid)], token: `${tokenID}.${tokenSecret}\n`, want: null },
  { name: 'a static token (no dot) is not of the form', secrets: [secret(valid)], token: 'abcdefabcdefabcdef', want: null },
];

for (const c of cases) {
  test(`bootstrap token authenticator: ${c.name}`, async () => {
    const a = bootstrapTokenAuthenticator({ secrets: getter(c.secrets), now: () => NOW });
    assert.deepEqual(await a.authenticateToken(c.token), c.want);
  });
}

const groupCases: { name: string; data: Record<string, string> | undefined; want: { groups: string[] } | 'error' }[] = [
  { name: 'TestGetGroups: not set', data: {}, want: { groups: ['system:bootstrappers'] } },
  { name: 'TestGetGroups: set to empty value', data: { 'auth-extra-groups': '' }, want: { groups: ['system:bootstrappers'] } },
  { name: 'TestGetGroups: invalid prefix', data: { 'auth-extra-groups': 'foo' }, want: 'error' },
  {
    name: 'TestGetGroups: valid',
    data: { 'auth-extra-groups': 'system:bootstrappers:foo,system:bootstrappers:bar,system:bootstrappers:bar' },
    want: { groups: ['system:bootstrappers', 'system:bootstrappers:bar', 'system:bootstrappers:foo'] },
  },
];
for (const c of groupCases) {
  test(`getGroups: ${c.name}`, () => {
    const got = getGroups(secret(c.data));
    if (c.want === 'error') assert.ok('error' in got);
    else assert.deepEqual(got, c.want);
  });
}

test('validateBootstrapGroupName: kube\'s text, the pattern as Go spells it', () => {
  assert.equal(validateBootstrapGroupName('foo'), 'bootstrap group "foo" is invalid (must match \\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)');
  assert.equal(validateBootstrapGroupName('system:bootstrappers:kubeadm:default-node-token'), undefined);
  assert.equal(validateBootstrapGroupName(`system:bootstrappers:${'a'.repeat(256)}`), undefined);
  assert.notEqual(validateBootstrapGroupName(`system:bootstrappers:${'a'.repeat(257)}`), undefined);
  assert.notEqual(validateBootstrapGroupName('system:bootstrappers:a-'), undefined);
});

test('validateUsages: ValidateUsages\'s text, unknown usages sorted and deduplicated', () => {
  assert.equal(validateUsages(['signing', 'authentication']), undefined);
  assert.equal(validateUsages(['zz', 'signing', 'aa', 'zz']), 'invalid bootstrap token usage string: aa,zz, valid usage options: signing,authentication');
});

const nameCases: { name: string; input: string; want: string | undefined }[] = [
  { name: 'TestParseSecretName: valid name', input: 'bootstrap-token-abc123', want: 'abc123' },
  { name: 'TestParseSecretName: blank name', input: '', want: undefined },
  { name: 'TestParseSecretName: no prefix', input: 'abc123', want: undefined },
  { name: 'TestParseSecretName: no token ID', input: 'bootstrap-token-', want: undefined },
  { name: 'TestParseSecretName: short token ID', input: 'bootstrap-token-abc', want: undefined },
  { name: 'TestParseSecretName: long token ID', input: 'bootstrap-token-abc123ghi', want: undefined },
  { name: 'TestParseSecretName: invalid token ID', input: 'bootstrap-token-ABC123', want: undefined },
];
for (const c of nameCases) test(`parseSecretName: ${c.name}`, () => assert.equal(parseSecretName(c.input), c.want));

const dataCases: { name: string; s: KubeObject; key: string; want: string }[] = [
  { name: 'TestGetSecretString: existing key', s: secret({ foo: 'bar' }), key: 'foo', want: 'bar' },
  { name: 'TestGetSecretString: non-existing key', s: secret({ foo: 'bar' }), key: 'baz', want: '' },
  { name: 'TestGetSecretString: no data', s: secret(undefined), key: 'foo', want: '' },
];
for (const c of dataCases) test(`getData: ${c.name}`, () => assert.equal(getData(c.s, c.key), c.want));

test('generateBootstrapToken: [a-z0-9]{6}.[a-z0-9]{16}, different each time', () => {
  const a = generateBootstrapToken();
  assert.ok(isValidBootstrapToken(a), a);
  assert.notEqual(generateBootstrapToken(), a);
});
