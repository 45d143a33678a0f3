import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SERVING_SANS,
  ipToBytes,
  parseSans,
  profileExtensions,
  serialFromBytes,
  type ForgeExtension,
} from '../../../src/pki/profiles.js';

test('serialFromBytes makes positive, minimally encodable serials', () => {
  const cases: Array<{ name: string; input: number[]; want: string }> = [
    { name: 'top bit cleared', input: [0xff, 0xaa], want: '7faa' },
    { name: 'small first byte kept', input: [0x12, 0x34], want: '1234' },
    { name: 'zero first byte bumped to 1', input: [0x00, 0x80], want: '0180' },
    { name: '0x80 first byte becomes 1, not 0', input: [0x80, 0x00], want: '0100' },
  ];
  for (const c of cases) {
    assert.equal(serialFromBytes(Uint8Array.from(c.input)), c.want, c.name);
  }
  assert.throws(() => serialFromBytes(new Uint8Array(0)), RangeError);
});

test('ipToBytes parses IPv4 and IPv6 literals and rejects the rest', () => {
  const cases: Array<{ input: string; want: string | undefined }> = [
    { input: '127.0.0.1', want: '7f000001' },
    { input: '10.96.0.1', want: '0a600001' },
    { input: '::1', want: '00000000000000000000000000000001' },
    { input: '[::1]', want: '00000000000000000000000000000001' },
    { input: '::', want: '00000000000000000000000000000000' },
    { input: 'fd00:10:96::1', want: 'fd000010009600000000000000000001' },
    { input: '2001:db8::', want: '20010db8000000000000000000000000' },
    { input: '1:2:3:4:5:6:7:8', want: '00010002000300040005000600070008' },
    { input: '::ffff:192.168.1.2', want: '00000000000000000000ffffc0a80102' },
    { input: '256.0.0.1', want: undefined },
    { input: '01.2.3.4', want: undefined },
    { input: '1.2.3', want: undefined },
    { input: 'fe80::1%eth0', want: undefined },
    { input: '1:2:3:4:5:6:7:8:9', want: undefined },
    { input: 'localhost', want: undefined },
  ];
  for (const c of cases) {
    const got = ipToBytes(c.input);
    assert.equal(got === undefined ? undefined : Buffer.from(got).toString('hex'), c.want, c.input);
  }
});

test('parseSans classifies, lower-cases and de-duplicates', () => {
  const got = parseSans(['Localhost', '127.0.0.1', '[::1]', 'localhost', '0:0::1', '*.Example.com', ' api.test ']);
  assert.deepEqual(
    got.map((s) => (s.kind === 'dns' ? `dns:${s.name}` : `ip:${s.address}`)),
    ['dns:localhost', 'ip:127.0.0.1', 'ip:::1', 'dns:*.example.com', 'dns:api.test'],
  );
});

test('parseSans rejects what is neither an IP nor a DNS name', () => {
  for (const bad of ['', 'has space', 'a..b', '-lead.example', 'x,y', '300.1.1.1', 'http://x', 'a.*.b']) {
    assert.throws(() => parseSans([bad]), RangeError, JSON.stringify(bad));
  }
});

test('DEFAULT_SERVING_SANS covers loopback in both families and the in-cluster names', () => {
  assert.deepEqual(
    [...DEFAULT_SERVING_SANS].sort(),
    [
      '127.0.0.1',
      '::1',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'localhost',
    ].sort(),
  );
  assert.ok(Object.isFrozen(DEFAULT_SERVING_SANS));
});

function byName(exts: ForgeExtension[]): Map<string, ForgeExtension> {
  return new Map(exts.map((e) => [e.name, e]));
}

test('profiles map intent to extensions', () => {
  const sans = parseSans(['localhost', '::1']);
  const cases = [
    {
      profile: 'ca' as const,
      ca: true,
      keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
      eku: undefined,
      san: false,
    },
    {
      profile: 'serving' as const,
      ca: false,
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      eku: ['serverAuth'],
      san: true,
    },
    {
      profile: 'client' as const,
      ca: false,
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      eku: ['clientAuth'],
      san: false,
    },
  ];
  for (const c of cases) {
    const exts = byName(profileExtensions(c.profile, { sans, authorityKeyId: 'abcd' }));
    const bc = exts.get('basicConstraints');
    assert.deepEqual(bc, { name: 'basicConstraints', critical: true, cA: c.ca }, c.profile);
    const ku = exts.get('keyUsage') as Record<string, unknown>;
    assert.equal(ku.critical, true, `${c.profile} keyUsage critical`);
    assert.deepEqual(
      Object.keys(ku).filter((k) => k !== 'name' && k !== 'critical').sort(),
      [...c.keyUsage].sort(),
      `${c.profile} keyUsage bits`,
    );
    const eku = exts.get('extKeyUsage') as Record<string, unknown> | undefined;
    assert.deepEqual(eku && Object.keys(eku).filter((k) => k !== 'name'), c.eku, `${c.profile} extKeyUsage`);
    assert.equal(exts.has('subjectAltName'), c.san, `${c.profile} SAN`);
    assert.ok(exts.has('subjectKeyIdentifier'), `${c.profile} SKI`);
    assert.deepEqual(exts.get('authorityKeyIdentifier'), {
      name: 'authorityKeyIdentifier',
      keyIdentifier: Buffer.from('abcd', 'hex').toString('binary'),
    });
  }
});

test('a self-signed CA names itself as authority', () => {
  const aki = byName(profileExtensions('ca', { authorityKeyId: 'self' })).get('authorityKeyIdentifier');
  assert.deepEqual(aki, { name: 'authorityKeyIdentifier', keyIdentifier: true });
});

test('extKeyUsage can be overridden or dropped', () => {
  const none = byName(profileExtensions('client', { authorityKeyId: 'ab', extKeyUsage: [] }));
  assert.equal(none.has('extKeyUsage'), false);
  const server = byName(profileExtensions('client', { authorityKeyId: 'ab', extKeyUsage: ['serverAuth'] }));
  assert.deepEqual(server.get('extKeyUsage'), { name: 'extKeyUsage', serverAuth: true });
});

test('serving SANs keep IPs as raw bytes and DNS names as text', () => {
  const exts = byName(profileExtensions('serving', { authorityKeyId: 'ab', sans: parseSans(['a.test', '10.0.0.1', '::1']) }));
  assert.deepEqual(exts.get('subjectAltName'), {
    name: 'subjectAltName',
    altNames: [
      { type: 2, value: 'a.test' },
      { type: 7, value: '\x0a\x00\x00\x01' },
      { type: 7, value: `${'\x00'.repeat(15)}\x01` },
    ],
  });
  assert.throws(() => profileExtensions('serving', { authorityKeyId: 'ab', sans: [] }), RangeError);
});
