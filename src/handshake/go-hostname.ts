// The server name a Go TLS client sends and checks. Sources (Go 1.24+, the Go kubectl is built with):
//   crypto/tls handshake_client.go hostnameInSNI: an IP address is never sent as SNI, a trailing dot is dropped;
//   crypto/x509 verify.go VerifyHostname, validHostname, matchHostnames, matchExactly, HostnameError.Error:
//   an IP host matches IP SANs only, a name matches DNS SANs only (the CommonName is never used).
// net/http's Transport sets tls.Config.ServerName to the URL's host when client-go left it empty (no
// tls-server-name), so the name checked is the host unless tls-server-name says otherwise.
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';

/** What a certificate's SAN extension lists, and its subject CN (for Go's "legacy Common Name" message). */
export interface CertificateNames {
  dnsNames: string[];
  /** IP SANs as Go's net.IP.String() prints them. */
  ipAddresses: string[];
  hasSanExtension: boolean;
  commonName: string;
}

/** Splits node's subjectAltName text ("DNS:a, IP Address:1.2.3.4") into DNS names and IP addresses. */
export function certificateNames(cert: X509Certificate): CertificateNames {
  const san = cert.subjectAltName;
  const entries = san === undefined ? [] : san.split(', ');
  const commonName = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '';
  return {
    dnsNames: entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4)),
    ipAddresses: entries.filter((e) => e.startsWith('IP Address:')).map((e) => goIpString(e.slice('IP Address:'.length))),
    hasSanExtension: san !== undefined,
    commonName,
  };
}

/** Go's net.IP.String: IPv6 in its shortest form (node prints "0:0:0:0:0:0:0:1"), IPv4-mapped as dotted quad. */
export function goIpString(address: string): string {
  if (isIP(address) !== 6) return address;
  try {
    const host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped !== null) {
      const hi = parseInt(mapped[1]!, 16);
      const lo = parseInt(mapped[2]!, 16);
      return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
    }
    return host;
  } catch {
    return address;
  }
}

/** An address in the form Go's net.ParseIP accepts, or undefined (Go takes no zone and no brackets). */
function parseIp(host: string): string | undefined {
  return isIP(host) !== 0 ? goIpString(host) : undefined;
}

/** handshake_client.go hostnameInSNI: "" when the name is an IP address (no SNI is sent). */
export function hostnameInSni(name: string): string {
  let host = name;
  if (host.length >= 2 && host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const zone = host.lastIndexOf('%');
  if (zone > 0) host = host.slice(0, zone);
  if (isIP(host) !== 0) return '';
  return name.replace(/\.+$/, '');
}

const toLowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** verify.go validHostname. */
function validHostname(host: string, isPattern: boolean): boolean {
  const h = isPattern ? host : host.replace(/\.$/, '');
  if (h.length === 0 || h === '*') return false;
  return h.split('.').every((part, i) => {
    if (part === '') return false;
    if (isPattern && i === 0 && part === '*') return true;
    return [...part].every((c, j) => /[a-zA-Z0-9_]/.test(c) || (c === '-' && j !== 0));
  });
}

/** verify.go splitHostname. */
const splitHostname = (host: string): string[] => toLowerAscii(host.replace(/\.$/, '')).split('.');

/** verify.go matchHostnames: a leftmost "*" matches exactly one label. */
function matchHostnames(pattern: string, hostParts: string[]): boolean {
  const p = toLowerAscii(pattern);
  if (p.length === 0 || hostParts.length === 0) return false;
  const patternParts = p.split('.');
  if (patternParts.length !== hostParts.length) return false;
  return patternParts.every((part, i) => (i === 0 && part === '*') || part === hostParts[i]);
}

/** verify.go matchExactly. */
function matchExactly(a: string, b: string): boolean {
  if (a === '' || a === '.' || b === '' || b === '.') return false;
  return toLowerAscii(a) === toLowerAscii(b);
}

/** verify.go HostnameError.Error(). */
function hostnameError(names: CertificateNames, host: string): string {
  if (!names.hasSanExtension && matchHostnames(names.commonName, splitHostname(host))) return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  let valid: string;
  if (parseIp(host) !== undefined) {
    if (names.ipAddresses.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    if (names.ipAddresses.length >= 100) return `x509: certificate is valid for ${names.ipAddresses.length} IP SANs, but none matched ${host}`;
    valid = names.ipAddresses.join(', ');
  } else {
    if (names.dnsNames.length >= 100) return `x509: certificate is valid for ${names.dnsNames.length} names, but none matched ${host}`;
    valid = names.dnsNames.join(', ');
  }
  if (valid === '') return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${valid}, not ${host}`;
}

/** verify.go Certificate.VerifyHostname: undefined when the name matches, Go's error text otherwise. */
export function verifyHostname(names: CertificateNames, h: string): string | undefined {
  const candidateIp = h.length >= 3 && h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  const ip = parseIp(candidateIp);
  if (ip !== undefined) return names.ipAddresses.includes(ip) ? undefined : hostnameError(names, candidateIp);
  const candidate = toLowerAscii(h);
  const validCandidate = validHostname(candidate, false);
  const hostParts = splitHostname(candidate);
  for (const match of names.dnsNames) {
    if (validCandidate && validHostname(match, true) ? matchHostnames(match, hostParts) : matchExactly(match, candidate)) return undefined;
  }
  return hostnameError(names, h);
}
