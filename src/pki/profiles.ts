// Certificate profiles: which X.509 extensions a certificate gets, derived from what it is for.
// Pure data in node-forge's extension shape, so the rules can be read and tested without keys.
// Leaves carry the usages kubeadm gives its leaves, so real clients (kubectl, client-go, curl)
// accept or refuse them for the same reasons they would a kubeadm cluster's.

/** What a certificate is for; each intent maps to one fixed set of extensions. */
export type CertProfile = 'ca' | 'serving' | 'client';

/** Extended key usages the mock issues: TLS server and TLS client authentication. */
export type ExtKeyUsageName = 'serverAuth' | 'clientAuth';

/** SANs kube-apiserver's own serving certificate carries, so in-cluster names and loopback in either IP family verify. */
export const DEFAULT_SERVING_SANS: readonly string[] = Object.freeze([
  'localhost',
  '127.0.0.1',
  '::1',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
]);

/** A subjectAltName entry after classification, with IPs already in the network-order bytes X.509 stores. */
export type SanEntry = { kind: 'dns'; name: string } | { kind: 'ip'; address: string; bytes: Uint8Array };

/** The extension shapes node-forge's Certificate.setExtensions understands (only the ones used here). */
export type ForgeExtension =
  | { name: 'basicConstraints'; critical: true; cA: boolean }
  | {
      name: 'keyUsage';
      critical: true;
      digitalSignature?: true;
      keyEncipherment?: true;
      keyCertSign?: true;
      cRLSign?: true;
    }
  | { name: 'extKeyUsage'; serverAuth?: true; clientAuth?: true }
  | { name: 'subjectAltName'; altNames: Array<{ type: 2; value: string } | { type: 7; value: string }> }
  | { name: 'subjectKeyIdentifier' }
  | { name: 'authorityKeyIdentifier'; keyIdentifier: string | true };

/** Inputs a profile needs beyond its intent. */
export interface ProfileInput {
  /** SANs for a serving certificate; ignored by other profiles. */
  sans?: readonly SanEntry[];
  /** Overrides the profile's extended key usages (an empty list omits the extension), so tests can build a client cert that lacks clientAuth. */
  extKeyUsage?: readonly ExtKeyUsageName[];
  /** The issuer's subjectKeyIdentifier in hex, or 'self' for a self-signed CA whose identifier forge computes from its own key. */
  authorityKeyId: string | 'self';
}

const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Parses an IP literal into network-order bytes without node-forge, whose parser mangles IPv4-embedded IPv6 and accepts garbage. */
export function ipToBytes(input: string): Uint8Array | undefined {
  const ip = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p, i) => p > 255 || (v4[i + 1]!.length > 1 && v4[i + 1]!.startsWith('0')))) return undefined;
    return Uint8Array.from(parts);
  }
  if (!ip.includes(':') || ip.includes('%')) return undefined;
  // WHATWG URL parsing validates IPv6 and rewrites an embedded IPv4 tail to hex groups.
  let host: string;
  try {
    host = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head, tail] = host.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}

/** Classifies, validates and de-duplicates SANs (IPs detected, DNS names lower-cased) so --tls-san input fails early and clearly. */
export function parseSans(sans: readonly string[]): SanEntry[] {
  const out: SanEntry[] = [];
  const seen = new Set<string>();
  for (const raw of sans) {
    const san = raw.trim();
    const bytes = ipToBytes(san);
    let entry: SanEntry;
    let key: string;
    if (bytes) {
      entry = { kind: 'ip', address: san.replace(/^\[|\]$/g, ''), bytes };
      key = `ip:${Buffer.from(bytes).toString('hex')}`;
    } else {
      const name = san.toLowerCase();
      const labels = (name.startsWith('*.') ? name.slice(2) : name).split('.');
      // An all-numeric name is a mistyped IP address, never a host name anyone means.
      const looksNumeric = /^[\d.]+$/.test(name);
      if (looksNumeric || name.length === 0 || name.length > 253 || !labels.every((l) => DNS_LABEL.test(l))) {
        throw new RangeError(`invalid subject alternative name ${JSON.stringify(raw)}: not an IP address or DNS name`);
      }
      entry = { kind: 'dns', name };
      key = `dns:${name}`;
    }
    if (!seen.has(key)) {
      seen.add(key);
      out.push(entry);
    }
  }
  return out;
}

/** Turns random bytes into a positive serial in hex: the top bit cleared (DER INTEGERs are signed) and the first byte non-zero (Go rejects non-minimal encodings). */
export function serialFromBytes(random: Uint8Array): string {
  if (random.length === 0) throw new RangeError('serial needs at least one random byte');
  const bytes = Uint8Array.from(random);
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return Buffer.from(bytes).toString('hex');
}

function binary(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('binary');
}

const PROFILE_EXT_KEY_USAGE: Record<CertProfile, readonly ExtKeyUsageName[]> = {
  ca: [],
  serving: ['serverAuth'],
  client: ['clientAuth'],
};

/** The extensions for a certificate of the given intent, in node-forge's shape. */
export function profileExtensions(profile: CertProfile, input: ProfileInput): ForgeExtension[] {
  const exts: ForgeExtension[] = [];
  if (profile === 'ca') {
    exts.push({ name: 'basicConstraints', critical: true, cA: true });
    exts.push({ name: 'keyUsage', critical: true, digitalSignature: true, keyCertSign: true, cRLSign: true });
  } else {
    // CA:FALSE made explicit, as Go's x509 does for kubeadm's leaves.
    exts.push({ name: 'basicConstraints', critical: true, cA: false });
    exts.push({ name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true });
  }
  const eku = input.extKeyUsage ?? PROFILE_EXT_KEY_USAGE[profile];
  if (eku.length > 0) {
    const ext: { name: 'extKeyUsage'; serverAuth?: true; clientAuth?: true } = { name: 'extKeyUsage' };
    for (const usage of eku) ext[usage] = true;
    exts.push(ext);
  }
  if (profile === 'serving') {
    const sans = input.sans ?? [];
    if (sans.length === 0) throw new RangeError('a serving certificate needs at least one subject alternative name');
    exts.push({
      name: 'subjectAltName',
      altNames: sans.map((s) => (s.kind === 'dns' ? { type: 2 as const, value: s.name } : { type: 7 as const, value: binary(s.bytes) })),
    });
  }
  exts.push({ name: 'subjectKeyIdentifier' });
  exts.push({
    name: 'authorityKeyIdentifier',
    keyIdentifier: input.authorityKeyId === 'self' ? true : binary(Buffer.from(input.authorityKeyId, 'hex')),
  });
  return exts;
}
