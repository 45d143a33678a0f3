// Reading the plaintext start of a TLS handshake off the wire: the client random of the ClientHello, and the key
// exchange group the server chose, which node cannot tell a server (getEphemeralKeyInfo() is {} on a server socket).
// TLS 1.3: the group is in the ServerHello's key_share extension (RFC 8446 §4.2.8; a HelloRetryRequest carries the
// selected_group alone). TLS 1.2: it is the named curve of an ECDHE ServerKeyExchange (RFC 8422 §5.4); a resumed
// TLS 1.2 session has no key exchange, so no group. Only bytes sent in the clear are read: what TLS 1.3 encrypts
// after the ServerHello and what TLS 1.2 encrypts after ChangeCipherSpec is never looked at.

/** TLS record content types (RFC 8446 §5.1). */
const CHANGE_CIPHER_SPEC = 20;
const HANDSHAKE = 22;

/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4). */
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;
const SERVER_KEY_EXCHANGE = 12;
const SERVER_HELLO_DONE = 14;

/** Extension types. */
const SUPPORTED_VERSIONS = 43;
const KEY_SHARE = 51;

const TLS13 = 0x0304;

/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest (SHA-256 of "HelloRetryRequest"). */
const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** RFC 8422 §5.4 ECCurveType named_curve: the only form TLS 1.2 peers may use (explicit curves are deprecated). */
const NAMED_CURVE = 3;

/** A record's payload is at most 2^14 bytes plus expansion (RFC 8446 §5.2); more is not TLS. */
const MAX_RECORD = (1 << 14) + 2048;
/** Past this many bytes without an answer the reader gives up: a handshake's plaintext is a few kilobytes. */
const MAX_BYTES = 256 << 10;

/**
 * The IANA TLS Supported Groups registry's names (https://www.iana.org/assignments/tls-parameters), with the
 * NIST curves by their FIPS names as Go and OpenSSL accept them (P-256 is secp256r1). An id not listed is printed
 * as its hex value: it is what the server chose, but we do not put a name on it.
 */
const GROUP_NAMES: Readonly<Record<number, string>> = {
  0x0017: 'P-256',
  0x0018: 'P-384',
  0x0019: 'P-521',
  0x001a: 'brainpoolP256r1',
  0x001b: 'brainpoolP384r1',
  0x001c: 'brainpoolP512r1',
  0x001d: 'X25519',
  0x001e: 'X448',
  0x001f: 'brainpoolP256r1tls13',
  0x0020: 'brainpoolP384r1tls13',
  0x0021: 'brainpoolP512r1tls13',
  0x0100: 'ffdhe2048',
  0x0101: 'ffdhe3072',
  0x0102: 'ffdhe4096',
  0x0103: 'ffdhe6144',
  0x0104: 'ffdhe8192',
  0x0200: 'MLKEM512',
  0x0201: 'MLKEM768',
  0x0202: 'MLKEM1024',
  0x11eb: 'SecP256r1MLKEM768',
  0x11ec: 'X25519MLKEM768',
  0x11ed: 'SecP384r1MLKEM1024',
  0x6399: 'X25519Kyber768Draft00',
};

/** A group id's IANA name ("X25519", "P-256", "X25519MLKEM768"), or "0x1234" for one without a name here. */
export function groupName(id: number): string {
  return GROUP_NAMES[id] ?? `0x${id.toString(16).padStart(4, '0')}`;
}

/**
 * The TLS 1.2 cipher suites whose ServerKeyExchange is a bare ServerECDHParams (ECDHE_ECDSA and ECDHE_RSA, from
 * the IANA registry): only for these is its first byte the curve type. A DHE one starts with dh_p's length, and
 * an ECDHE_PSK one with the PSK identity hint, so their bytes are never read as a curve.
 */
const ECDHE_SUITES: ReadonlySet<number> = new Set([
  ...range(0xc006, 0xc00a),
  ...range(0xc010, 0xc014),
  0xc023, 0xc024, 0xc027, 0xc028, 0xc02b, 0xc02c, 0xc02f, 0xc030,
  0xc048, 0xc049, 0xc04c, 0xc04d, 0xc05c, 0xc05d, 0xc060, 0xc061,
  0xc072, 0xc073, 0xc076, 0xc077, 0xc086, 0xc087, 0xc08a, 0xc08b,
  ...range(0xc0ac, 0xc0af),
  0xcca8, 0xcca9,
]);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Splits one direction of a connection into TLS records and the handshake messages they carry (a message may span
 * records, a record may hold several), handing each to the callbacks until one of them says it has seen enough.
 */
export class HandshakeReader {
  private readonly records = new ByteQueue();
  private readonly messages = new ByteQueue();
  private seen = 0;
  /** True once the reader stopped: everything it needs was read, the bytes are not TLS, or they are encrypted now. */
  done = false;

  /**
   * @param onRecord told each record's content type before its payload is read; false stops the reader.
   * @param onMessage told each complete handshake message; false stops the reader.
   */
  constructor(
    private readonly onRecord: (contentType: number) => boolean,
    private readonly onMessage: (type: number, body: Buffer) => boolean,
  ) {}

  /** Reads the next bytes of this direction; never throws. */
  feed(chunk: Buffer): void {
    if (this.done) return;
    this.seen += chunk.length;
    if (this.seen > MAX_BYTES) return this.stop();
    this.records.push(chunk);
    while (!this.done && this.records.length >= 5) {
      const header = this.records.peek(5);
      const type = header[0]!;
      const length = header.readUInt16BE(3);
      // A record header must say TLS (major version 3); a plain HTTP request on the TLS port does not.
      if (header[1] !== 3 || length > MAX_RECORD) return this.stop();
      if (this.records.length < 5 + length) return;
      const payload = this.records.take(5 + length).subarray(5);
      if (!this.onRecord(type)) return this.stop();
      if (type === HANDSHAKE) this.readMessages(payload);
    }
  }

  private readMessages(payload: Buffer): void {
    this.messages.push(payload);
    while (!this.done && this.messages.length >= 4) {
      const header = this.messages.peek(4);
      const length = header.readUIntBE(1, 3);
      if (length > MAX_BYTES) return this.stop();
      if (this.messages.length < 4 + length) return;
      const message = this.messages.take(4 + length);
      if (!this.onMessage(message[0]!, message.subarray(4))) return this.stop();
    }
  }

  private stop(): void {
    this.done = true;
    this.records.clear();
    this.messages.clear();
  }
}

/**
 * Bytes that arrive in pieces, joined only when a whole record or message is taken: a peer sending a message in
 * one-byte records would otherwise have every record copy all the bytes before it (quadratic work per connection).
 */
export class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  /** A buffer starting with the first `n` bytes (n <= length), without consuming them. */
  peek(n: number): Buffer {
    if (this.parts[0]!.length < n) this.parts = [Buffer.concat(this.parts, this.length)];
    return this.parts[0]!;
  }

  /** Removes and returns the first `n` bytes (n <= length). */
  take(n: number): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    const rest = all.subarray(n);
    this.parts = rest.length === 0 ? [] : [rest];
    this.length = rest.length;
    return all.subarray(0, n);
  }

  clear(): void {
    this.parts = [];
    this.length = 0;
  }
}

/** What the ServerHello says, as far as the trace needs it; undefined for a message that does not parse. */
export interface ServerHello {
  /** The version agreed: supported_versions' selected_version in TLS 1.3, legacy_version otherwise. */
  version: number;
  cipherSuite: number;
  /** The key_share extension's group (TLS 1.3), when present. */
  group?: number;
  helloRetryRequest: boolean;
}

/** Parses a ServerHello body (RFC 8446 §4.1.3; RFC 5246 §7.4.1.3, whose extensions may be absent). */
export function parseServerHello(body: Buffer): ServerHello | undefined {
  if (body.length < 38) return undefined;
  let version = body.readUInt16BE(0);
  const helloRetryRequest = body.subarray(2, 34).equals(HELLO_RETRY_RANDOM);
  let at = 34;
  const sessionIdLength = body[at]!;
  at += 1 + sessionIdLength;
  if (body.length < at + 3) return undefined;
  const cipherSuite = body.readUInt16BE(at);
  at += 3; // cipher suite and compression method
  let group: number | undefined;
  if (body.length >= at + 2) {
    const end = at + 2 + body.readUInt16BE(at);
    if (end > body.length) return undefined;
    at += 2;
    while (at + 4 <= end) {
      const type = body.readUInt16BE(at);
      const length = body.readUInt16BE(at + 2);
      const data = body.subarray(at + 4, at + 4 + length);
      if (at + 4 + length > end) return undefined;
      if (type === SUPPORTED_VERSIONS && data.length === 2) version = data.readUInt16BE(0);
      // ServerHello: KeyShareEntry { group, key_exchange }; HelloRetryRequest: selected_group. Both start with the group.
      if (type === KEY_SHARE && data.length >= 2) group = data.readUInt16BE(0);
      at += 4 + length;
    }
  }
  return { version, cipherSuite, helloRetryRequest, ...(group !== undefined ? { group } : {}) };
}

/** The named curve of a TLS 1.2 ECDHE ServerKeyExchange; undefined for any other key exchange or form. */
export function serverKeyExchangeCurve(cipherSuite: number, body: Buffer): number | undefined {
  if (!ECDHE_SUITES.has(cipherSuite) || body.length < 3 || body[0] !== NAMED_CURVE) return undefined;
  return body.readUInt16BE(1);
}

/** The 32-byte random of a ClientHello body (RFC 8446 §4.1.2), in lower-case hex as NSS key log lines write it. */
export function clientHelloRandom(body: Buffer): string | undefined {
  return body.length < 34 ? undefined : body.subarray(2, 34).toString('hex');
}

const SERVER_NAME = 0;

/**
 * The host_name of a ClientHello's server_name extension (RFC 6066 §3): null when the client sent none, undefined
 * when the message does not parse. node leaves a server socket's servername unset on a resumed TLS 1.2 session.
 */
export function clientHelloServerName(body: Buffer): string | null | undefined {
  let at = 34;
  const skip = (lengthBytes: number): boolean => {
    if (body.length < at + lengthBytes) return false;
    at += lengthBytes + body.readUIntBE(at, lengthBytes);
    return at <= body.length;
  };
  if (!skip(1) || !skip(2) || !skip(1)) return undefined; // session id, cipher suites, compression methods
  if (body.length < at + 2) return null; // no extensions at all
  const end = at + 2 + body.readUInt16BE(at);
  if (end > body.length) return undefined;
  at += 2;
  while (at + 4 <= end) {
    const type = body.readUInt16BE(at);
    const data = body.subarray(at + 4, at + 4 + body.readUInt16BE(at + 2));
    at += 4 + data.length;
    if (type !== SERVER_NAME) continue;
    // ServerNameList: its length, then name_type host_name (0), a length and the name.
    if (data.length < 5 || data[2] !== 0) return undefined;
    const length = data.readUInt16BE(3);
    return data.length < 5 + length ? undefined : data.subarray(5, 5 + length).toString('latin1');
  }
  return null;
}

/** What was read of one connection's handshake. */
export interface ObservedHandshake {
  /** The ClientHello's random (lower-case hex): what the server's key log lines name the connection by. */
  clientRandom?: string;
  /** The server name the ClientHello asked for (SNI), null when it sent none. */
  serverName?: string | null;
  /** The key exchange group the server chose (IANA id), when the handshake had one and it could be read. */
  group?: number;
  /** The server asked the client for another key share (TLS 1.3 HelloRetryRequest) before agreeing. */
  helloRetryRequest: boolean;
}

/** Reads both directions of one connection's handshake and keeps what it learns in `facts`. */
export class HandshakeObserver {
  readonly facts: ObservedHandshake = { helloRetryRequest: false };
  private cipherSuite: number | undefined;
  private tls12 = false;
  private readonly client = new HandshakeReader(
    (type) => type === HANDSHAKE,
    (type, body) => {
      if (type !== CLIENT_HELLO) return false;
      const serverName = clientHelloServerName(body);
      if (serverName !== undefined) this.facts.serverName = serverName;
      const random = clientHelloRandom(body);
      if (random !== undefined) this.facts.clientRandom = random;
      return false;
    },
  );
  private readonly server = new HandshakeReader(
    // TLS 1.3 servers send a ChangeCipherSpec after a HelloRetryRequest for middleboxes (RFC 8446 D.4) and the
    // second ServerHello follows in the clear; in TLS 1.2 everything after it is encrypted.
    (type) => type === HANDSHAKE || (type === CHANGE_CIPHER_SPEC && !this.tls12),
    (type, body) => this.serverMessage(type, body),
  );

  /** True once both directions said all they will. */
  get done(): boolean {
    return this.client.done && this.server.done;
  }

  fromClient(chunk: Buffer): void {
    this.client.feed(chunk);
  }

  fromServer(chunk: Buffer): void {
    this.server.feed(chunk);
  }

  private serverMessage(type: number, body: Buffer): boolean {
    if (type === SERVER_HELLO) {
      const hello = parseServerHello(body);
      if (hello === undefined) return false;
      this.cipherSuite = hello.cipherSuite;
      if (hello.group !== undefined) this.facts.group = hello.group;
      if (hello.helloRetryRequest) {
        this.facts.helloRetryRequest = true;
        return true;
      }
      // TLS 1.3: the rest is encrypted. TLS 1.2: the ServerKeyExchange follows in the clear.
      if (hello.version >= TLS13) return false;
      this.tls12 = true;
      return true;
    }
    if (type === SERVER_KEY_EXCHANGE && this.cipherSuite !== undefined) {
      const curve = serverKeyExchangeCurve(this.cipherSuite, body);
      if (curve !== undefined) this.facts.group = curve;
      return false;
    }
    // Certificate and CertificateRequest come between; ServerHelloDone ends the server's flight.
    return type !== SERVER_HELLO_DONE && this.cipherSuite !== undefined;
  }
}
