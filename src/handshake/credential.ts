// Which credential a kubeconfig's user sends, described without revealing it: the client certificate (and whether
// its key is the private half, checked as Go's tls.X509KeyPair checks it), a bearer token (a JWT's header and
// claims, or opaque), basic auth, a tokenFile; an exec plugin or auth-provider is named and never run.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import type { ClientConfig, CredentialPlugin } from '../kubeconfig/read.js';
import { summarizeCertificate, type CertificateSummary } from '../tls/certificate-summary.js';

/** A bearer token's kind, and what a JWT says about itself (never the signature, never the token). */
export interface TokenFacts {
  kind: 'JWT' | 'bootstrap token' | 'opaque';
  length: number;
  header?: Record<string, unknown>;
  /** iss, sub, aud, exp, iat, nbf and kubernetes.io, as the token has them. */
  claims?: Record<string, unknown>;
  /** exp in words: "expires 2026-12-04T15:00:00Z (in 59 minutes)" or "expired ...". */
  expiry?: string;
  /** A bootstrap token's id (the public half). */
  tokenId?: string;
}

/** The credential, ready to narrate and to send. */
export interface CredentialFacts {
  kind: 'client-certificate' | 'token' | 'basic' | 'plugin' | 'none';
  lines: string[];
  clientCertificate?: CertificateSummary;
  /** Whether the client key is the certificate's private half; false makes client-go fail before connecting. */
  keyMatches?: boolean;
  /** Go's error when tls.X509KeyPair refuses the pair. */
  keyPairError?: string;
  clientCertWithoutClientAuth?: boolean;
  clientCertOutOfValidity?: boolean;
  token?: TokenFacts;
  tokenFile?: string;
  username?: string;
  plugin?: CredentialPlugin;
}

const CLAIMS_SHOWN = ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'kubernetes.io'];

/** A duration in rough words. */
function inWords(ms: number): string {
  const abs = Math.abs(ms);
  const [n, unit] = abs < 120_000 ? [Math.round(abs / 1000), 'seconds'] : abs < 7_200_000 ? [Math.round(abs / 60_000), 'minutes'] : abs < 172_800_000 ? [Math.round(abs / 3_600_000), 'hours'] : [Math.round(abs / 86_400_000), 'days'];
  return `${n} ${unit}`;
}

/** What a bearer token is, read without checking any signature. */
export function describeToken(token: string, now: Date): TokenFacts {
  // kube's bootstrap token format (k8s.io/cluster-bootstrap token/api BootstrapTokenPattern).
  const bootstrap = /^([a-z0-9]{6})\.([a-z0-9]{16})$/.exec(token);
  if (bootstrap !== null) return { kind: 'bootstrap token', length: token.length, tokenId: bootstrap[1]! };
  const parts = token.split('.');
  if (parts.length === 3) {
    try {
      const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
      const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
      if (typeof header === 'object' && header !== null && typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
        const all = payload as Record<string, unknown>;
        const claims = Object.fromEntries(CLAIMS_SHOWN.filter((k) => k in all).map((k) => [k, all[k]]));
        const facts: TokenFacts = { kind: 'JWT', length: token.length, header: header as Record<string, unknown>, claims };
        if (typeof all.exp === 'number') {
          const at = new Date(all.exp * 1000);
          const left = at.getTime() - now.getTime();
          facts.expiry = left >= 0 ? `expires ${at.toISOString()} (in ${inWords(left)})` : `expired ${at.toISOString()} (${inWords(left)} ago)`;
        }
        return facts;
      }
    } catch {
      // not a JWT after all: opaque
    }
  }
  return { kind: 'opaque', length: token.length };
}

/** tls.X509KeyPair's check: the key's public half must equal the certificate's ("tls: private key does not match public key"). */
function keyPair(certPem: string, keyPem: string): { cert?: X509Certificate; error?: string } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return { error: /-----BEGIN CERTIFICATE-----/.test(certPem) ? 'tls: failed to parse certificate' : 'tls: failed to find any PEM data in certificate input' };
  }
  let publicDer: Buffer;
  try {
    publicDer = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  } catch {
    return { cert, error: /PRIVATE KEY-----/.test(keyPem) ? 'tls: failed to parse private key' : 'tls: failed to find any PEM data in key input' };
  }
  const certDer = cert.publicKey.export({ type: 'spki', format: 'der' });
  return publicDer.equals(certDer) ? { cert } : { cert, error: 'tls: private key does not match public key' };
}

/** The user's credential as client-go would send it (getUserIdentificationPartialConfig, transport wrappers). */
export function describeCredential(config: ClientConfig, plugin: CredentialPlugin | undefined, now: Date): CredentialFacts {
  if (config.certPem !== undefined || config.keyPem !== undefined) {
    const pair = keyPair(config.certPem ?? '', config.keyPem ?? '');
    const facts: CredentialFacts = { kind: 'client-certificate', lines: [] };
    if (pair.cert !== undefined) {
      const summary = summarizeCertificate(pair.cert);
      facts.clientCertificate = summary;
      facts.clientCertWithoutClientAuth = summary.extKeyUsage.length > 0 && !summary.extKeyUsage.includes('clientAuth') && !summary.extKeyUsage.includes('any');
      facts.clientCertOutOfValidity = now.getTime() < Date.parse(summary.notBefore) || now.getTime() > Date.parse(summary.notAfter);
      facts.lines.push(`client certificate ${JSON.stringify(summary.subject)} issued by ${JSON.stringify(summary.issuer)}`);
      const organizations = [...summary.subject.matchAll(/(?:^|,)O=([^,]*)/g)].map((m) => m[1]!);
      facts.lines.push(`  kube-apiserver maps it to user ${JSON.stringify(/(?:^|,)CN=([^,]*)/.exec(summary.subject)?.[1] ?? '')}, groups ${JSON.stringify(organizations)} (CN and O)`);
      facts.lines.push(`  valid ${summary.notBefore} to ${summary.notAfter}${facts.clientCertOutOfValidity ? ' (NOT valid now)' : ''}; extended key usage: ${summary.extKeyUsage.join(', ') || '(none listed)'}${facts.clientCertWithoutClientAuth ? ' (no clientAuth: kube-apiserver will refuse it)' : ''}`);
      facts.lines.push(`  SHA-256 ${summary.sha256}`);
    }
    facts.keyMatches = pair.error === undefined;
    if (pair.error !== undefined) {
      facts.keyPairError = pair.error;
      facts.lines.push(`  the key does NOT go with the certificate: ${pair.error}`);
    } else {
      facts.lines.push('  the client key is the private half of the certificate\'s public key');
    }
    // client-go sends a client certificate alongside a token (validation allows no second method); say both.
    if (config.token !== undefined) facts.lines.push('  and a bearer token (see below)');
    return withToken(facts, config, now);
  }
  if (config.token !== undefined || config.tokenFile !== undefined) return withToken({ kind: 'token', lines: [] }, config, now);
  if (config.username !== undefined || config.password !== undefined) {
    return { kind: 'basic', lines: [`basic auth as ${JSON.stringify(config.username ?? '')} (password of ${(config.password ?? '').length} characters, not shown)`], username: config.username ?? '' };
  }
  if (plugin !== undefined) {
    const what = plugin.kind === 'exec' ? `exec plugin ${JSON.stringify(plugin.name)}` : `auth-provider ${JSON.stringify(plugin.name)}`;
    return { kind: 'plugin', plugin, lines: [`the user gets its credential from an ${what}: NOT run by kube-auth-mock handshake, so the request goes without it`] };
  }
  return { kind: 'none', lines: ['no credential: the request is anonymous'] };
}

function withToken(facts: CredentialFacts, config: ClientConfig, now: Date): CredentialFacts {
  if (config.tokenFile !== undefined) {
    facts.tokenFile = config.tokenFile;
    facts.lines.push(config.token === undefined ? `tokenFile ${config.tokenFile} is empty: no token is sent` : `bearer token read from tokenFile ${config.tokenFile}`);
  }
  if (config.token === undefined) return facts;
  const token = describeToken(config.token, now);
  facts.token = token;
  if (token.kind === 'JWT') {
    facts.lines.push(`bearer token: a JWT (${token.length} characters), header ${JSON.stringify(token.header)}`);
    facts.lines.push(`  claims ${JSON.stringify(token.claims)}`);
    if (token.expiry !== undefined) facts.lines.push(`  ${token.expiry}`);
  } else if (token.kind === 'bootstrap token') {
    facts.lines.push(`bearer token: a bootstrap token, id ${token.tokenId} (secret not shown)`);
  } else {
    facts.lines.push(`bearer token: opaque (${token.length} characters, not shown)`);
  }
  return facts;
}
