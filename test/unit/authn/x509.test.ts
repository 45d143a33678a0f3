// Cases from staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509_test.go (TestX509,
// TestX509Verifier), with certificates made by our own PKI at test time.
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { x509Authenticator } from '../../../src/authn/x509.js';
import type { AuthnResult } from '../../../src/authn/types.js';
import forge from 'node-forge';
import { createCa, issueClientCert, issueCustomCert, type IssuedCert } from '../../../src/pki/index.js';
import { issueOddCert } from '../../helpers/odd-certs.js';

let ca: IssuedCert;
let otherCa: IssuedCert;
let intermediate: IssuedCert;
const chains: Record<string, () => Promise<X509Certificate[]>> = {};
const DAY = 24 * 60 * 60 * 1000;
/** An extension OID no implementation knows (a private enterprise arc), its value a DER NULL. */
const UNKNOWN_EXTENSION = (critical: boolean) => ({ id: '1.3.6.1.4.1.99999.1', critical, value: Buffer.from('0500', 'hex') });

before(async () => {
  [ca, otherCa] = await Promise.all([createCa({ commonName: 'test-ca' }), createCa({ commonName: 'other-ca' })]);
  intermediate = await issueCustomCert(ca, { profile: 'ca', subject: { commonName: 'intermediate' } });
});

const leaf = async (issuer: () => IssuedCert, opts: Partial<Parameters<typeof issueClientCert>[1]> = {}) =>
  (await issueClientCert(issuer(), { user: 'jane', groups: ['dev', 'qa'], ...opts })).cert;

const cases: { name: string; chain: () => Promise<X509Certificate[]>; want: 'jane' | 'none' | RegExp; groups?: string[] }[] = [
  { name: 'TestX509: valid client certificate maps CN to user and each O to a group', chain: async () => [await leaf(() => ca)], want: 'jane', groups: ['dev', 'qa'] },
  { name: 'no client certificate is not this authenticator\'s business', chain: async () => [], want: 'none' },
  { name: 'TestX509: certificate from another CA', chain: async () => [await leaf(() => otherCa)], want: /signed by unknown authority/ },
  { name: 'TestX509: expired certificate', chain: async () => [await leaf(() => ca, { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) })], want: /has expired or is not yet valid: current time .* is after/ },
  { name: 'not yet valid certificate', chain: async () => [await leaf(() => ca, { notBefore: new Date(Date.now() + DAY), notAfter: new Date(Date.now() + 10 * DAY) })], want: /has expired or is not yet valid: current time .* is before/ },
  { name: 'TestX509: server-only usage is an incompatible key usage', chain: async () => [await leaf(() => ca, { extKeyUsage: ['serverAuth'] })], want: /incompatible key usage/ },
  { name: 'no extended key usage at all allows any usage, as in Go', chain: async () => [await leaf(() => ca, { extKeyUsage: [] })], want: 'jane' },
  { name: 'TestX509Verifier: intermediate sent by the client', chain: async () => [await leaf(() => intermediate), intermediate.cert], want: 'jane' },
  { name: 'intermediate missing from the chain', chain: async () => [await leaf(() => intermediate)], want: /signed by unknown authority/ },
  { name: 'a client certificate used as an intermediate is refused', chain: async () => {
    const notCa = await issueClientCert(ca, { user: 'mid' });
    return [await leaf(() => notCa), notCa.cert];
  }, want: /signed by unknown authority/ },
];

for (const c of cases) {
  test(`x509: ${c.name}`, async () => {
    const authenticator = x509Authenticator({ roots: () => [ca.cert] });
    const result: AuthnResult = await authenticator.authenticate({ headers: {}, peerCertificates: await c.chain() });
    if (c.want === 'none') return assert.equal(result, null);
    if (c.want === 'jane') {
      assert.equal(result?.ok, true, JSON.stringify(result));
      if (result?.ok) {
        assert.equal(result.user.name, 'jane');
        assert.deepEqual(result.user.groups, c.groups ?? ['dev', 'qa']);
        assert.equal(result.authenticator, 'x509');
      }
      return;
    }
    assert.equal(result?.ok, false);
    if (result && !result.ok) assert.match(result.reason, c.want);
  });
}

test('a verified chain is re-checked once the clock passes its expiry', async () => {
  let now = new Date();
  const cert = await leaf(() => ca, { notAfter: new Date(Date.now() + DAY) });
  const authenticator = x509Authenticator({ roots: () => [ca.cert], now: () => now });
  assert.equal((await authenticator.authenticate({ headers: {}, peerCertificates: [cert] }))?.ok, true);
  now = new Date(Date.now() + 2 * DAY);
  assert.equal((await authenticator.authenticate({ headers: {}, peerCertificates: [cert] }))?.ok, false);
});

// A fixed certificate (test/fixtures/x509/README.md) so that its credential id is a literal, from OpenSSL's
// `-fingerprint -sha256`, not recomputed here the way the code computes it.
test('x509: CN and O are read unescaped, as Go holds them, and the credential-id extra names the certificate', async () => {
  const fixture = (name: string) => new X509Certificate(readFileSync(new URL(`../../fixtures/x509/${name}`, import.meta.url)));
  const result = await x509Authenticator({ roots: () => [fixture('fixture-ca.crt')] }).authenticate({ headers: {}, peerCertificates: [fixture('jane-escaped.crt')] });
  // x509.go CommonNameUserConversion: X509SHA256=<lower-case hex of the certificate's SHA-256>.
  assert.deepEqual(result, {
    ok: true,
    authenticator: 'x509',
    user: { name: 'jane,doe+x', uid: '', groups: ['dev+ops', 'a=b'], extra: { 'authentication.kubernetes.io/credential-id': ['X509SHA256=919fcef1d885b24897dc641b81442fc9de3213ddcd70b31f9fc689a4071ad29d'] } },
  });
});

/** nameConstraints permitting the DNS subtree example.com. */
const PERMIT_EXAMPLE_COM = { id: '2.5.29.30', critical: true, value: Buffer.from('3011a00f300d820b6578616d706c652e636f6d', 'hex') };
/** A subjectAltName extension with one DNS name. */
const san = (dns: string) => {
  const name = Buffer.concat([Buffer.from([0x82, dns.length]), Buffer.from(dns)]);
  return { id: '2.5.29.17', critical: false, value: Buffer.concat([Buffer.from([0x30, name.length]), name]) };
};
const NAME_CONSTRAINTS_UNCHECKED =
  'x509: a root or intermediate certificate is not authorized to sign for this name: kube-auth-mock does not match names against name constraints, so it refuses every chain in which a name-constrained CA certifies a certificate with subject alternative names';

// Go's crypto/x509 rules the authenticator must keep, each with the error Go 1.26 gives for the same chain
// (recorded with a Go program running kube's AuthenticateRequest logic against certificates made as below).
// Sources: src/crypto/x509/verify.go (Verify, buildChains, isValid), x509.go (CheckSignatureFrom,
// checkSignature), parser.go (processExtensions) and crypto/rsa/rsa.go (checkKeySize).
const goRules: {
  name: string;
  chain: () => Promise<X509Certificate[]>;
  roots?: () => Promise<X509Certificate[]>;
  want: 'jane' | string;
}[] = [
  {
    name: 'verify.go isValid: CA -> intermediate (pathlen:0) -> sub-CA -> leaf O=system:masters is too many intermediates',
    chain: async () => {
      const pathLen0 = await issueOddCert({ issuer: ca, commonName: 'intermediate-pathlen0', ca: { pathLen: 0 } });
      const subCa = await issueOddCert({ issuer: pathLen0, commonName: 'sub-ca', ca: {} });
      const leafCert = await issueOddCert({ issuer: subCa, commonName: 'jane', organizations: ['system:masters'] });
      return [leafCert.cert, subCa.cert, pathLen0.cert];
    },
    want: 'x509: too many intermediates for path length constraint',
  },
  {
    name: 'verify.go isValid: an intermediate with pathlen:0 may still sign leaves',
    chain: async () => {
      const pathLen0 = await issueOddCert({ issuer: ca, commonName: 'intermediate-pathlen0', ca: { pathLen: 0 } });
      return [(await issueOddCert({ issuer: pathLen0, commonName: 'jane', organizations: ['dev', 'qa'] })).cert, pathLen0.cert];
    },
    want: 'jane',
  },
  {
    name: 'verify.go isValid: pathlen:1 allows one sub-CA below it',
    chain: async () => {
      const pathLen1 = await issueOddCert({ issuer: ca, commonName: 'intermediate-pathlen1', ca: { pathLen: 1 } });
      const subCa = await issueOddCert({ issuer: pathLen1, commonName: 'sub-ca', ca: {} });
      return [(await issueOddCert({ issuer: subCa, commonName: 'jane', organizations: ['dev', 'qa'] })).cert, subCa.cert, pathLen1.cert];
    },
    want: 'jane',
  },
  {
    name: 'verify.go isValid: the root\'s own pathlen:0 counts too',
    roots: async () => [rootPathLen0.cert],
    chain: async () => {
      const intermediateCa = await issueOddCert({ issuer: rootPathLen0, commonName: 'intermediate', ca: {} });
      return [(await issueOddCert({ issuer: intermediateCa, commonName: 'jane', organizations: ['system:masters'] })).cert, intermediateCa.cert];
    },
    want: 'x509: too many intermediates for path length constraint',
  },
  {
    name: 'x509.go checkSignature: a SHA-1 signature is an insecure algorithm',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['system:masters'], hash: 'sha1' })).cert],
    want: 'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA" while trying to verify candidate authority certificate "test-ca")',
  },
  {
    name: 'x509.go checkSignature: an MD5 signature is an insecure algorithm',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['system:masters'], hash: 'md5' })).cert],
    want: 'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm MD5-RSA" while trying to verify candidate authority certificate "test-ca")',
  },
  {
    name: 'x509.go checkSignature: a SHA-1 signed intermediate cannot be chained through',
    chain: async () => {
      const sha1Ca = await issueOddCert({ issuer: ca, commonName: 'sha1-intermediate', ca: {}, hash: 'sha1' });
      return [(await issueOddCert({ issuer: sha1Ca, commonName: 'jane', organizations: ['system:masters'] })).cert, sha1Ca.cert];
    },
    want: 'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA" while trying to verify candidate authority certificate "test-ca")',
  },
  {
    name: 'parser.go processExtensions + verify.go isValid: an unknown critical extension on the leaf',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['system:masters'], extensions: [UNKNOWN_EXTENSION(true)] })).cert],
    want: 'x509: unhandled critical extension',
  },
  {
    name: 'parser.go processExtensions + verify.go isValid: an unknown critical extension on an intermediate',
    chain: async () => {
      const odd = await issueOddCert({ issuer: ca, commonName: 'odd-intermediate', ca: {}, extensions: [UNKNOWN_EXTENSION(true)] });
      return [(await issueOddCert({ issuer: odd, commonName: 'jane', organizations: ['system:masters'] })).cert, odd.cert];
    },
    want: 'x509: unhandled critical extension',
  },
  {
    name: 'parser.go processExtensions: an unknown extension that is not critical is ignored',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['dev', 'qa'], extensions: [UNKNOWN_EXTENSION(false)] })).cert],
    want: 'jane',
  },
  {
    name: 'x509.go CheckSignatureFrom: an intermediate whose key usage lacks keyCertSign cannot sign',
    chain: async () => {
      const noCertSign = await issueOddCert({ issuer: ca, commonName: 'no-certsign', ca: { keyCertSign: false } });
      return [(await issueOddCert({ issuer: noCertSign, commonName: 'jane', organizations: ['system:masters'] })).cert, noCertSign.cert];
    },
    want: 'x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "no-certsign")',
  },
  {
    name: 'crypto/rsa checkKeySize: an intermediate with a 512-bit key cannot verify the leaf\'s signature',
    chain: async () => {
      const smallCa = await issueOddCert({ issuer: ca, commonName: 'small-ca', ca: {}, keyBits: 512 });
      return [(await issueOddCert({ issuer: smallCa, commonName: 'jane', organizations: ['system:masters'] })).cert, smallCa.cert];
    },
    want: 'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: 512-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)" while trying to verify candidate authority certificate "small-ca")',
  },
  {
    // Go's x509.Verify accepts this leaf (its CA's key signed it), but crypto/tls's handshake_server.go then fails
    // to verify the client's CertificateVerify with the 512-bit key; here that becomes a 401, never anonymous.
    name: 'crypto/tls handshake_server.go: a client certificate with an RSA-512 key cannot prove possession',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['system:masters'], keyBits: 512 })).cert],
    want: 'tls: invalid signature by the client certificate: crypto/rsa: 512-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)',
  },
  {
    name: 'x509.go CheckSignatureFrom: a client certificate (CA:FALSE) used as an intermediate cannot sign',
    chain: async () => {
      const notCa = await issueClientCert(ca, { user: 'mid' });
      return [await leaf(() => notCa), notCa.cert];
    },
    want: 'x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "mid")',
  },
  {
    name: 'constraints.go checkChainConstraints: a SAN outside a CA\'s permitted names (Go: DNS name "evil.org" is not permitted by any constraint)',
    chain: async () => {
      const constrained = await issueOddCert({ issuer: ca, commonName: 'nc-ca', ca: {}, extensions: [PERMIT_EXAMPLE_COM] });
      return [(await issueOddCert({ issuer: constrained, commonName: 'jane', organizations: ['system:masters'], extensions: [san('evil.org')] })).cert, constrained.cert];
    },
    want: NAME_CONSTRAINTS_UNCHECKED,
  },
  {
    name: 'constraints.go checkChainConstraints: a leaf without SANs under a name-constrained CA, accepted as in Go',
    chain: async () => {
      const constrained = await issueOddCert({ issuer: ca, commonName: 'nc-ca', ca: {}, extensions: [PERMIT_EXAMPLE_COM] });
      return [(await issueOddCert({ issuer: constrained, commonName: 'jane', organizations: ['dev', 'qa'] })).cert, constrained.cert];
    },
    want: 'jane',
  },
  {
    // Kept difference: Go accepts this chain (a.example.com is permitted); names are not matched here, so it is refused.
    name: 'name constraints are not matched: a SAN inside the permitted names is refused too (Go accepts it)',
    chain: async () => {
      const constrained = await issueOddCert({ issuer: ca, commonName: 'nc-ca', ca: {}, extensions: [PERMIT_EXAMPLE_COM] });
      return [(await issueOddCert({ issuer: constrained, commonName: 'jane', organizations: ['system:masters'], extensions: [san('a.example.com')] })).cert, constrained.cert];
    },
    want: NAME_CONSTRAINTS_UNCHECKED,
  },
  {
    // Kept difference: Go evaluates the policy tree (policiesValid); here a chain with policy constraints is refused.
    name: 'verify.go policiesValid is not evaluated: a CA with policyConstraints (requireExplicitPolicy 0) above a leaf without policies is refused, as Go refuses it',
    chain: async () => {
      // PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts }, here 0: every certificate below must carry an acceptable policy.
      const requireExplicit = { id: '2.5.29.36', critical: true, value: Buffer.from('3003800100', 'hex') };
      const constrained = await issueOddCert({ issuer: ca, commonName: 'policy-ca', ca: {}, extensions: [requireExplicit] });
      return [(await issueOddCert({ issuer: constrained, commonName: 'jane', organizations: ['system:masters'] })).cert, constrained.cert];
    },
    want: 'x509: no valid chains built: kube-auth-mock does not evaluate certificate policies, so it refuses every chain with a policyMappings or policyConstraints extension',
  },
  {
    name: 'parser.go processExtensions: duplicate extensions fail to parse (in Go, the TLS handshake)',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['system:masters'], extensions: [UNKNOWN_EXTENSION(false), UNKNOWN_EXTENSION(false)] })).cert],
    want: 'tls: failed to parse client certificate: x509: certificate contains duplicate extension with OID "1.3.6.1.4.1.99999.1"',
  },
  {
    name: 'x509.go checkSignature: an ECDSA P-256 client certificate signed by the RSA CA (the leaf\'s own key type does not matter)',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['dev', 'qa'], subjectPublicKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey })).cert],
    want: 'jane',
  },
  {
    name: 'an Ed25519 client certificate signed by the RSA CA',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['dev', 'qa'], subjectPublicKey: generateKeyPairSync('ed25519').publicKey })).cert],
    want: 'jane',
  },
  {
    name: 'parser.go parsePublicKey: an ECDSA key on a curve Go lacks (secp256k1) fails to parse (in Go, the TLS handshake)',
    chain: async () => [(await issueOddCert({ issuer: ca, commonName: 'jane', organizations: ['system:masters'], subjectPublicKey: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey })).cert],
    want: 'tls: failed to parse client certificate: x509: unsupported elliptic curve',
  },
];

let rootPathLen0: IssuedCert;
before(async () => {
  rootPathLen0 = await issueOddCert({ issuer: 'self', commonName: 'root-pathlen0', ca: { pathLen: 0 } });
});

for (const c of goRules) {
  test(`x509 (Go's rules): ${c.name}`, async () => {
    const chain = await c.chain();
    const roots = c.roots ? await c.roots() : [ca.cert];
    const result = await x509Authenticator({ roots: () => roots }).authenticate({ headers: {}, peerCertificates: chain });
    if (c.want === 'jane') {
      assert.equal(result?.ok, true, JSON.stringify(result));
      return;
    }
    assert.equal(result?.ok, false, `must be refused, got ${JSON.stringify(result)}`);
    if (result === null || result.ok) return;
    // A certificate Go cannot parse never reaches kube's authenticator (the handshake fails): no identifier to match.
    if (c.want.startsWith('tls: failed to parse')) assert.ok(result.reason.endsWith(` failed: ${c.want}`), result.reason);
    else assert.equal(result.reason, `verifying certificate ${kubeCertificateIdentifier(chain[0]!)} failed: ${c.want}`);
  });
}

/** kube's certificateIdentifier (request/x509/x509.go), computed here from forge's reading of the certificate. */
function kubeCertificateIdentifier(cert: X509Certificate): string {
  const parsed = forge.pki.certificateFromPem(cert.toString());
  const hex = (bytes: string | undefined) => (bytes === undefined ? '' : Buffer.from(bytes, 'binary').toString('hex').toUpperCase().match(/../g)!.join(':'));
  const skid = (parsed.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined)?.subjectKeyIdentifier;
  const akid = (parsed.getExtension('authorityKeyIdentifier') as { value?: string } | undefined)?.value;
  // authorityKeyIdentifier's value is the whole AuthorityKeyIdentifier SEQUENCE: its [0] keyIdentifier is what Go reports.
  const akidBytes = akid === undefined ? undefined : (forge.asn1.fromDer(akid).value as forge.asn1.Asn1[]).find((v) => v.type === 0)?.value as string | undefined;
  return `SN=${BigInt(`0x${cert.serialNumber}`)}, SKID=${skid === undefined ? '' : skid.toUpperCase().match(/../g)!.join(':')}, AKID=${hex(akidBytes)}`;
}
