// The ServiceAccount JWT authenticator's rules as a table: kube's pkg/serviceaccount/jwt.go (JWTTokenAuthenticator,
// hasCorrectIssuer), claims.go (validator.Validate) and legacy.go, with go-jose v2.6.3's errors. Every bad token is
// refused (null: not a ServiceAccount token, so the union says "invalid bearer token"; or a failure with kube's
// text) and none throws.
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { describe, test } from 'node:test';
import jsonwebtoken from 'jsonwebtoken';
import type { KubeObject } from '../../../../src/apimachinery/object.js';
import { boundTokenClaims, boundTokenValidator } from '../../../../src/authn/serviceaccount/bound.js';
import { jwtTokenGenerator } from '../../../../src/authn/serviceaccount/generator.js';
import { ERR_CRYPTO_FAILURE, jwtTokenAuthenticator } from '../../../../src/authn/serviceaccount/jwt.js';
import { keyIdFromPublicKey } from '../../../../src/authn/serviceaccount/key-id.js';
import { parsePrivateKeyPem, parsePublicKeysPem, withKeyIds } from '../../../../src/authn/serviceaccount/keys.js';
import { LAST_USED_LABEL, LEGACY_ISSUER, legacyTokenClaims, legacyTokenValidator } from '../../../../src/authn/serviceaccount/legacy.js';
import type { ServiceAccountTokenGetter } from '../../../../src/authn/serviceaccount/token-getter.js';
import type { AuthnResult } from '../../../../src/authn/types.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const AUDIENCES = [ISSUER];
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKey = createPublicKey(privateKey);
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
const generator = jwtTokenGenerator(ISSUER, privateKey);

const objects = new Map<string, KubeObject>();
const labelled: Record<string, string>[] = [];
function put(resource: string, namespace: string, name: string, uid: string, extra: Record<string, unknown> = {}): void {
  objects.set(`${resource}/${namespace}/${name}`, { apiVersion: 'v1', kind: resource, metadata: { name, namespace, uid }, ...extra } as KubeObject);
}
const getter: ServiceAccountTokenGetter = {
  getServiceAccount: (ns, name) => objects.get(`serviceaccounts/${ns}/${name}`),
  getSecret: (ns, name) => objects.get(`secrets/${ns}/${name}`),
  getPod: (ns, name) => objects.get(`pods/${ns}/${name}`),
  getNode: (name) => objects.get(`nodes//${name}`),
  labelSecret: (_ns, _name, _uid, labels) => void labelled.push(labels),
};
put('serviceaccounts', 'dev', 'builder', 'sa-uid');
put('pods', 'dev', 'p1', 'pod-uid');
put('nodes', '', 'n1', 'node-uid');

const keys = withKeyIds([publicKey, createPublicKey(ec)]);
const bound = jwtTokenAuthenticator({ name: 'serviceaccount', issuers: [ISSUER], keys, implicitAudiences: AUDIENCES, validator: boundTokenValidator(getter) });
const legacy = jwtTokenAuthenticator({ name: 'serviceaccount-legacy', issuers: [LEGACY_ISSUER], keys, implicitAudiences: AUDIENCES, validator: legacyTokenValidator(true, getter) });

const b64 = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

/** A token signed by hand: any header, any payload, any key and algorithm. */
function signed(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject = privateKey, alg = 'RS256'): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const hash = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', ES384: 'sha384' }[alg] ?? 'sha256';
  const sig = cryptoSign(hash, Buffer.from(input), alg.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${sig.toString('base64url')}`;
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { payload } = boundTokenClaims({ namespace: 'dev', serviceAccount: { name: 'builder', uid: 'sa-uid' }, expirationSeconds: 3600, audiences: AUDIENCES }, new Date());
  return { ...payload, iss: ISSUER, ...overrides };
}

const kid = keyIdFromPublicKey(publicKey);
const good = generator.generateToken(claims());

type Expect = 'ok' | null | string;
const CASES: { name: string; token: () => string; audiences?: string[]; want: Expect }[] = [
  { name: 'a token TokenRequest signs', token: () => good, want: 'ok' },
  { name: 'RS384 with the right key (go-jose accepts every RSA algorithm)', token: () => signed({ alg: 'RS384', kid }, claims(), privateKey, 'RS384'), want: 'ok' },
  { name: 'no kid: every key is tried', token: () => signed({ alg: 'RS256' }, claims()), want: 'ok' },
  { name: 'ES384 with the P-384 key', token: () => signed({ alg: 'ES384' }, claims(), ec, 'ES384'), want: 'ok' },
  { name: 'alg none, no signature', token: () => `${b64({ alg: 'none', kid })}.${b64(claims())}.`, want: ERR_CRYPTO_FAILURE },
  {
    name: 'HS256 keyed with the public key PEM',
    token: () => {
      const input = `${b64({ alg: 'HS256', kid })}.${b64(claims())}`;
      return `${input}.${createHmac('sha256', publicKey.export({ type: 'spki', format: 'pem' })).update(input).digest('base64url')}`;
    },
    want: ERR_CRYPTO_FAILURE,
  },
  { name: 'signed by an unknown key, no kid', token: () => signed({ alg: 'RS256' }, claims(), other), want: ERR_CRYPTO_FAILURE },
  // go-jose's DetachedVerify: a crit naming an extension it does not implement fails every key; b64 it knows, and
  // b64:false makes it check the signature over the raw payload, which a token signed over the encoded one fails.
  { name: 'crit naming an extension go-jose does not implement', token: () => signed({ alg: 'RS256', kid, crit: ['exp'] }, claims()), want: ERR_CRYPTO_FAILURE },
  { name: 'crit that is not a list of names', token: () => signed({ alg: 'RS256', kid, crit: 'exp' }, claims()), want: 'json: cannot unmarshal string into Go value of type []string' },
  { name: 'crit naming b64, which go-jose implements', token: () => signed({ alg: 'RS256', kid, crit: ['b64'], b64: true }, claims()), want: 'ok' },
  { name: 'b64 false over a signature of the encoded payload', token: () => signed({ alg: 'RS256', kid, b64: false }, claims()), want: ERR_CRYPTO_FAILURE },
  { name: 'a kid no key has', token: () => signed({ alg: 'RS256', kid: 'nope' }, claims(), other), want: 'invalid signature, no keys found' },
  { name: 'ES256 header with the P-384 key (only ES384 fits that curve)', token: () => signed({ alg: 'ES256' }, claims(), ec, 'ES384'), want: ERR_CRYPTO_FAILURE },
  { name: 'a payload changed after signing', token: () => { const [h, , s] = good.split('.'); return `${h}.${b64(claims({ sub: 'system:serviceaccount:kube-system:admin' }))}.${s}`; }, want: ERR_CRYPTO_FAILURE },
  { name: 'another issuer: not a ServiceAccount token', token: () => signed({ alg: 'RS256', kid }, claims({ iss: 'https://evil' })), want: null },
  { name: 'an issuer that is not a string', token: () => signed({ alg: 'RS256', kid }, claims({ iss: 7 })), want: null },
  { name: 'expired past the minute of leeway', token: () => signed({ alg: 'RS256', kid }, claims({ exp: now() - 61 })), want: 'service account token has expired' },
  { name: 'expired within the leeway', token: () => signed({ alg: 'RS256', kid }, claims({ exp: now() - 30 })), want: 'ok' },
  { name: 'not valid for two minutes yet', token: () => signed({ alg: 'RS256', kid }, claims({ nbf: now() + 120 })), want: 'service account token is not valid yet' },
  { name: 'issued in the future', token: () => signed({ alg: 'RS256', kid }, claims({ iat: now() + 120, nbf: now() })), want: 'service account token is issued in the future' },
  { name: 'exp not a number', token: () => signed({ alg: 'RS256', kid }, claims({ exp: 'soon' })), want: 'go-jose/go-jose/jwt: expected number value to unmarshal NumericDate' },
  {
    name: 'another audience',
    token: () => signed({ alg: 'RS256', kid }, claims({ aud: ['vault'] })),
    want: 'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]',
  },
  { name: 'another audience, asked for', token: () => signed({ alg: 'RS256', kid }, claims({ aud: ['vault'] })), audiences: ['vault'], want: 'ok' },
  { name: 'a ServiceAccount uid that is not the claim\'s', token: () => signed({ alg: 'RS256', kid }, claims({ 'kubernetes.io': { namespace: 'dev', serviceaccount: { name: 'builder', uid: 'old' } } })), want: 'service account UID (sa-uid) does not match claim (old)' },
  { name: 'a ServiceAccount that does not exist', token: () => signed({ alg: 'RS256', kid }, claims({ 'kubernetes.io': { namespace: 'dev', serviceaccount: { name: 'ghost', uid: 'x' } } })), want: 'serviceaccounts "ghost" not found' },
  { name: 'bound to a pod that is gone', token: () => signed({ alg: 'RS256', kid }, claims({ 'kubernetes.io': { namespace: 'dev', pod: { name: 'gone', uid: 'g' }, serviceaccount: { name: 'builder', uid: 'sa-uid' } } })), want: 'service account token has been invalidated' },
  { name: 'bound to a pod with another uid', token: () => signed({ alg: 'RS256', kid }, claims({ 'kubernetes.io': { namespace: 'dev', pod: { name: 'p1', uid: 'g' }, serviceaccount: { name: 'builder', uid: 'sa-uid' } } })), want: 'pod UID (pod-uid) does not match service account pod ref claim (g)' },
  { name: 'bound to a node with another uid', token: () => signed({ alg: 'RS256', kid }, claims({ 'kubernetes.io': { namespace: 'dev', node: { name: 'n1', uid: 'g' }, serviceaccount: { name: 'builder', uid: 'sa-uid' } } })), want: 'node UID (node-uid) does not match service account node ref claim (g)' },
  { name: 'no kubernetes.io claim: the ServiceAccount lookup of an empty name', token: () => signed({ alg: 'RS256', kid }, claims({ 'kubernetes.io': undefined })), want: 'resource name may not be empty' },
  { name: 'a header with = padding', token: () => { const [h, p, s2] = good.split('.'); return `${h}==.${p}.${s2}`; }, want: null },
  { name: 'two segments', token: () => good.split('.').slice(0, 2).join('.'), want: null },
  { name: 'four segments', token: () => `${good}.x`, want: null },
  { name: 'a payload that is not base64url', token: () => { const [h, , s] = good.split('.'); return `${h}.@@@.${s}`; }, want: null },
  { name: 'a payload that is not JSON', token: () => { const [h, , s] = good.split('.'); return `${h}.${b64('not json')}.${s}`; }, want: null },
  { name: 'a header that is not JSON', token: () => { const [, p, s] = good.split('.'); return `${b64('{')}.${p}.${s}`; }, want: null },
  { name: 'a kid that is not a string', token: () => { const [, p, s] = good.split('.'); return `${b64({ alg: 'RS256', kid: 1 })}.${p}.${s}`; }, want: null },
  { name: 'JSON serialization', token: () => JSON.stringify({ payload: good }), want: null },
  { name: 'a megabyte of claims', token: () => signed({ alg: 'RS256', kid }, claims({ junk: 'x'.repeat(1 << 20) })), want: 'ok' },
  { name: 'a megabyte of garbage with our issuer', token: () => `${b64({ alg: 'RS256' })}.${b64(claims({ junk: 'x'.repeat(1 << 20) }))}.${'A'.repeat(1 << 20)}`, want: ERR_CRYPTO_FAILURE },
];

function outcome(result: AuthnResult): Expect {
  if (result === null) return null;
  return result.ok ? 'ok' : result.reason;
}

describe('bound ServiceAccount tokens', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      assert.equal(outcome(await bound.authenticateToken(c.token(), c.audiences)), c.want);
    });
  }

  test('the user: name, uid, groups, and the pod, node and credential extras', async () => {
    const { payload, jti } = boundTokenClaims({ namespace: 'dev', serviceAccount: { name: 'builder', uid: 'sa-uid' }, pod: { name: 'p1', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' }, expirationSeconds: 3600, audiences: AUDIENCES }, new Date());
    const result = await bound.authenticateToken(generator.generateToken(payload));
    assert.deepEqual(result, {
      ok: true,
      authenticator: 'serviceaccount',
      audiences: AUDIENCES,
      user: {
        name: 'system:serviceaccount:dev:builder',
        uid: 'sa-uid',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:dev'],
        extra: {
          'authentication.kubernetes.io/pod-name': ['p1'],
          'authentication.kubernetes.io/pod-uid': ['pod-uid'],
          'authentication.kubernetes.io/credential-id': [`JTI=${jti}`],
          'authentication.kubernetes.io/node-name': ['n1'],
          'authentication.kubernetes.io/node-uid': ['node-uid'],
        },
      },
    });
  });
});

describe('the verified-token cache', () => {
  // kube keeps no verified tokens in its JWT authenticator; its token cache (tokencache) keys by a hash and keeps
  // the response. A TokenRequest token carries what audiences its requester asks for, so a cache keyed by the
  // token and keeping its claims must not keep a big one, or 4096 of them (a megabyte each) exhaust memory.
  test('keeps a token of ordinary size, and verifies a big one every time', async (t) => {
    const verify = t.mock.method(jsonwebtoken, 'verify');
    const fresh = jwtTokenAuthenticator({ name: 'serviceaccount', issuers: [ISSUER], keys, implicitAudiences: AUDIENCES, validator: boundTokenValidator(getter) });
    const small = generator.generateToken(claims());
    assert.equal(outcome(await fresh.authenticateToken(small)), 'ok');
    assert.equal(outcome(await fresh.authenticateToken(small)), 'ok');
    assert.equal(verify.mock.callCount(), 1);
    const big = generator.generateToken(claims({ aud: [ISSUER, 'x'.repeat(1 << 20)] }));
    assert.equal(outcome(await fresh.authenticateToken(big)), 'ok');
    assert.equal(outcome(await fresh.authenticateToken(big)), 'ok');
    assert.equal(verify.mock.callCount(), 3);
  });
});

describe('legacy ServiceAccount tokens', () => {
  const legacyGenerator = jwtTokenGenerator(LEGACY_ISSUER, privateKey);
  const token = legacyGenerator.generateToken(legacyTokenClaims({ namespace: 'dev', name: 'builder', uid: 'sa-uid' }, 'builder-token'));
  const secret = (data: string, labels: Record<string, string> = {}): void =>
    put('secrets', 'dev', 'builder-token', 'secret-uid', { data: { token: Buffer.from(data).toString('base64') }, metadata: { name: 'builder-token', namespace: 'dev', uid: 'secret-uid', labels } });

  test('legacy claims carry no iat, exp or aud, and iss kubernetes/serviceaccount', () => {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(payload), [
      'iss',
      'kubernetes.io/serviceaccount/namespace',
      'kubernetes.io/serviceaccount/secret.name',
      'kubernetes.io/serviceaccount/service-account.name',
      'kubernetes.io/serviceaccount/service-account.uid',
      'sub',
    ]);
  });

  test('with its Secret holding it: the user, no extras, and the Secret labelled as used today', async () => {
    secret(token);
    labelled.length = 0;
    const result = await legacy.authenticateToken(token);
    assert.deepEqual(result, { ok: true, authenticator: 'serviceaccount-legacy', audiences: AUDIENCES, user: { name: 'system:serviceaccount:dev:builder', uid: 'sa-uid', groups: ['system:serviceaccounts', 'system:serviceaccounts:dev'], extra: {} } });
    assert.deepEqual(labelled, [{ [LAST_USED_LABEL]: new Date().toISOString().slice(0, 10) }]);
  });

  const LEGACY_CASES: { name: string; setup: () => void; want: Expect }[] = [
    { name: 'a Secret holding another token', setup: () => secret('other'), want: "Token does not match server's copy" },
    { name: 'no Secret', setup: () => objects.delete('secrets/dev/builder-token'), want: 'Token has been invalidated' },
    {
      name: 'a Secret labelled invalid',
      setup: () => secret(token, { 'kubernetes.io/legacy-token-invalid-since': '2024-01-01' }),
      want: "the token in secret dev/builder-token for service account dev/builder has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token",
    },
    { name: 'the ServiceAccount recreated', setup: () => { secret(token); put('serviceaccounts', 'dev', 'builder', 'new-uid'); }, want: 'ServiceAccount UID (new-uid) does not match claim (sa-uid)' },
  ];
  for (const c of LEGACY_CASES) {
    test(c.name, async () => {
      c.setup();
      try {
        assert.equal(outcome(await legacy.authenticateToken(token)), c.want);
      } finally {
        put('serviceaccounts', 'dev', 'builder', 'sa-uid');
      }
    });
  }

  test('a legacy token is not a bound one, nor the reverse', async () => {
    assert.equal(await bound.authenticateToken(token), null);
    assert.equal(await legacy.authenticateToken(good), null);
  });

  test('without lookup, the claims alone decide', async () => {
    objects.delete('secrets/dev/builder-token');
    const noLookup = jwtTokenAuthenticator({ name: 'l', issuers: [LEGACY_ISSUER], keys, implicitAudiences: AUDIENCES, validator: legacyTokenValidator(false, getter) });
    assert.equal(outcome(await noLookup.authenticateToken(token)), 'ok');
    const badSub = legacyGenerator.generateToken({ ...legacyTokenClaims({ namespace: 'dev', name: 'builder', uid: 'sa-uid' }, 's'), sub: 'system:serviceaccount:dev:other' });
    assert.equal(outcome(await noLookup.authenticateToken(badSub)), 'sub claim is invalid');
  });
});

describe('keys as kube reads them', () => {
  test('public keys, private keys and certificates in one file, "EC PARAMETERS" skipped', () => {
    const text = [
      privateKey.export({ type: 'pkcs1', format: 'pem' }),
      '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n',
      createPublicKey(ec).export({ type: 'spki', format: 'pem' }),
      ec.export({ type: 'sec1', format: 'pem' }),
    ].join('');
    assert.equal(parsePublicKeysPem(text).length, 3);
  });

  test('a file without keys is kube\'s error', () => {
    assert.throws(() => parsePublicKeysPem('hello'), /^Error: data does not contain any valid RSA or ECDSA public keys$/);
    assert.throws(() => parsePrivateKeyPem(publicKey.export({ type: 'spki', format: 'pem' }) as string), /^Error: data does not contain a valid RSA or ECDSA private key$/);
  });
});
