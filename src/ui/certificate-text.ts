// The live view's default explanation of a certificate, until the inspector's describeCertificate is injected:
// summarizeCertificate's fields in words, and what kube-apiserver's x509 authenticator would take from it.
import { X509Certificate } from 'node:crypto';
import { summarizeCertificate } from '../tls/certificate-summary.js';

/** Explains one PEM certificate as text; a PEM node cannot parse is said so, never thrown. */
export type DescribeCertificate = (pem: string) => string;

/** The default DescribeCertificate: the certificate summary in words. */
export function describeCertificateSummary(pem: string, now: Date = new Date()): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (err) {
    return `Not a certificate node can read: ${(err as Error).message}\n`;
  }
  const s = summarizeCertificate(cert);
  const from = new Date(s.notBefore);
  const to = new Date(s.notAfter);
  const validity = now < from ? 'NOT YET VALID' : now > to ? 'EXPIRED' : 'valid now';
  const lines = [
    `Subject:  ${s.subject}   (who the certificate names)`,
    `Issuer:   ${s.issuer}   (who signed it${s.selfIssued ? ': itself' : ''})`,
    `Serial:   ${s.serialNumber}`,
    `Validity: ${s.notBefore} .. ${s.notAfter} (${validity})`,
    `SHA-256:  ${s.sha256}`,
    `Key:      ${s.publicKey}`,
    `CA:       ${s.isCA ? 'yes: it may sign other certificates' : 'no'}`,
  ];
  if (s.subjectAltNames.length > 0) lines.push(`SANs:     ${s.subjectAltNames.join(', ')}   (the names a client checks the server's name against)`);
  if (s.extKeyUsage.length > 0) lines.push(`Usages:   ${s.extKeyUsage.join(', ')}`);
  if (!s.isCA) {
    // kube's x509 authenticator (pkg/authentication/request/x509/x509.go CommonNameUserConversion): the user is the
    // subject's CommonName, the groups its Organizations.
    const rdns = cert.subject.split('\n');
    const cn = rdns.filter((r) => r.startsWith('CN=')).map((r) => r.slice(3));
    const orgs = rdns.filter((r) => r.startsWith('O=')).map((r) => r.slice(2));
    const clientAuth = s.extKeyUsage.length === 0 || s.extKeyUsage.includes('clientAuth') || s.extKeyUsage.includes('any');
    if (cn.length > 0 && clientAuth) lines.push('', `As a client certificate kube-apiserver reads the user "${cn[0]}" (the CommonName) and the groups ${JSON.stringify(orgs)} (the Organizations).`);
  }
  return `${lines.join('\n')}\n`;
}
