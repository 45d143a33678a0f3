// The inspector fed hostile and wrong input (a review's findings): every row is a report or a one-line error, never
// a throw, a hang or unbounded memory; and never a "kube-apiserver would accept it" that kube would not.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import forge from 'node-forge';
import { stringify } from 'yaml';
import { inspectInput, MAX_INPUT_BYTES, readFailure, readFileLimited, readStreamLimited, renderInspectReport, type CertificateItem, type InspectReport, type JwtItem, type KubeconfigItem } from '../../../src/inspect/index.js';
import { createCa, issueClientCert, type IssuedCert } from '../../../src/pki/index.js';
import { Readable } from 'node:stream';

const NOW = new Date('2026-06-01T12:00:00Z');
const nowS = NOW.getTime() / 1000;
let ca: IssuedCert;
let jane: IssuedCert;
let dir: string;

before(async () => {
  ca = await createCa({ commonName: 'test-ca', notBefore: new Date(NOW.getTime() - 86400_000), notAfter: new Date(NOW.getTime() + 3650 * 86400_000) });
  jane = await issueClientCert(ca, { user: 'jane', groups: ['dev'], notBefore: new Date(NOW.getTime() - 3600_000), notAfter: new Date(NOW.getTime() + 30 * 86400_000) });
  dir = await mkdtemp(join(tmpdir(), 'kam-hostile-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inspect = (input: string | Buffer, options: Parameters<typeof inspectInput>[1] = {}): InspectReport => inspectInput(Buffer.isBuffer(input) ? input : Buffer.from(input), { now: NOW, source: 'in', baseDir: dir, ...options });
const b64u = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const jwt = (header: unknown, claims: unknown): string => `${b64u(header)}.${b64u(claims)}.c2ln`;
const saClaims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: 'https://kubernetes.default.svc', sub: 'system:serviceaccount:ns1:b', aud: ['https://kubernetes.default.svc'],
  exp: nowS + 3600, iat: nowS, nbf: nowS, jti: 'j', 'kubernetes.io': { namespace: 'ns1', serviceaccount: { name: 'b', uid: 'u' } }, ...extra,
});
const RS = { alg: 'RS256', kid: 'k' };
const kubeOf = (r: InspectReport): JwtItem['kube'] => {
  assert.equal(r.error, undefined, r.error);
  return (r.items[0] as JwtItem).kube;
};

test('reads are bounded: a huge file, /dev/zero and an endless stream are one-line errors; a folder is EISDIR', async () => {
  const big = join(dir, 'big.bin');
  await writeFile(big, Buffer.alloc(MAX_INPUT_BYTES + 1));
  const reason = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      return readFailure(err);
    }
    return 'read';
  };
  assert.equal(reason(() => readFileLimited(big)), 'larger than 16 MiB: not a certificate, key, CSR, kubeconfig or JWT');
  assert.equal(reason(() => readFileLimited('/dev/zero')), 'larger than 16 MiB: not a certificate, key, CSR, kubeconfig or JWT');
  assert.equal(reason(() => readFileLimited('/dev/zero', { regularOnly: true })), 'not a regular file (a device, FIFO or socket)');
  assert.equal(reason(() => readFileLimited(dir)), 'EISDIR');
  const endless = new Readable({ read() { this.push(Buffer.alloc(1 << 20)); } });
  await assert.rejects(readStreamLimited(endless), /larger than 16 MiB/);
  assert.equal((await readStreamLimited(Readable.from([Buffer.from('ab'), Buffer.from('c')]))).toString(), 'abc');
});

test('a kubeconfig naming /dev/zero, a folder or a FIFO: problems beside the user, no hang, not "anonymous"', async () => {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const doc = {
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://x', 'certificate-authority': '/dev/zero' } }],
    users: [{ name: 'u', user: { 'client-certificate': dir, 'client-key': '/dev/zero', tokenFile: fifo } }],
  };
  const k = inspect(stringify(doc)).items[0] as KubeconfigItem;
  assert.deepEqual(k.problems.filter((p) => p.includes('cannot be read')), ['certificate-authority /dev/zero cannot be read: not a regular file (a device, FIFO or socket)']);
  assert.deepEqual(k.users[0]!.problems, [
    `client-certificate ${dir} cannot be read: EISDIR`,
    'client-key /dev/zero cannot be read: not a regular file (a device, FIFO or socket)',
    `tokenFile ${fifo} cannot be read: not a regular file (a device, FIFO or socket)`,
  ]);
  assert.deepEqual(k.users[0]!.methods, ['client certificate (unreadable: kubectl stops here)']);
});

test('JWT times no Date can hold: a report, never "Invalid time value"', () => {
  const rows: [string, Record<string, unknown>, RegExp][] = [
    ['exp 1e20 (beyond JavaScript dates, within Go\'s int64)', { exp: 1e20 }, /^valid, expires in \d+ years/],
    ['exp 1e400 (Infinity once parsed)', { exp: 1e400 }, /^valid/],
    ['exp -1e300', { exp: -1e300 }, /^expired/],
    ['nbf 1e300', { nbf: 1e300 }, /^not valid until/],
  ];
  for (const [name, claims, words] of rows) {
    const r = inspect(`${b64u(RS)}.${b64u(JSON.stringify({ sub: 'x', ...claims }).replace('Infinity', '1e400'))}.c2ln`);
    assert.equal(r.error, undefined, `${name}: ${r.error}`);
    assert.match((r.items[0] as JwtItem).validity.words, words, name);
    assert.doesNotThrow(() => renderInspectReport(r), name);
  }
  // warnafter out of range too (it used to throw from inside the kube claims).
  const r = inspect(jwt(RS, saClaims({ 'kubernetes.io': { namespace: 'ns1', serviceaccount: { name: 'b', uid: 'u' }, warnafter: 1e20 } })));
  assert.equal(r.error, undefined, r.error);
});

test('ServiceAccount tokens go-jose cannot read are refused, not "user when signed" (pkg/serviceaccount/jwt.go, go-jose.v2)', () => {
  const rows: [string, unknown, Record<string, unknown>, RegExp][] = [
    ['alg none', { alg: 'none' }, saClaims(), /alg "none" is not one kube's ServiceAccount keys verify/],
    ['alg HS256', { alg: 'HS256' }, saClaims(), /alg "HS256"/],
    ['no alg', { typ: 'JWT' }, saClaims(), /alg null/],
    ['exp a string', RS, saClaims({ exp: String(nowS + 3600) }), /its exp claim ".*" is not a number of seconds \(go-jose\/go-jose\/jwt: expected number value to unmarshal NumericDate\)/],
    ['nbf true', RS, saClaims({ nbf: true }), /its nbf claim true is not a number/],
    ['exp beyond int64', RS, saClaims({ exp: 1e19 }), /beyond Go's int64 seconds/],
    ['aud a number', RS, saClaims({ aud: 5 }), /aud claim is neither a string nor a list of strings/],
    ['aud a list with a number', RS, saClaims({ aud: ['a', 1] }), /aud claim is neither/],
    ['iss a list', RS, saClaims({ iss: ['a'] }), /its iss claim is a list, not a string/],
    ['serviceaccount uid a number', RS, saClaims({ 'kubernetes.io': { namespace: 'ns1', serviceaccount: { name: 'b', uid: 7 } } }), /kubernetes.io.serviceaccount claim is not/],
    ['pod a string', RS, saClaims({ 'kubernetes.io': { namespace: 'ns1', serviceaccount: { name: 'b', uid: 'u' }, pod: 'p' } }), /kubernetes.io.pod claim is not/],
    ['legacy secret name a number', RS, { iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:ns1:b', 'kubernetes.io/serviceaccount/namespace': 'ns1', 'kubernetes.io/serviceaccount/service-account.name': 'b', 'kubernetes.io/serviceaccount/service-account.uid': 'u', 'kubernetes.io/serviceaccount/secret.name': 5 }, /secret.name claim is not a string/],
  ];
  for (const [name, header, claims, reason] of rows) {
    const kube = kubeOf(inspect(jwt(header, claims)));
    assert.equal(kube.outcome, 'refused', name);
    assert.match((kube as { reason: string }).reason, reason, name);
  }
  // exp null is Go's nil NumericDate: no expiry, not an error.
  assert.equal(kubeOf(inspect(jwt(RS, saClaims({ exp: null })))).outcome, 'user');
});

test('a ServiceAccount token\'s "user" says the audience condition kube checks (jwt.go: audiences against --api-audiences)', () => {
  const kube = kubeOf(inspect(jwt(RS, saClaims())));
  assert.equal(kube.outcome, 'user');
  assert.match((kube as { condition: string }).condition, /one of its audiences \(https:\/\/kubernetes.default.svc\) is in the server's --api-audiences/);
});

test('kubeconfigs of the wrong types: each field named as a problem (client-go decodes into typed structs)', () => {
  const rows: [string, string, string[]][] = [
    ['numbers for strings', 'kind: Config\ncurrent-context: 5\nclusters:\n- name: 5\n  cluster: {server: 7}\n', ['current-context is a number, not a string: kubectl cannot load this kubeconfig', 'clusters[0].name is a number, not a string: kubectl cannot load this kubeconfig', 'clusters[0].cluster.server is a number, not a string: kubectl cannot load this kubeconfig']],
    ['a map where a list belongs', 'kind: Config\nclusters: {a: 1}\n', ['clusters is a map, not a list: kubectl cannot load this kubeconfig']],
    ['lists and numbers as entries', 'kind: Config\nusers: [[1], null, 3]\n', ['users[0] is a list, not a map: kubectl cannot load this kubeconfig', 'users[2] is a number, not a map: kubectl cannot load this kubeconfig']],
    ['a string for a bool, a list for a token', 'kind: Config\nclusters: [{name: c, cluster: {server: "https://x", insecure-skip-tls-verify: "true"}}]\nusers: [{name: u, user: {token: [a], as-groups: [1]}}]\n', ['clusters[0].cluster.insecure-skip-tls-verify is a string, not true or false: kubectl cannot load this kubeconfig', 'users[0].user.token is a list, not a string: kubectl cannot load this kubeconfig', 'users[0].user.as-groups holds a number, not only strings: kubectl cannot load this kubeconfig']],
    ['exec args not strings', 'kind: Config\nusers: [{name: u, user: {exec: {command: 5, args: [1]}}}]\n', ['users[0].user.exec.command is a number, not a string: kubectl cannot load this kubeconfig', 'users[0].user.exec.args holds a number, not only strings: kubectl cannot load this kubeconfig']],
    ['nulls are Go zero values, not problems', 'kind: Config\nclusters: [null, {name: c, cluster: null}]\nusers: null\n', []],
  ];
  for (const [name, text, problems] of rows) {
    const r = inspect(text);
    assert.equal(r.error, undefined, `${name}: ${r.error}`);
    const k = r.items[0] as KubeconfigItem;
    assert.deepEqual(k.problems.filter((p) => p.includes('kubectl cannot load')), problems, name);
  }
});

test('a context with no name is not "current" when there is no current-context', () => {
  const k = inspect('kind: Config\ncontexts: [{name: [1], context: {cluster: c}}]\n').items[0] as KubeconfigItem;
  assert.equal(k.contexts[0]!.current, false);
});

test('YAML that names kubeconfig fields but does not parse: the YAML error, not "CSV" or "none of these"', () => {
  let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
  let prev = 'a';
  for (const n of 'bcdefghijkl') {
    bomb += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = n;
  }
  bomb += `kind: Config\nclusters: [*${prev}]\n`;
  const rows: [string, string, RegExp][] = [
    ['alias bomb', bomb, /^a kubeconfig that is not valid YAML: Excessive alias count/],
    ['duplicate keys', 'kind: Config\nkind: Config\n', /^a kubeconfig that is not valid YAML: Map keys must be unique/],
  ];
  for (const [name, text, error] of rows) assert.match(inspect(text).error ?? '', error, name);
});

test('a kubeconfig pair kubectl cannot load: the certificate\'s user is refused, with --ca too; a key of another type named so', async () => {
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const kc = (key: string | undefined): string => stringify({ kind: 'Config', users: [{ name: 'u', user: { 'client-certificate-data': b64(jane.certPem), ...(key === undefined ? {} : { 'client-key-data': b64(key) }) } }] });
  const encrypted = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n';
  const rows: [string, string | undefined, RegExp][] = [
    ['an EC key for an RSA certificate', other, /tls: private key type does not match public key type/],
    ['another RSA key', otherRsa, /"tls: private key does not match public key"/],
    ['an encrypted key', encrypted, /the client key is encrypted/],
    ['no key', undefined, /without a client key/],
  ];
  for (const [name, key, problem] of rows) {
    for (const withCa of [false, true]) {
      const r = inspect(kc(key), withCa ? { ca: { source: 'ca.crt', bytes: Buffer.from(ca.certPem) } } : {});
      const u = (r.items[0] as KubeconfigItem).users[0]!;
      assert.ok(u.problems.some((p) => problem.test(p)), `${name}: ${u.problems.join('; ')}`);
      const leaf = u.clientCertificate[0] as CertificateItem;
      assert.equal(leaf.kube?.outcome, 'refused', `${name}${withCa ? ' with --ca' : ''}`);
    }
  }
  // The right key: still the user, settled by --ca.
  const ok = inspect(kc(jane.keyPem), { ca: { source: 'ca.crt', bytes: Buffer.from(ca.certPem) } });
  assert.equal(((ok.items[0] as KubeconfigItem).users[0]!.clientCertificate[0] as CertificateItem).kube?.outcome, 'user');
  // --key of another type against a certificate: Go's own words.
  const check = inspect(jane.certPem, { key: { source: 'ec.key', bytes: Buffer.from(other) } }).checks[0]!;
  assert.match(check.message, /kubectl would fail: tls: private key type does not match public key type/);
});

test('text output cuts a huge JWT header; -o json keeps it', () => {
  const r = inspect(jwt({ alg: 'RS256', x: 'a'.repeat(100_000) }, { sub: 'x' }));
  const text = renderInspectReport(r);
  assert.ok(text.length < 5000, `text is ${text.length} characters`);
  assert.match(text, /\(100022 characters in all; -o json has it whole\)/);
});

test('secrets: a password in server or proxy-url, a token, a key or a basic-auth password never reach the report', () => {
  const token = jwt(RS, saClaims());
  const doc = {
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://admin:s3cr3t-server@kube.example:6443', 'proxy-url': 'http://bob:s3cr3t-proxy@proxy:3128' } }],
    users: [{ name: 'x', user: { exec: { command: 'get-cred', args: ['--token', 's3cr3t-arg1', '--client-secret=s3cr3t-arg2', '--region', 'eu'] } } }, { name: 'u', user: { token, 'client-key-data': Buffer.from(jane.keyPem).toString('base64'), 'client-certificate-data': Buffer.from(jane.certPem).toString('base64') } }, { name: 'b', user: { username: 'bob', password: 's3cr3t-basic' } }],
  };
  const r = inspect(stringify(doc));
  const k = r.items[0] as KubeconfigItem;
  assert.equal(k.clusters[0]!.server, 'https://admin:REDACTED@kube.example:6443');
  assert.equal(k.clusters[0]!.proxyUrl, 'http://bob:REDACTED@proxy:3128');
  assert.deepEqual(k.users[0]!.exec?.args, ['--token', 'REDACTED', '--client-secret=REDACTED', '--region', 'eu']);
  const keyBody = jane.keyPem.split('\n')[1]!;
  for (const out of [JSON.stringify(r), renderInspectReport(r)]) {
    for (const secret of ['s3cr3t-arg1', 's3cr3t-arg2', 's3cr3t-server', 's3cr3t-proxy', 's3cr3t-basic', token.split('.')[2]!, keyBody.slice(0, 32)]) assert.ok(!out.includes(secret), `${secret} leaked`);
  }
});

test('a client certificate kube refuses whatever CA it trusts is "refused", not "user when its issuer is trusted" (x509-verify.ts rules)', async () => {
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = caKeys.publicKey;
  caCert.serialNumber = '01';
  caCert.validity.notBefore = new Date(NOW.getTime() - 86400_000);
  caCert.validity.notAfter = new Date(NOW.getTime() + 86400_000);
  caCert.setSubject([{ name: 'commonName', value: 'forge-ca' }]);
  caCert.setIssuer([{ name: 'commonName', value: 'forge-ca' }]);
  caCert.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, critical: true }]);
  caCert.sign(caKeys.privateKey, forge.md.sha256.create());
  const leaf = (opts: { md?: 'sha1' | 'sha256'; bits?: number; critical?: boolean; server?: boolean }): string => {
    const keys = forge.pki.rsa.generateKeyPair(opts.bits ?? 2048);
    const c = forge.pki.createCertificate();
    c.publicKey = keys.publicKey;
    c.serialNumber = '02';
    c.validity.notBefore = new Date(NOW.getTime() - 3600_000);
    c.validity.notAfter = new Date(NOW.getTime() + 3600_000);
    c.setSubject([{ name: 'commonName', value: 'bob' }, { name: 'organizationName', value: 'dev' }]);
    c.setIssuer(caCert.subject.attributes);
    const ext: object[] = [opts.server ? { name: 'extKeyUsage', serverAuth: true } : { name: 'extKeyUsage', clientAuth: true }];
    if (opts.critical) ext.push({ id: '1.2.3.4', critical: true, value: forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.UTF8, false, 'x')).getBytes() });
    c.setExtensions(ext);
    c.sign(caKeys.privateKey, (opts.md === 'sha1' ? forge.md.sha1 : forge.md.sha256).create());
    return forge.pki.certificateToPem(c);
  };
  const caPem = forge.pki.certificateToPem(caCert);
  const rows: [string, string, RegExp | 'user'][] = [
    ['a SHA-256 leaf (control)', leaf({}), 'user'],
    ['signed with SHA-1', leaf({ md: 'sha1' }), /insecure algorithm SHA1-RSA/],
    ['an unhandled critical extension', leaf({ critical: true }), /^x509: unhandled critical extension$/],
    ['a 512-bit RSA key', leaf({ bits: 512 }), /crypto\/rsa: 512-bit keys are insecure/],
  ];
  for (const [name, pem, want] of rows) {
    for (const withCa of [false, true]) {
      const r = inspect(pem, withCa ? { ca: { source: 'ca.crt', bytes: Buffer.from(caPem) } } : {});
      const kube = (r.items[0] as CertificateItem).kube!;
      if (want === 'user') assert.equal(kube.outcome, 'user', `${name}${withCa ? ' with --ca' : ''}`);
      else {
        assert.equal(kube.outcome, 'refused', `${name}${withCa ? ' with --ca' : ''}`);
        assert.match((kube as { reason: string }).reason, want, name);
      }
    }
  }
  // The same rules for a serving chain checked with --ca (node's own signature check would take SHA-1).
  const serving: [string, string, RegExp][] = [
    ['SHA-256 serving (control)', leaf({ server: true }), /^verifies to/],
    ['SHA-1 serving', leaf({ server: true, md: 'sha1' }), /insecure algorithm SHA1-RSA/],
    ['serving with an unhandled critical extension', leaf({ server: true, critical: true }), /unhandled critical extension/],
    ['serving with a 512-bit key', leaf({ server: true, bits: 512 }), /512-bit keys are insecure/],
  ];
  for (const [name, pem, want] of serving) {
    const check = inspect(pem, { ca: { source: 'ca.crt', bytes: Buffer.from(caPem) } }).checks[0]!;
    assert.match(check.message, want, name);
    assert.equal(check.ok, name.includes('control'), name);
  }
});

test('a CSR asking for a UID: kube\'s signer drops it (authority.go copies a pkix.Name), so the user has no uid and is not refused', async () => {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const rows: [string, string[]][] = [['one UID', ['u-1']], ['two UIDs (kube would refuse them in a certificate)', ['u-1', 'u-2']]];
  for (const [name, uids] of rows) {
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = keys.publicKey;
    csr.setSubject([{ name: 'commonName', value: 'bob' }, { name: 'organizationName', value: 'dev' }, ...uids.map((value) => ({ type: '1.3.6.1.4.1.57683.2', value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }))]);
    csr.sign(keys.privateKey, forge.md.sha256.create());
    const r = inspect(forge.pki.certificationRequestToPem(csr));
    assert.equal(r.error, undefined, r.error);
    const kube = (r.items[0] as { kube: JwtItem['kube'] }).kube;
    assert.equal(kube.outcome, 'user', name);
    const user = kube as Extract<JwtItem['kube'], { outcome: 'user' }>;
    assert.equal(user.uid, '', name);
    assert.match(user.condition ?? '', /the UID attribute it asks for is dropped by kube's signer/, name);
  }
});

test('more than 1000 PEM blocks or DER elements: one line, not n² issuer searches', () => {
  const tooMany = /^more than 1000 PEM blocks or DER elements/;
  assert.match(inspect(jane.certPem.repeat(1001)).error ?? '', tooMany);
  assert.match(inspect(Buffer.alloc(2 * 1001, Buffer.from([0x30, 0x00]))).error ?? '', tooMany);
  // 1000 is still read (a CA bundle holds some 150).
  const r = inspect(jane.certPem.repeat(1000));
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.items.length, 1000);
});

test('--key sharing only the RSA modulus of the certificate: a mismatch, in the words of what really happens', async () => {
  const { createPrivateKey } = await import('node:crypto');
  const jwk = createPrivateKey(jane.keyPem).export({ format: 'jwk' }) as Record<string, string>;
  const big = (s: string): bigint => BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`);
  const b64 = (n: bigint): string => Buffer.from(n.toString(16).padStart(2 * Math.ceil(n.toString(16).length / 2), '0'), 'hex').toString('base64url');
  const [p, q] = [big(jwk.p!), big(jwk.q!)];
  const phi = (p - 1n) * (q - 1n);
  const inverse = (a: bigint, m: bigint): bigint => {
    let [r0, r1, s0, s1] = [a, m, 1n, 0n];
    while (r1 !== 0n) {
      const t = r0 / r1;
      [r0, r1, s0, s1] = [r1, r0 - t * r1, s1, s0 - t * s1];
    }
    return r0 === 1n ? ((s0 % m) + m) % m : 0n;
  };
  let e = 65539n;
  while (inverse(e, phi) === 0n) e += 2n;
  const d = inverse(e, phi);
  const other = createPrivateKey({ key: { ...jwk, e: b64(e), d: b64(d), dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)) }, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }) as string;
  const check = inspect(jane.certPem, { key: { source: 'same-n.key', bytes: Buffer.from(other) } }).checks[0]!;
  assert.equal(check.ok, false);
  assert.match(check.message, /tls: private key does not match public key, with a recent Go .*compared only the RSA modulus/);
});
