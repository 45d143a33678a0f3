// Each scenario's certificates have the property the catalog claims (expired, wrong usage, another CA, ...), and for
// the scenarios the server refuses, the mock's x509 verification (Go's rules, src/authn/x509-verify.ts) gives the
// reason the catalog documents. The kubectl side is test/e2e/certificate-scenarios.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createInMemoryPki, DEFAULT_SERVING_SANS, type Pki } from '../../../src/pki/index.js';
import { verifyClientChain } from '../../../src/authn/x509.js';
import {
  buildScenario,
  fillMessage,
  messagePattern,
  MISMATCHED_SERVER_NAME,
  SCENARIO_NAMES,
  ScenarioError,
  scenarioInfo,
  scenarioUser,
  type BuiltScenario,
  type ScenarioName,
} from '../../../src/scenarios/index.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER = 'https://127.0.0.1:6443';

let pki: Pki;
const built = new Map<ScenarioName, BuiltScenario>();

before(async () => {
  pki = await createInMemoryPki();
  for (const name of SCENARIO_NAMES) built.set(name, await buildScenario(name, { pki, server: SERVER }));
});

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string; 'tls-server-name'?: string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

function kubeconfigOf(name: ScenarioName): Kubeconfig {
  return parse(built.get(name)!.kubeconfig) as Kubeconfig;
}

const unbase64 = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

/** The kubeconfig's client chain (leaf first), key and trusted CA. */
function credentials(name: ScenarioName): { chain: X509Certificate[]; keyPem: string; ca: X509Certificate; tlsServerName: string | undefined } {
  const kc = kubeconfigOf(name);
  const certs = unbase64(kc.users[0]!.user['client-certificate-data']).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return {
    chain: certs.map((c) => new X509Certificate(c)),
    keyPem: unbase64(kc.users[0]!.user['client-key-data']),
    ca: new X509Certificate(unbase64(kc.clusters[0]!.cluster['certificate-authority-data'])),
    tlsServerName: kc.clusters[0]!.cluster['tls-server-name'],
  };
}

const issuedBy = (cert: X509Certificate, ca: X509Certificate): boolean => cert.checkIssued(ca) && cert.verify(ca.publicKey);
const now = (): number => Date.now();

function fileText(name: ScenarioName, file: string): string {
  const f = built.get(name)!.files.find((x) => x.name === file);
  assert.ok(f, `${name} has no file ${file}`);
  return f.content;
}

/** What the server's x509 authenticator says, after its "verifying certificate ... failed: " prefix. */
function serverVerdict(name: ScenarioName): string | undefined {
  const { chain } = credentials(name);
  const result = verifyClientChain(chain, [pki.ca.cert], new Date());
  return typeof result === 'string' ? result : undefined;
}

/** The catalog's server reason without kube's certificateIdentifier prefix, filled with the scenario's facts. */
function documentedVerdict(name: ScenarioName): RegExp {
  const reason = scenarioInfo(name).serverReason;
  assert.ok(reason, `${name} documents no server reason`);
  const verdict = reason.replace(/^verifying certificate SN=<serial>, SKID=<skid>, AKID=<akid> failed: /, '');
  return messagePattern(fillMessage(verdict, built.get(name)!.facts));
}

const properties: { name: ScenarioName; check: () => void }[] = [
  {
    name: 'wrong-ca',
    check: () => {
      const { chain, ca } = credentials('wrong-ca');
      assert.ok(!issuedBy(pki.serving.cert, ca), 'the trusted CA must not have signed the serving certificate');
      assert.ok(issuedBy(chain[0]!, pki.ca.cert), 'the client certificate is a good one');
      assert.equal(serverVerdict('wrong-ca'), undefined);
    },
  },
  {
    name: 'expired-client',
    check: () => {
      const { chain, ca } = credentials('expired-client');
      assert.ok(new Date(chain[0]!.validTo).getTime() < now(), 'expired');
      assert.ok(issuedBy(chain[0]!, pki.ca.cert));
      assert.equal(ca.fingerprint256, pki.ca.cert.fingerprint256);
      assert.match(serverVerdict('expired-client')!, documentedVerdict('expired-client'));
    },
  },
  {
    name: 'not-yet-valid-client',
    check: () => {
      const { chain } = credentials('not-yet-valid-client');
      assert.ok(new Date(chain[0]!.validFrom).getTime() > now(), 'not yet valid');
      assert.ok(issuedBy(chain[0]!, pki.ca.cert));
      assert.match(serverVerdict('not-yet-valid-client')!, documentedVerdict('not-yet-valid-client'));
    },
  },
  {
    name: 'hostname-mismatch',
    check: () => {
      const { chain, ca, tlsServerName } = credentials('hostname-mismatch');
      assert.equal(tlsServerName, MISMATCHED_SERVER_NAME);
      assert.equal(pki.serving.cert.checkHost(MISMATCHED_SERVER_NAME), undefined, 'the name is not among the SANs');
      assert.equal(ca.fingerprint256, pki.ca.cert.fingerprint256);
      assert.equal(serverVerdict('hostname-mismatch'), undefined, `${chain.length} good client certificate`);
      assert.equal(built.get('hostname-mismatch')!.facts.sans, DEFAULT_SERVING_SANS.filter((s) => /[a-z]/.test(s)).join(', '));
    },
  },
  {
    name: 'no-client-auth-usage',
    check: () => {
      const { chain } = credentials('no-client-auth-usage');
      // An extKeyUsage extension that lists serverAuth only: a missing extension would mean any usage to Go.
      assert.deepEqual(chain[0]!.keyUsage, [SERVER_AUTH]);
      assert.ok(issuedBy(chain[0]!, pki.ca.cert));
      assert.match(serverVerdict('no-client-auth-usage')!, documentedVerdict('no-client-auth-usage'));
    },
  },
  {
    name: 'untrusted-intermediate',
    check: () => {
      const { chain } = credentials('untrusted-intermediate');
      assert.equal(chain.length, 2, 'leaf and intermediate are sent');
      const [leaf, intermediate] = chain as [X509Certificate, X509Certificate];
      assert.ok(intermediate.ca, 'the second certificate is a CA');
      assert.ok(issuedBy(leaf, intermediate), 'the intermediate signed the leaf');
      assert.ok(!issuedBy(intermediate, pki.ca.cert), 'the intermediate does not chain to the server\'s CA');
      const root = new X509Certificate(fileText('untrusted-intermediate', 'untrusted-intermediate-ca.crt'));
      assert.ok(issuedBy(intermediate, root), 'the written root signed the intermediate');
      assert.equal(typeof verifyClientChain(chain, [pki.ca.cert, root], new Date()), 'object', 'with the root trusted, the chain verifies');
      assert.match(serverVerdict('untrusted-intermediate')!, documentedVerdict('untrusted-intermediate'));
    },
  },
  {
    name: 'key-mismatch',
    check: () => {
      const { chain, keyPem } = credentials('key-mismatch');
      assert.ok(issuedBy(chain[0]!, pki.ca.cert));
      assert.equal(chain[0]!.checkPrivateKey(createPrivateKey(keyPem)), false);
    },
  },
  {
    name: 'expired-server',
    check: () => {
      const serving = new X509Certificate(fileText('expired-server', 'expired-server.crt'));
      assert.ok(new Date(serving.validTo).getTime() < now(), 'expired');
      assert.ok(issuedBy(serving, pki.ca.cert));
      assert.ok(serving.checkPrivateKey(createPrivateKey(fileText('expired-server', 'expired-server.key'))));
      assert.deepEqual(serving.keyUsage, [SERVER_AUTH]);
      for (const san of DEFAULT_SERVING_SANS) assert.ok(/:/.test(san) || /^\d/.test(san) ? serving.checkIP(san) : serving.checkHost(san), san);
      assert.equal(built.get('expired-server')!.facts.notAfter, new Date(serving.validTo).toISOString().replace(/\.000Z$/, 'Z'));
      // The kubeconfig's own credentials are good.
      assert.equal(serverVerdict('expired-server'), undefined);
      assert.deepEqual(built.get('expired-server')!.serveArgs, ['--tls-cert-file', 'expired-server.crt', '--tls-private-key-file', 'expired-server.key']);
    },
  },
  {
    name: 'unknown-client-ca',
    check: () => {
      const { chain, ca } = credentials('unknown-client-ca');
      const other = new X509Certificate(fileText('unknown-client-ca', 'unknown-client-ca-ca.crt'));
      assert.ok(issuedBy(chain[0]!, other));
      assert.ok(!issuedBy(chain[0]!, pki.ca.cert));
      assert.deepEqual(chain[0]!.keyUsage, [CLIENT_AUTH]);
      assert.equal(ca.fingerprint256, pki.ca.cert.fingerprint256, 'the kubeconfig trusts the right server CA');
      assert.match(serverVerdict('unknown-client-ca')!, documentedVerdict('unknown-client-ca'));
    },
  },
];

test('every scenario has a property test here', () => {
  assert.deepEqual(properties.map((p) => p.name).sort(), [...SCENARIO_NAMES].sort());
});

for (const { name, check } of properties) {
  test(`${name}: ${scenarioInfo(name).summary}`, () => {
    check();
    const b = built.get(name)!;
    assert.equal(kubeconfigOf(name).clusters[0]!.cluster.server, SERVER);
    assert.equal(kubeconfigOf(name).users[0]!.name, scenarioUser(name));
    assert.equal(b.files[0]!.name, `${name}.kubeconfig`);
    assert.equal(b.files[0]!.content, b.kubeconfig);
    assert.ok(!b.kubectlMessage.includes('\n'));
    // Only the request time is left to fill.
    assert.doesNotMatch(b.kubectlMessage.replace('<now>', ''), /<[a-zA-Z]+>/);
  });
}

test('the client-side scenarios pass the server\'s verification; the 401 ones document why the server refuses', () => {
  for (const name of SCENARIO_NAMES) {
    const info = scenarioInfo(name);
    if (info.refusedBy === 'server') assert.ok(info.serverReason && info.kubectl === 'error: You must be logged in to the server (Unauthorized)', name);
    else assert.equal(info.serverReason, undefined, name);
  }
});

test('messagePattern: <now> is an RFC 3339 time, other placeholders any text, the rest literal', () => {
  const p = messagePattern('current time <now> is after 2026-01-01T00:00:00Z (x.y)');
  assert.match('current time 2026-12-04T13:51:11Z is after 2026-01-01T00:00:00Z (x.y)', p);
  assert.match('current time 2026-12-04T14:51:11+01:00 is after 2026-01-01T00:00:00Z (x.y)', p);
  assert.doesNotMatch('current time yesterday is after 2026-01-01T00:00:00Z (x.y)', p);
  assert.doesNotMatch('current time 2026-12-04T13:51:11Z is after 2026-01-01T00:00:00Z (xzy)', p);
  assert.equal(fillMessage('a <x> <now>', { x: 'b' }), 'a b <now>');
});

test('bad input: an unknown name or a non-https server is a ScenarioError', async () => {
  await assert.rejects(buildScenario('nope', { pki, server: SERVER }), (err: unknown) => err instanceof ScenarioError && /unknown scenario "nope": one of wrong-ca,/.test(err.message));
  await assert.rejects(buildScenario('wrong-ca', { pki, server: 'http://127.0.0.1:6443' }), ScenarioError);
  await assert.rejects(buildScenario('wrong-ca', { pki, server: 'not a url' }), /invalid server URL "not a url"/);
});

let dir: string | undefined;
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('with a folder, every file is written 0600 and serveArgs name the written serving pair', async () => {
  dir = await mkdtemp(join(tmpdir(), 'kam-scenario-'));
  const b = await buildScenario('expired-server', { pki, server: SERVER, dir });
  assert.deepEqual((await readdir(dir)).sort(), ['expired-server.crt', 'expired-server.key', 'expired-server.kubeconfig']);
  for (const f of b.files) assert.equal((await stat(f.path!)).mode & 0o777, 0o600, f.name);
  assert.equal(b.kubeconfigFile, join(dir, 'expired-server.kubeconfig'));
  assert.deepEqual(b.serveArgs, ['--tls-cert-file', join(dir, 'expired-server.crt'), '--tls-private-key-file', join(dir, 'expired-server.key')]);
});

test('hostname-mismatch picks another name when the serving certificate lists kube-api.example.com', async () => {
  const withSan = await createInMemoryPki({ sans: [MISMATCHED_SERVER_NAME] });
  const b = await buildScenario('hostname-mismatch', { pki: withSan, server: SERVER });
  const host = b.facts.host!;
  assert.notEqual(host, MISMATCHED_SERVER_NAME);
  assert.equal(withSan.serving.cert.checkHost(host), undefined);
  assert.equal((parse(b.kubeconfig) as Kubeconfig).clusters[0]!.cluster['tls-server-name'], host);
  assert.match(b.kubectlMessage, new RegExp(`kube-api\\.example\\.com, not ${host.replace(/[.]/g, '\\.')}$`));
});
