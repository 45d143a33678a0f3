import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PkiError, type PkiErrorCode } from '../../../src/util/errors.js';
import {
  PKI_FILE_NAMES,
  createCa,
  generateRsaKey,
  issueClient,
  issueClientCert,
  issueServingCert,
  loadOrInitPki,
  type StoredPki,
} from '../../../src/pki/index.js';

const ALL_FILES = Object.values(PKI_FILE_NAMES).sort();
const KEY_FILES = ['ca.key', 'apiserver.key', 'sa.key', 'admin.key', 'front-proxy-ca.key', 'front-proxy-client.key'];
const DAY = 86_400_000;

let scratch: string;
/** One initialized folder, copied for each case so only the first init pays for keys. */
let template: string;
let templatePki: StoredPki;

before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'kam-pki-'));
  template = path.join(scratch, 'template', 'nested', 'pki');
  templatePki = await loadOrInitPki(template);
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let counter = 0;
async function copyOfTemplate(): Promise<string> {
  const dir = path.join(scratch, `case-${counter++}`);
  await cp(template, dir, { recursive: true });
  return dir;
}

async function mode(file: string): Promise<number> {
  return (await stat(file)).mode & 0o777;
}

test('init creates every file in kubeadm layout with private keys 0600', async () => {
  assert.equal(templatePki.dir, template);
  assert.deepEqual([...templatePki.created].sort(), ALL_FILES.map((f) => path.join(template, f)).sort());
  assert.deepEqual((await readdir(template)).sort(), ALL_FILES);
  assert.equal(await mode(template), 0o755);
  for (const f of ALL_FILES) {
    assert.equal(await mode(path.join(template, f)), KEY_FILES.includes(f) ? 0o600 : 0o644, f);
  }
  for (const f of KEY_FILES) {
    assert.match(await readFile(path.join(template, f), 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----\n/, f);
  }
  assert.match(await readFile(path.join(template, 'sa.pub'), 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
  assert.equal(templatePki.ca.cert.ca, true);
  assert.ok(templatePki.serving.cert.verify(templatePki.ca.cert.publicKey));
  assert.equal(templatePki.serving.cert.checkHost('kubernetes.default.svc.cluster.local'), 'kubernetes.default.svc.cluster.local');
  assert.equal(templatePki.admin.cert.subject, 'O=system:masters\nCN=admin');
  assert.ok(templatePki.admin.cert.verify(templatePki.ca.cert.publicKey));
  assert.equal(templatePki.servingReissued, false);
});

test('a second load reuses everything and writes nothing', async () => {
  const dir = await copyOfTemplate();
  const again = await loadOrInitPki(dir);
  assert.deepEqual(again.created, []);
  assert.equal(again.servingReissued, false);
  assert.equal(again.ca.cert.serialNumber, templatePki.ca.cert.serialNumber);
  assert.equal(again.serving.cert.serialNumber, templatePki.serving.cert.serialNumber);
  assert.equal(again.admin.cert.serialNumber, templatePki.admin.cert.serialNumber);
  assert.equal(again.serviceAccountKey.publicKeyPem, templatePki.serviceAccountKey.publicKeyPem);
  assert.equal(again.ca.keyPem, templatePki.ca.keyPem);
});

test('a new SAN reissues only the serving certificate, keeping its key and the CA', async () => {
  const dir = await copyOfTemplate();
  const servingKeyBefore = await readFile(path.join(dir, 'apiserver.key'), 'utf8');
  const reissued = await loadOrInitPki(dir, { sans: ['mock.example.test', '192.0.2.10', '2001:db8::10'] });
  assert.equal(reissued.servingReissued, true);
  assert.deepEqual(reissued.created, [path.join(dir, 'apiserver.crt')]);
  assert.notEqual(reissued.serving.cert.serialNumber, templatePki.serving.cert.serialNumber);
  assert.equal(reissued.ca.cert.serialNumber, templatePki.ca.cert.serialNumber);
  assert.equal(reissued.admin.cert.serialNumber, templatePki.admin.cert.serialNumber);
  assert.equal(await readFile(path.join(dir, 'apiserver.key'), 'utf8'), servingKeyBefore);
  assert.equal(reissued.serving.cert.checkHost('mock.example.test'), 'mock.example.test');
  assert.equal(reissued.serving.cert.checkIP('2001:db8::10'), '2001:db8::10');
  assert.equal(reissued.serving.cert.checkHost('localhost'), 'localhost', 'defaults kept');
  assert.ok(reissued.serving.cert.verify(reissued.ca.cert.publicKey));
  assert.equal(await mode(path.join(dir, 'apiserver.crt')), 0o644);
  assert.deepEqual((await readdir(dir)).sort(), ALL_FILES, 'no temp files left');

  const stable = await loadOrInitPki(dir, { sans: ['192.0.2.10', 'MOCK.example.test'] });
  assert.equal(stable.servingReissued, false, 'SANs already present (in any case or subset) do not reissue');
  assert.deepEqual(stable.created, []);
});

test('a missing sa.pub is derived from sa.key', async () => {
  const dir = await copyOfTemplate();
  await unlink(path.join(dir, 'sa.pub'));
  const pki = await loadOrInitPki(dir);
  assert.deepEqual(pki.created, [path.join(dir, 'sa.pub')]);
  assert.equal(await readFile(path.join(dir, 'sa.pub'), 'utf8'), templatePki.serviceAccountKey.publicKeyPem);
});

test('a missing admin pair is issued from the existing CA', async () => {
  const dir = await copyOfTemplate();
  await unlink(path.join(dir, 'admin.crt'));
  await unlink(path.join(dir, 'admin.key'));
  const pki = await loadOrInitPki(dir);
  assert.deepEqual(pki.created, [path.join(dir, 'admin.key'), path.join(dir, 'admin.crt')]);
  assert.ok(pki.admin.cert.verify(templatePki.ca.cert.publicKey));
  assert.equal(await mode(path.join(dir, 'admin.key')), 0o600);
});

interface BrokenCase {
  name: string;
  breakIt: (dir: string) => Promise<void>;
  code: PkiErrorCode;
  file: string;
  message?: RegExp;
}

async function otherKeyPem(): Promise<string> {
  return (await generateRsaKey(1024)).privateKeyPem;
}

const broken: BrokenCase[] = [
  {
    name: 'corrupt ca.crt',
    breakIt: (dir) => writeFile(path.join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n'),
    code: 'PKI_CORRUPT',
    file: 'ca.crt',
  },
  {
    name: 'ca.crt that is not PEM at all',
    breakIt: (dir) => writeFile(path.join(dir, 'ca.crt'), 'hello'),
    code: 'PKI_CORRUPT',
    file: 'ca.crt',
  },
  {
    name: 'corrupt apiserver.key',
    breakIt: (dir) => writeFile(path.join(dir, 'apiserver.key'), 'garbage'),
    code: 'PKI_CORRUPT',
    file: 'apiserver.key',
  },
  {
    name: 'corrupt sa.pub',
    breakIt: (dir) => writeFile(path.join(dir, 'sa.pub'), 'garbage'),
    code: 'PKI_CORRUPT',
    file: 'sa.pub',
  },
  {
    name: 'ca.crt is a directory',
    breakIt: async (dir) => {
      await unlink(path.join(dir, 'ca.crt'));
      await mkdir(path.join(dir, 'ca.crt'));
    },
    code: 'PKI_UNREADABLE',
    file: 'ca.crt',
  },
  {
    name: 'apiserver.key of another pair',
    breakIt: async (dir) => writeFile(path.join(dir, 'apiserver.key'), await otherKeyPem()),
    code: 'PKI_KEY_MISMATCH',
    file: 'apiserver.key',
  },
  {
    name: 'ca.key of another pair',
    breakIt: async (dir) => writeFile(path.join(dir, 'ca.key'), await otherKeyPem()),
    code: 'PKI_KEY_MISMATCH',
    file: 'ca.key',
  },
  {
    name: 'sa.key not matching sa.pub',
    breakIt: async (dir) => writeFile(path.join(dir, 'sa.key'), await otherKeyPem()),
    code: 'PKI_KEY_MISMATCH',
    file: 'sa.key',
  },
  {
    name: 'missing apiserver.key',
    breakIt: (dir) => unlink(path.join(dir, 'apiserver.key')),
    code: 'PKI_INCOMPLETE',
    file: 'apiserver.key',
  },
  {
    name: 'missing admin.crt',
    breakIt: (dir) => unlink(path.join(dir, 'admin.crt')),
    code: 'PKI_INCOMPLETE',
    file: 'admin.crt',
  },
  {
    name: 'missing ca.key',
    breakIt: (dir) => unlink(path.join(dir, 'ca.key')),
    code: 'PKI_INCOMPLETE',
    file: 'ca.key',
  },
  {
    name: 'missing sa.key with sa.pub present',
    breakIt: (dir) => unlink(path.join(dir, 'sa.key')),
    code: 'PKI_INCOMPLETE',
    file: 'sa.key',
  },
  {
    name: 'CA pair gone but leaves left',
    breakIt: async (dir) => {
      await unlink(path.join(dir, 'ca.key'));
      await unlink(path.join(dir, 'ca.crt'));
    },
    code: 'PKI_INCOMPLETE',
    file: 'ca.crt',
  },
  {
    name: 'ca.crt that is not a CA',
    breakIt: async (dir) => {
      const leaf = await issueClientCert(templatePki.ca, { user: 'not-a-ca' });
      await writeFile(path.join(dir, 'ca.crt'), leaf.certPem);
      await writeFile(path.join(dir, 'ca.key'), leaf.keyPem);
    },
    code: 'PKI_NOT_CA',
    file: 'ca.crt',
  },
  {
    name: 'expired CA',
    breakIt: async (dir) => {
      const old = await createCa({ notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) });
      await writeFile(path.join(dir, 'ca.crt'), old.certPem);
      await writeFile(path.join(dir, 'ca.key'), old.keyPem);
    },
    code: 'PKI_EXPIRED',
    file: 'ca.crt',
    message: /expired on \d{4}-\d\d-\d\dT.*delete the folder/,
  },
  {
    name: 'expired serving certificate',
    breakIt: async (dir) => {
      const key = await generateRsaKey(1024);
      const old = await issueServingCert(templatePki.ca, {
        sans: ['localhost'],
        key,
        notBefore: new Date(Date.now() - 30 * DAY),
        notAfter: new Date(Date.now() - DAY),
      });
      await writeFile(path.join(dir, 'apiserver.crt'), old.certPem);
      await writeFile(path.join(dir, 'apiserver.key'), old.keyPem);
    },
    code: 'PKI_EXPIRED',
    file: 'apiserver.crt',
    message: /expired on .*delete .*apiserver\.crt and .*apiserver\.key/,
  },
  {
    name: 'serving certificate from another CA',
    breakIt: async (dir) => {
      const otherCa = await createCa({ key: await generateRsaKey(1024) });
      const foreign = await issueServingCert(otherCa, { sans: ['localhost'], key: await generateRsaKey(1024) });
      await writeFile(path.join(dir, 'apiserver.crt'), foreign.certPem);
      await writeFile(path.join(dir, 'apiserver.key'), foreign.keyPem);
    },
    code: 'PKI_WRONG_ISSUER',
    file: 'apiserver.crt',
  },
];

for (const c of broken) {
  test(`refuses to start with ${c.name}: ${c.code}`, async () => {
    const dir = await copyOfTemplate();
    await c.breakIt(dir);
    const listing = (await readdir(dir)).sort();
    const err = await loadOrInitPki(dir, { sans: ['new-name.test'] }).then(
      () => assert.fail('loadOrInitPki should have thrown'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PkiError, `${c.name}: got ${String(err)}`);
    assert.equal(err.code, c.code, `${c.name}: ${err.message}`);
    assert.equal(err.file, path.join(dir, c.file));
    assert.ok(err.message.startsWith(`${path.join(dir, c.file)}: `), err.message);
    if (c.message) assert.match(err.message, c.message);
    assert.deepEqual((await readdir(dir)).sort(), listing, 'nothing written on failure');
  });
}

test('issueClient issues from the stored CA without writing', async () => {
  const dir = await copyOfTemplate();
  const pki = await loadOrInitPki(dir);
  const client = await issueClient(pki, { user: 'jane', groups: ['a', 'b'], validityDays: 1 });
  assert.equal(client.cert.subject, 'O=a\nO=b\nCN=jane');
  assert.ok(client.cert.verify(pki.ca.cert.publicKey));
  assert.deepEqual((await readdir(dir)).sort(), ALL_FILES);
});

test('invalid extra SANs are rejected before anything is written', async () => {
  const dir = path.join(scratch, 'never-created');
  await assert.rejects(loadOrInitPki(dir, { sans: ['bad name'] }), RangeError);
  await assert.rejects(stat(dir), { code: 'ENOENT' });
});

test('file and folder modes do not depend on the umask', async () => {
  for (const mask of [0o077, 0o000]) {
    const previous = process.umask(mask);
    try {
      const dir = path.join(scratch, `umask-${mask.toString(8)}`, 'pki');
      await loadOrInitPki(dir, { keyBits: 1024 });
      assert.equal(await mode(dir), 0o755, `folder with umask ${mask.toString(8)}`);
      for (const f of ALL_FILES) {
        assert.equal(await mode(path.join(dir, f)), KEY_FILES.includes(f) ? 0o600 : 0o644, `${f} with umask ${mask.toString(8)}`);
      }
    } finally {
      process.umask(previous);
    }
  }
});
