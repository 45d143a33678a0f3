import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import {
  DEFAULT_SERVING_SANS,
  createCa,
  issueClientCert,
  issueCustomCert,
  issueServingCert,
  type IssuedCert,
} from '../../../src/pki/index.js';
import { X509_UID_OID } from '../../../src/apimachinery/asn1-oid.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const DAY = 24 * 60 * 60 * 1000;

interface ParsedExtensions {
  basicConstraints?: { critical: boolean; cA?: boolean };
  keyUsage?: Record<string, boolean>;
  ski?: string;
  aki?: string;
}

/** node:crypto does not expose keyUsage bits, criticality or key identifiers; forge's parser does. */
function extensions(pem: string): ParsedExtensions {
  const cert = forge.pki.certificateFromPem(pem);
  const get = (name: string): Record<string, unknown> | undefined =>
    cert.getExtension(name) as Record<string, unknown> | undefined;
  const akiExt = get('authorityKeyIdentifier');
  let aki: string | undefined;
  if (akiExt) {
    const seq = forge.asn1.fromDer(akiExt.value as string);
    const keyId = (seq.value as forge.asn1.Asn1[])[0]!;
    aki = forge.util.bytesToHex(keyId.value as string);
  }
  return {
    basicConstraints: get('basicConstraints') as ParsedExtensions['basicConstraints'],
    keyUsage: get('keyUsage') as Record<string, boolean> | undefined,
    ski: get('subjectKeyIdentifier')?.subjectKeyIdentifier as string | undefined,
    aki,
  };
}

function usageBits(ku: Record<string, boolean> | undefined): string[] {
  const names = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];
  return names.filter((n) => ku?.[n] === true);
}

let caPromise: Promise<IssuedCert> | undefined;
function sharedCa(): Promise<IssuedCert> {
  caPromise ??= createCa();
  return caPromise;
}

test('createCa makes a self-signed CA with critical CA constraints and cert-signing usage', async () => {
  const ca = await sharedCa();
  assert.equal(ca.cert.ca, true);
  assert.equal(ca.cert.subject, 'CN=kube-auth-mock-ca');
  assert.equal(ca.cert.issuer, 'CN=kube-auth-mock-ca');
  assert.ok(ca.cert.checkIssued(ca.cert));
  assert.ok(ca.cert.verify(ca.cert.publicKey));
  const ext = extensions(ca.certPem);
  assert.equal(ext.basicConstraints?.critical, true);
  assert.equal(ext.basicConstraints?.cA, true);
  assert.equal(ext.keyUsage?.critical, true);
  assert.deepEqual(usageBits(ext.keyUsage), ['digitalSignature', 'keyCertSign', 'cRLSign']);
  assert.equal(ca.cert.keyUsage, undefined, 'no extKeyUsage on the CA (node calls it keyUsage)');
  assert.ok(ext.ski && ext.ski.length === 40);
  assert.equal(ext.aki, ext.ski);
  assert.match(ca.keyPem, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.equal(ca.key.asymmetricKeyType, 'rsa');
  assert.ok(ca.cert.checkPrivateKey(ca.key));
});

test('validity is backdated for clock skew and runs the requested number of days', async () => {
  const before = Date.now();
  const ca = await createCa({ commonName: 'skew', validityDays: 10 });
  const after = Date.now();
  const notBefore = new Date(ca.cert.validFrom).getTime();
  const notAfter = new Date(ca.cert.validTo).getTime();
  // Whole seconds in the certificate, hence the 1 s slack.
  assert.ok(notBefore <= before - 4 * 60 * 1000, 'notBefore is minutes in the past');
  assert.ok(notBefore >= before - 5 * 60 * 1000 - 1000);
  assert.ok(notAfter >= before + 10 * DAY - 1000 && notAfter <= after + 10 * DAY);
});

test('explicit notBefore/notAfter win and must be ordered', async () => {
  const notBefore = new Date('2020-01-01T00:00:00Z');
  const notAfter = new Date('2020-01-02T00:00:00Z');
  const ca = await createCa({ notBefore, notAfter });
  assert.equal(new Date(ca.cert.validFrom).toISOString(), notBefore.toISOString());
  assert.equal(new Date(ca.cert.validTo).toISOString(), notAfter.toISOString());
  await assert.rejects(createCa({ notBefore: notAfter, notAfter: notBefore }), RangeError);
  await assert.rejects(createCa({ validityDays: 0 }), RangeError);
});

test('serials are 128-bit positive integers and differ between certificates', async () => {
  const ca = await sharedCa();
  const serials = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const c = await issueClientCert(ca, { user: `u${i}` });
    const hex = forge.pki.certificateFromPem(c.certPem).serialNumber;
    assert.equal(hex.length, 32, 'exactly 16 bytes, no sign padding');
    assert.ok(parseInt(hex.slice(0, 2), 16) < 0x80 && parseInt(hex.slice(0, 2), 16) > 0);
    serials.add(c.cert.serialNumber);
  }
  assert.equal(serials.size, 3);
});

test('serving certificate: SANs incl. IPv6, serverAuth, signed by the CA', async () => {
  const ca = await sharedCa();
  const s = await issueServingCert(ca, { sans: [...DEFAULT_SERVING_SANS, '10.96.0.1', 'fd00::10', 'api.example.test'] });
  assert.equal(s.cert.subject, 'CN=kube-apiserver');
  assert.equal(s.cert.ca, false);
  assert.ok(s.cert.checkIssued(ca.cert));
  assert.ok(s.cert.verify(ca.cert.publicKey));
  assert.deepEqual(s.cert.keyUsage, [SERVER_AUTH]);
  const ext = extensions(s.certPem);
  assert.equal(ext.keyUsage?.critical, true);
  assert.deepEqual(usageBits(ext.keyUsage), ['digitalSignature', 'keyEncipherment']);
  assert.equal(ext.basicConstraints?.critical, true);
  assert.equal(ext.aki, extensions(ca.certPem).ski, 'authorityKeyIdentifier points at the CA');
  assert.notEqual(ext.ski, ext.aki);
  const san = s.cert.subjectAltName ?? '';
  for (const dns of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'api.example.test']) {
    assert.ok(san.includes(`DNS:${dns}`), `${dns} in ${san}`);
    assert.equal(s.cert.checkHost(dns, { subject: 'never' }), dns);
  }
  for (const ip of ['127.0.0.1', '::1', '10.96.0.1', 'fd00::10', '0:0:0:0:0:0:0:1']) {
    assert.equal(s.cert.checkIP(ip), ip, ip);
  }
  assert.equal(s.cert.checkIP('10.96.0.2'), undefined);
  assert.ok(!san.includes('DNS:::1') && !san.includes('DNS:127.0.0.1'), 'IPs are not written as DNS names');
});

test('serving certificate honours commonName and rejects bad SANs', async () => {
  const ca = await sharedCa();
  const s = await issueServingCert(ca, { sans: ['localhost'], commonName: 'other' });
  assert.equal(s.cert.subject, 'CN=other');
  await assert.rejects(issueServingCert(ca, { sans: ['not a name'] }), RangeError);
  await assert.rejects(issueServingCert(ca, { sans: [] }), RangeError);
});

test('client certificate: CN is the user, one O per group in order', async () => {
  const ca = await sharedCa();
  const cases: Array<{ user: string; groups?: string[]; subject: string; o?: string | string[] }> = [
    { user: 'jane', subject: 'CN=jane', o: undefined },
    { user: 'jane', groups: [], subject: 'CN=jane', o: undefined },
    { user: 'admin', groups: ['system:masters'], subject: 'O=system:masters\nCN=admin', o: 'system:masters' },
    {
      user: 'system:serviceaccount:ns:sa',
      groups: ['devs', 'system:authenticated', 'ops'],
      subject: 'O=devs\nO=system:authenticated\nO=ops\nCN=system:serviceaccount:ns:sa',
      o: ['devs', 'system:authenticated', 'ops'],
    },
    // '@' and '_' are not PrintableString characters: the subject must be UTF8String to stay valid.
    { user: 'jane_doe@example.com', groups: ['team_a'], subject: 'O=team_a\nCN=jane_doe@example.com', o: 'team_a' },
    { user: 'zoë', groups: ['ünïcode'], subject: 'O=ünïcode\nCN=zoë', o: 'ünïcode' },
  ];
  for (const c of cases) {
    const issued = await issueClientCert(ca, { user: c.user, groups: c.groups });
    assert.equal(issued.cert.subject, c.subject, c.user);
    const legacy = issued.cert.toLegacyObject().subject as unknown as Record<string, string | string[] | undefined>;
    assert.equal(legacy.CN, c.user);
    assert.deepEqual(legacy.O, c.o);
    assert.equal(issued.cert.issuer, 'CN=kube-auth-mock-ca');
    assert.ok(issued.cert.checkIssued(ca.cert) && issued.cert.verify(ca.cert.publicKey));
    assert.deepEqual(issued.cert.keyUsage, [CLIENT_AUTH]);
    assert.deepEqual(usageBits(extensions(issued.certPem).keyUsage), ['digitalSignature', 'keyEncipherment']);
  }
  await assert.rejects(issueClientCert(ca, { user: '' }), RangeError);
});

// kube's X509UID (apimachinery/pkg/apis/asn1/oid.go), read by request/x509/x509.go parseUIDFromCert (kube 1.33+).
test('client certificate: a uid is the UID attribute, a UTF8String after CN as in kube\'s own UID test certificate', async () => {
  const ca = await sharedCa();
  const cases: { uid: string; value: string }[] = [
    { uid: 'u-1', value: '0c03752d31' },
    // '_' is no PrintableString character; a UTF8String carries it, and non-ASCII too.
    { uid: 'client_id', value: '0c09636c69656e745f6964' },
    { uid: 'ü', value: '0c02c3bc' },
  ];
  for (const c of cases) {
    const issued = await issueClientCert(ca, { user: 'jane', groups: ['dev'], uid: c.uid });
    assert.equal(issued.cert.subject, `O=dev\nCN=jane\n${X509_UID_OID}=${c.uid}`);
    // 06 09 2b0601040183c25302 is the OID 1.3.6.1.4.1.57683.2 in DER; the value follows it in the same ATV.
    assert.ok(issued.cert.raw.toString('hex').includes(`06092b0601040183c25302${c.value}`), c.uid);
    assert.ok(issued.cert.verify(ca.cert.publicKey));
  }
  assert.equal((await issueClientCert(ca, { user: 'jane' })).cert.subject, 'CN=jane', 'no uid, no attribute');
  // kube refuses an empty UID attribute ("UID cannot be an empty string"): it is never written.
  await assert.rejects(issueClientCert(ca, { user: 'jane', uid: '' }), RangeError);
});

test('client certificate options build the certificates authenticators must refuse', async () => {
  const ca = await sharedCa();
  const expired = await issueClientCert(ca, {
    user: 'old',
    notBefore: new Date(Date.now() - 10 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  assert.ok(new Date(expired.cert.validTo).getTime() < Date.now());
  assert.ok(expired.cert.verify(ca.cert.publicKey), 'still properly signed');

  const serverOnly = await issueClientCert(ca, { user: 'wrong-usage', extKeyUsage: ['serverAuth'] });
  assert.deepEqual(serverOnly.cert.keyUsage, [SERVER_AUTH]);
  const noEku = await issueClientCert(ca, { user: 'no-eku', extKeyUsage: [] });
  assert.equal(noEku.cert.keyUsage, undefined);
});

test('issueCustomCert builds any profile, and a key can be supplied', async () => {
  const ca = await sharedCa();
  const other = await issueClientCert(ca, { user: 'donor' });
  const custom = await issueCustomCert(ca, {
    profile: 'serving',
    subject: { commonName: 'custom', organizations: ['o1'] },
    sans: ['custom.test'],
    extKeyUsage: ['serverAuth', 'clientAuth'],
    key: { privateKey: other.key, publicKey: other.cert.publicKey, privateKeyPem: other.keyPem, publicKeyPem: other.cert.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  });
  assert.equal(custom.cert.subject, 'O=o1\nCN=custom');
  assert.deepEqual(custom.cert.keyUsage, [SERVER_AUTH, CLIENT_AUTH]);
  assert.ok(custom.cert.checkPrivateKey(other.key));
  assert.equal(custom.keyPem, other.keyPem);
});

test('a CA whose name needs UTF8String issues leaves that chain to it by name and signature', async () => {
  const ca = await createCa({ commonName: 'Prüf-CA_1' });
  const leaf = await issueClientCert(ca, { user: 'x' });
  assert.equal(leaf.cert.issuer, ca.cert.subject);
  assert.ok(leaf.cert.checkIssued(ca.cert));
  // forge's own verifier agrees with OpenSSL.
  const forgeCa = forge.pki.certificateFromPem(ca.certPem);
  assert.ok(forgeCa.verify(forge.pki.certificateFromPem(leaf.certPem)));
});

test('a loaded CA (PEM round trip) issues certificates that chain to it', async () => {
  const ca = await sharedCa();
  const reloaded: IssuedCert = { certPem: ca.certPem, keyPem: ca.keyPem, cert: new X509Certificate(ca.certPem), key: ca.key };
  const leaf = await issueServingCert(reloaded, { sans: ['localhost'] });
  assert.ok(leaf.cert.checkIssued(ca.cert) && leaf.cert.verify(ca.cert.publicKey));
  assert.equal(extensions(leaf.certPem).aki, extensions(ca.certPem).ski);
});
