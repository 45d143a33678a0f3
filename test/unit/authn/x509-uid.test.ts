// The user UID a client certificate carries (kube 1.33+, AllowParsingUserUIDFromCertAuth, on by default): the
// subject attribute 1.3.6.1.4.1.57683.2. Rules and messages from
// staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go (CommonNameUserConversion, parseUIDFromCert);
// the certificate cases port TestX509 in x509_test.go ("common name and UID", "ca with empty UID", "ca with non-string
// UID", "ca with multiple UIDs"), their subjects rebuilt here byte for byte and signed by a CA made at test time.
import assert from 'node:assert/strict';
import type { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { uidFromSubject, x509Authenticator } from '../../../src/authn/x509.js';
import { createCa, issueClientCert, type IssuedCert } from '../../../src/pki/index.js';
import { resign, tlv, type TbsFields } from '../../helpers/der-edit.js';
import { issueOddCert } from '../../helpers/odd-certs.js';

// parseUIDFromCert over the values Go's Subject.Names holds for the UID OID, in order.
const rule: { name: string; uids: string[]; want: { uid: string } | { error: string } }[] = [
  { name: 'no UID attribute: no uid, no error', uids: [], want: { uid: '' } },
  { name: 'one UID: the uid', uids: ['client_id'], want: { uid: 'client_id' } },
  { name: 'one empty UID: "UID cannot be an empty string"', uids: [''], want: { error: 'UID cannot be an empty string' } },
  { name: 'two UIDs: Go\'s %v of the []string', uids: ['client_uid1', 'client_uid2'], want: { error: 'expected 1 UID, but found multiple: [client_uid1 client_uid2]' } },
  { name: 'two UIDs, the same value twice: still multiple', uids: ['u', 'u'], want: { error: 'expected 1 UID, but found multiple: [u u]' } },
  { name: 'two UIDs, one empty: the count is checked first, and %v prints the empty one as nothing', uids: ['', 'u'], want: { error: 'expected 1 UID, but found multiple: [ u]' } },
];
for (const c of rule) {
  test(`parseUIDFromCert: ${c.name}`, () => {
    assert.deepEqual(uidFromSubject(c.uids), c.want);
  });
}

const OID = { C: '550406', ST: '550408', L: '550407', O: '55040a', OU: '55040b', CN: '550403', UID: '2b0601040183c25302' } as const;
const UTF8 = 0x0c;
const PRINTABLE = 0x13;
type Attr = [keyof typeof OID, string, number?];
/** An AttributeTypeAndValue; UTF8String unless another tag is given (kube's fixtures, made by OpenSSL, use UTF8String). */
const atv = ([type, value, tag]: Attr): Buffer => tlv(0x30, tlv(0x06, Buffer.from(OID[type], 'hex')), tlv(tag ?? UTF8, Buffer.from(value, 'utf8')));
/** A Name: each inner list is one RDN (a SET, multi-valued when it holds several attributes); a Buffer is a ready ATV. */
const name = (...rdns: (Attr | Buffer)[][]): Buffer => tlv(0x30, ...rdns.map((rdn) => tlv(0x31, ...rdn.map((a) => (Buffer.isBuffer(a) ? a : atv(a))))));
/** A Name of one attribute per RDN, in order. */
const flat = (...attrs: (Attr | Buffer)[]): Buffer => name(...attrs.map((a) => [a]));

/** Subject of kube's clientCNCert, "/C=US/ST=My State/L=My City/O=My Org/OU=My Unit/CN=client_cn2/CN=client_cn/kube_uid=client_id", with this UID attribute last. */
const clientCNSubject = (uid: Buffer) => flat(['C', 'US'], ['ST', 'My State'], ['L', 'My City'], ['O', 'My Org'], ['OU', 'My Unit'], ['CN', 'client_cn2'], ['CN', 'client_cn'], uid);

const SUBJECT = 5;
const ISSUER = 3;
const withSubject = (subject: Buffer) => (f: TbsFields): TbsFields => f.map((x, i) => (i === SUBJECT ? subject : x));

let ca: IssuedCert;
let leaf: IssuedCert;
before(async () => {
  ca = await createCa({ commonName: 'uid-ca' });
  leaf = await issueClientCert(ca, { user: 'placeholder' });
});

/** The client certificate with this subject, signed again by the CA. */
const leafWith = (subject: Buffer): X509Certificate => resign(leaf.cert, ca.key, withSubject(subject));

const cases: { name: string; chain: () => Promise<{ chain: X509Certificate[]; roots: X509Certificate[] }>; want: { name: string; uid: string; groups: string[] } | null | string }[] = [
  {
    name: 'TestX509 "common name and UID": the last CN is the user, the UID attribute its uid',
    chain: async () => ({ chain: [leafWith(clientCNSubject(atv(['UID', 'client_id'])))], roots: [ca.cert] }),
    want: { name: 'client_cn', uid: 'client_id', groups: ['My Org'] },
  },
  {
    name: 'TestX509 "ca with empty UID": UID cannot be an empty string',
    chain: async () => ({ chain: [leafWith(clientCNSubject(atv(['UID', ''])))], roots: [ca.cert] }),
    want: 'UID cannot be an empty string',
  },
  {
    // kube's test puts a non-string value (asn1.RawValue{Tag: 16}) into an already parsed certificate; from the
    // wire, Go's parseName refuses a non-string value first (the TLS handshake fails). The value here is a
    // constructed SEQUENCE (0x30): OpenSSL cannot load a certificate with kube's primitive tag 16 at all.
    name: 'TestX509 "ca with non-string UID": a SEQUENCE value, which Go\'s parser refuses before kube sees it',
    chain: async () => ({ chain: [leafWith(clientCNSubject(tlv(0x30, tlv(0x06, Buffer.from(OID.UID, 'hex')), tlv(0x30, tlv(UTF8, Buffer.from('custom_value'))))))], roots: [ca.cert] }),
    want: 'tls: failed to parse client certificate: x509: invalid RDNSequence: invalid attribute value: unsupported string type: 48',
  },
  {
    // As in kube's case, the certificate is its own root: a self-signed CA presented as the client certificate.
    name: 'TestX509 "ca with multiple UIDs": expected 1 UID, but found multiple',
    chain: async () => {
      const self = await issueOddCert({ issuer: 'self', commonName: 'placeholder', ca: {} });
      const dn = flat(['C', 'US'], ['ST', 'My State'], ['L', 'My City'], ['CN', 'caWithMultiUIDs'], ['UID', 'client_uid1'], ['UID', 'client_uid2']);
      const cert = resign(self.cert, self.key, (f) => f.map((x, i) => (i === SUBJECT || i === ISSUER ? dn : x)));
      return { chain: [cert], roots: [cert] };
    },
    want: 'expected 1 UID, but found multiple: [client_uid1 client_uid2]',
  },
  {
    name: 'no UID attribute: the uid is empty (SelfSubjectReview then omits it)',
    chain: async () => ({ chain: [leafWith(flat(['O', 'dev'], ['CN', 'jane']))], roots: [ca.cert] }),
    want: { name: 'jane', uid: '', groups: ['dev'] },
  },
  {
    name: 'Subject.Names holds every attribute of a multi-valued RDN: a UID beside the CN in one SET is read',
    chain: async () => ({ chain: [leafWith(name([['O', 'dev']], [['CN', 'jane'], ['UID', 'u-1']]))], roots: [ca.cert] }),
    want: { name: 'jane', uid: 'u-1', groups: ['dev'] },
  },
  {
    name: 'two UIDs in one multi-valued RDN are multiple too',
    chain: async () => ({ chain: [leafWith(name([['CN', 'jane']], [['UID', 'a'], ['UID', 'b']]))], roots: [ca.cert] }),
    want: 'expected 1 UID, but found multiple: [a b]',
  },
  {
    name: 'a UID in a PrintableString is a string to Go like any other',
    chain: async () => ({ chain: [leafWith(flat(['CN', 'jane'], ['UID', 'u-1', PRINTABLE]))], roots: [ca.cert] }),
    want: { name: 'jane', uid: 'u-1', groups: [] },
  },
  {
    name: 'a UID that is not ASCII is kept as Go decodes it',
    chain: async () => ({ chain: [leafWith(flat(['CN', 'jane'], ['UID', 'ü-1']))], roots: [ca.cert] }),
    want: { name: 'jane', uid: 'ü-1', groups: [] },
  },
  {
    name: 'an empty CN is "not mine" before the UID is looked at, so several UIDs do not fail it',
    chain: async () => ({ chain: [leafWith(flat(['O', 'dev'], ['UID', 'a'], ['UID', 'b']))], roots: [ca.cert] }),
    want: null,
  },
];

for (const c of cases) {
  test(`x509 user UID: ${c.name}`, async () => {
    const { chain, roots } = await c.chain();
    const result = await x509Authenticator({ roots: () => roots }).authenticate({ headers: {}, peerCertificates: chain });
    if (c.want === null) return assert.equal(result, null);
    if (typeof c.want === 'string') {
      assert.equal(result?.ok, false, JSON.stringify(result));
      if (result !== null && !result.ok) {
        // A parse failure has the verification prefix (it happens before the user conversion); a UID error is the bare message.
        if (c.want.startsWith('tls: ')) assert.ok(result.reason.endsWith(` failed: ${c.want}`), result.reason);
        else assert.equal(result.reason, c.want);
      }
      return;
    }
    assert.equal(result?.ok, true, JSON.stringify(result));
    if (result?.ok) {
      assert.equal(result.user.name, c.want.name);
      assert.equal(result.user.uid, c.want.uid);
      assert.deepEqual(result.user.groups, c.want.groups);
      assert.match(result.user.extra['authentication.kubernetes.io/credential-id']?.[0] ?? '', /^X509SHA256=[0-9a-f]{64}$/);
    }
  });
}

test('x509 user UID: a refused UID is refused again on the next request (the verdict is remembered with the chain)', async () => {
  const authenticator = x509Authenticator({ roots: () => [ca.cert] });
  const cert = leafWith(clientCNSubject(atv(['UID', ''])));
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(await authenticator.authenticate({ headers: {}, peerCertificates: [cert] }), { ok: false, reason: 'UID cannot be an empty string' });
  }
});
