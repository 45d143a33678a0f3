// Reading the key exchange group and the client random off a handshake's plaintext (src/tls/handshake-records.ts),
// on hand-built records: RFC 8446 §4.1.2-4.1.3 and §4.2.8 (TLS 1.3), RFC 5246 §7.4 and RFC 8422 §5.4 (TLS 1.2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientHelloServerName, groupName, HandshakeObserver, HandshakeReader, parseServerHello, serverKeyExchangeCurve, type ObservedHandshake } from '../../../src/tls/handshake-records.js';

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number): Buffer => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
const record = (type: number, payload: Buffer): Buffer => cat(Buffer.from([type, 3, 3]), u16(payload.length), payload);
const message = (type: number, body: Buffer): Buffer => cat(Buffer.from([type]), u24(body.length), body);
const extension = (type: number, data: Buffer): Buffer => cat(u16(type), u16(data.length), data);

const RANDOM = Buffer.alloc(32, 0xab);
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const SESSION_ID = Buffer.alloc(32, 0x11);

function serverHello(opts: { suite: number; extensions?: Buffer[]; random?: Buffer }): Buffer {
  const exts = opts.extensions === undefined ? Buffer.alloc(0) : cat(u16(Buffer.concat(opts.extensions).length), ...opts.extensions);
  return message(2, cat(u16(0x0303), opts.random ?? RANDOM, Buffer.from([SESSION_ID.length]), SESSION_ID, u16(opts.suite), Buffer.from([0]), exts));
}
const supportedVersions13 = extension(43, u16(0x0304));
const keyShare = (group: number, keyLength = 32): Buffer => extension(51, cat(u16(group), u16(keyLength), Buffer.alloc(keyLength, 7)));
const certificate = message(11, cat(u24(1003), u24(1000), Buffer.alloc(1000, 0x30)));
const serverKeyExchange = (curveType: number, group: number): Buffer => message(12, cat(Buffer.from([curveType]), u16(group), Buffer.from([65]), Buffer.alloc(65, 4), u16(0x0403), u16(8), Buffer.alloc(8, 9)));
const serverHelloDone = message(14, Buffer.alloc(0));
const changeCipherSpec = record(20, Buffer.from([1]));
const clientHello = (random: Buffer, extensions: Buffer[] = []): Buffer =>
  message(1, cat(u16(0x0303), random, Buffer.from([0]), u16(2), u16(0x1301), Buffer.from([1, 0]), u16(Buffer.concat(extensions).length), ...extensions));
const serverName = (name: string): Buffer => extension(0, cat(u16(name.length + 3), Buffer.from([0]), u16(name.length), Buffer.from(name, 'latin1')));

interface Case {
  name: string;
  server: Buffer;
  expected: Omit<ObservedHandshake, 'clientRandom'>;
}

const cases: Case[] = [
  {
    name: 'TLS 1.3: the ServerHello key_share names X25519',
    server: cat(record(22, serverHello({ suite: 0x1301, extensions: [supportedVersions13, keyShare(0x001d)] })), changeCipherSpec, record(23, Buffer.alloc(40))),
    expected: { group: 0x001d, helloRetryRequest: false },
  },
  {
    name: 'TLS 1.3: a hybrid post-quantum group (X25519MLKEM768, 0x11ec)',
    server: record(22, serverHello({ suite: 0x1302, extensions: [keyShare(0x11ec, 1120), supportedVersions13] })),
    expected: { group: 0x11ec, helloRetryRequest: false },
  },
  {
    name: 'TLS 1.3: a HelloRetryRequest for P-256, its ChangeCipherSpec, then the ServerHello with P-256',
    server: cat(
      record(22, serverHello({ suite: 0x1301, random: HRR_RANDOM, extensions: [supportedVersions13, extension(51, u16(0x0017))] })),
      changeCipherSpec,
      record(22, serverHello({ suite: 0x1301, extensions: [supportedVersions13, keyShare(0x0017, 65)] })),
    ),
    expected: { group: 0x0017, helloRetryRequest: true },
  },
  {
    name: 'TLS 1.3: a PSK-only resumption (psk_ke) has no key_share, so no group',
    server: record(22, serverHello({ suite: 0x1301, extensions: [supportedVersions13, extension(41, u16(0))] })),
    expected: { helloRetryRequest: false },
  },
  {
    name: 'TLS 1.2 ECDHE: the ServerKeyExchange names P-384, after a Certificate split across two records',
    server: (() => {
      const flight = cat(serverHello({ suite: 0xc02f, extensions: [extension(0xff01, Buffer.from([0]))] }), certificate, serverKeyExchange(3, 0x0018), serverHelloDone);
      return cat(record(22, flight.subarray(0, 300)), record(22, flight.subarray(300)));
    })(),
    expected: { group: 0x0018, helloRetryRequest: false },
  },
  {
    name: 'TLS 1.2 ServerHello without extensions (old servers) still leads to the ServerKeyExchange',
    server: record(22, cat(serverHello({ suite: 0xc02b }), serverKeyExchange(3, 0x001d), serverHelloDone)),
    expected: { group: 0x001d, helloRetryRequest: false },
  },
  {
    name: 'TLS 1.2 resumed: ServerHello, ChangeCipherSpec, then an encrypted Finished that is never read',
    server: cat(record(22, serverHello({ suite: 0xc02f })), changeCipherSpec, record(22, cat(Buffer.from([12, 0, 0, 4, 3, 0, 0x17, 0]), Buffer.alloc(32, 0xee)))),
    expected: { helloRetryRequest: false },
  },
  {
    name: 'TLS 1.2 DHE: a ServerKeyExchange whose dh_p length starts with 3 is not read as a named curve',
    server: record(22, cat(serverHello({ suite: 0x009e }), serverKeyExchange(3, 0x0017), serverHelloDone)),
    expected: { helloRetryRequest: false },
  },
  {
    name: 'TLS 1.2 ECDHE with explicit curve parameters (curve type 1) has no named group',
    server: record(22, cat(serverHello({ suite: 0xc02f }), serverKeyExchange(1, 0x0017), serverHelloDone)),
    expected: { helloRetryRequest: false },
  },
  {
    name: 'not TLS at all (a plain HTTP answer)',
    server: Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'),
    expected: { helloRetryRequest: false },
  },
  {
    name: 'a ServerHello cut short',
    server: record(22, message(2, Buffer.alloc(20, 3))),
    expected: { helloRetryRequest: false },
  },
];

for (const c of cases) {
  test(`server flight: ${c.name}`, () => {
    const whole = new HandshakeObserver();
    whole.fromServer(c.server);
    assert.deepEqual(whole.facts, c.expected);
    // The same bytes one at a time, as TCP may deliver them.
    const bytewise = new HandshakeObserver();
    for (const byte of c.server) bytewise.fromServer(Buffer.from([byte]));
    assert.deepEqual(bytewise.facts, c.expected);
  });
}

test('client flight: the ClientHello random, also when the ClientHello spans two records', () => {
  const random = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  const hello = clientHello(random);
  for (const bytes of [record(22, hello), cat(record(22, hello.subarray(0, 10)), record(22, hello.subarray(10)))]) {
    const observer = new HandshakeObserver();
    observer.fromClient(bytes.subarray(0, 7));
    observer.fromClient(bytes.subarray(7));
    assert.equal(observer.facts.clientRandom, random.toString('hex'));
  }
  const http = new HandshakeObserver();
  http.fromClient(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  assert.equal(http.facts.clientRandom, undefined);
});

test('the observer is done once both directions said all they will, and ignores what follows', () => {
  const observer = new HandshakeObserver();
  observer.fromClient(record(22, clientHello(RANDOM)));
  assert.equal(observer.done, false);
  observer.fromServer(record(22, serverHello({ suite: 0x1301, extensions: [supportedVersions13, keyShare(0x001d)] })));
  assert.equal(observer.done, true);
  observer.fromServer(record(22, serverHello({ suite: 0x1301, extensions: [supportedVersions13, keyShare(0x0017)] })));
  assert.equal(observer.facts.group, 0x001d);
});

test('group names: IANA registry names, NIST curves as P-256; an unnamed id is printed in hex', () => {
  const table: [number, string][] = [
    [0x0017, 'P-256'],
    [0x0018, 'P-384'],
    [0x0019, 'P-521'],
    [0x001d, 'X25519'],
    [0x001e, 'X448'],
    [0x0100, 'ffdhe2048'],
    [0x11ec, 'X25519MLKEM768'],
    [0x11eb, 'SecP256r1MLKEM768'],
    [0xabcd, '0xabcd'],
    [0x0005, '0x0005'],
  ];
  for (const [id, name] of table) assert.equal(groupName(id), name, `0x${id.toString(16)}`);
});

test('parseServerHello and serverKeyExchangeCurve refuse what does not parse, and never throw', () => {
  assert.equal(parseServerHello(Buffer.alloc(10)), undefined);
  // An extensions block longer than the message.
  const hello = serverHello({ suite: 0x1301, extensions: [keyShare(0x001d)] }).subarray(4);
  assert.equal(parseServerHello(hello.subarray(0, hello.length - 5)), undefined);
  assert.equal(serverKeyExchangeCurve(0xc02f, Buffer.from([3, 0])), undefined);
  assert.equal(serverKeyExchangeCurve(0xc02f, Buffer.from([3, 0, 0x17])), 0x17);
  // Arbitrary bytes from a fixed seed: whatever they are, reading them does not throw.
  let seed = 42;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
  for (let i = 0; i < 300; i++) {
    const junk = Buffer.from(Array.from({ length: 1 + (i % 97) }, next));
    const observer = new HandshakeObserver();
    observer.fromServer(cat(Buffer.from([22, 3, 3]), u16(junk.length), junk));
    observer.fromClient(cat(Buffer.from([22, 3, 1]), u16(junk.length), junk));
    parseServerHello(junk);
  }
});

test('client flight: the server name (SNI) the ClientHello asked for', () => {
  const table: [string, Buffer, string | null | undefined][] = [
    ['a name among other extensions', clientHello(RANDOM, [extension(10, cat(u16(2), u16(0x1d))), serverName('kubernetes.default.svc')]), 'kubernetes.default.svc'],
    ['no server_name extension (an IP address is never sent)', clientHello(RANDOM, [extension(10, cat(u16(2), u16(0x1d)))]), null],
    ['no extensions at all', message(1, cat(u16(0x0303), RANDOM, Buffer.from([0]), u16(2), u16(0x1301), Buffer.from([1, 0]))), null],
    ['a server_name cut short', clientHello(RANDOM, [extension(0, Buffer.from([0, 9, 0, 0, 9, 0x61]))]), undefined],
  ];
  for (const [name, hello, expected] of table) {
    assert.equal(clientHelloServerName(hello.subarray(4)), expected, name);
    const observer = new HandshakeObserver();
    observer.fromClient(record(22, hello));
    assert.equal(observer.facts.serverName, expected, name);
  }
});

test('a message in one-byte records costs work in proportion to its bytes, not their square', () => {
  // A hostile client: a ClientHello declaring 120000 bytes, sent as 6-byte records of one byte each, in TCP-sized reads.
  const declared = 120000;
  const parts: Buffer[] = [Buffer.from([22, 3, 1, 0, 4, 1, declared >> 16, (declared >> 8) & 255, declared & 255])];
  for (let i = 0; i < 40000; i++) parts.push(Buffer.from([22, 3, 1, 0, 1, 0x41]));
  const wire = Buffer.concat(parts);
  let copied = 0;
  const concat = Buffer.concat;
  Buffer.concat = ((list: readonly Uint8Array[], total?: number) => {
    const joined = concat(list, total);
    copied += joined.length;
    return joined;
  }) as typeof Buffer.concat;
  try {
    const reader = new HandshakeReader(() => true, () => false);
    for (let at = 0; at < wire.length; at += 1400) reader.feed(wire.subarray(at, at + 1400));
  } finally {
    Buffer.concat = concat;
  }
  assert.ok(copied < 4 * wire.length, `${copied} bytes copied for ${wire.length} read`);
});
