// The report as text for a person: one item after another, each field on its own line with what it means beside it.
import type { CertificateItem, CheckResult, CsrItem, InspectReport, Item, JwtItem, KubeconfigItem, KubeIdentity, OtherPemItem, PrivateKeyItem, PublicKeyItem } from './types.js';

const LABEL_WIDTH = 16;

/** A "label  value" line at an indent; a value of several lines continues under the value column. */
function field(indent: string, label: string, value: string): string {
  const pad = `${indent}${' '.repeat(LABEL_WIDTH)}`;
  return `${indent}${label.padEnd(LABEL_WIDTH - 1)} ${value.split('\n').join(`\n${pad}`)}`;
}

/** The longest JSON a JWT header or claim shows in text: a token is fed in by anyone, and a 5 MB header is no help. */
const MAX_JSON_TEXT = 512;

/** JSON for a person, cut at MAX_JSON_TEXT characters with the length said (-o json keeps it all). */
function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length <= MAX_JSON_TEXT ? text : `${text.slice(0, MAX_JSON_TEXT)}... (${text.length} characters in all; -o json has it whole)`;
}

function list(values: readonly string[], none = 'none'): string {
  return values.length === 0 ? none : values.join(', ');
}

/** What kube-apiserver would make of a credential, in one or a few lines. */
export function renderIdentity(indent: string, kube: KubeIdentity): string[] {
  if (kube.outcome === 'user') {
    const extra = Object.entries(kube.extra).map(([k, v]) => `extra ${k}: ${v.join(', ')}`);
    const lines = [`user ${JSON.stringify(kube.user)}, groups [${kube.groups.join(' ')}], ${kube.uid === '' ? 'no uid' : `uid ${JSON.stringify(kube.uid)}`}`, ...extra, `by the ${kube.authenticator} authenticator${kube.condition ? `, ${kube.condition}` : ''}`];
    return [field(indent, 'kube-apiserver', lines.join('\n'))];
  }
  const verdict = kube.outcome === 'refused' ? `refused by the ${kube.authenticator} authenticator: ${kube.reason}` : `not a user for the ${kube.authenticator} authenticator: ${kube.reason}`;
  return [field(indent, 'kube-apiserver', verdict)];
}

function renderCertificate(indent: string, c: CertificateItem): string[] {
  const s = c.summary;
  const lines = [
    `${indent}[${c.position}] certificate ${s.subject || '(empty subject)'}${s.isCA ? ' (a CA)' : ''}`,
    field(`${indent}    `, 'subject', `${s.subject || '(empty)'}  (who it names)`),
    field(`${indent}    `, 'issuer', `${s.issuer}  (who signed it${c.signedBy ? `: ${c.signedBy}` : ''})`),
    field(`${indent}    `, 'validity', `${c.validity.words}\nfrom ${c.validity.notBefore} to ${c.validity.notAfter}`),
    field(`${indent}    `, 'used for', c.purposes.join('\n')),
    field(`${indent}    `, 'key usage', list(c.keyUsage, 'not restricted (no keyUsage extension)')),
  ];
  if (c.maxPathLength !== undefined) lines.push(field(`${indent}    `, 'path length', `at most ${c.maxPathLength} intermediate CA${c.maxPathLength === 1 ? '' : 's'} below it`));
  lines.push(
    field(`${indent}    `, 'SANs', s.subjectAltNames.length === 0 ? 'none' : `${s.subjectAltNames.join(', ')}\n(the names and addresses a client may dial it by)`),
    field(`${indent}    `, 'public key', s.publicKey),
    field(`${indent}    `, 'serial', s.serialNumber),
    field(`${indent}    `, 'SHA-256', s.sha256),
  );
  if (c.goParseError) lines.push(field(`${indent}    `, 'Go refuses it', `${c.goParseError} (kubectl and kube-apiserver cannot use it)`));
  if (c.kube) lines.push(...renderIdentity(`${indent}    `, c.kube));
  return lines;
}

function renderPrivateKey(indent: string, k: PrivateKeyItem): string[] {
  const lines = [`${indent}[${k.position}] private key, ${k.format}${k.algorithm ? `, ${k.algorithm}` : ''}`];
  if (!k.encrypted) {
    lines.push(field(`${indent}    `, 'public half', `SHA-256 of its SubjectPublicKeyInfo ${k.publicKeySha256}`));
    if (k.serviceAccountKeyId) lines.push(field(`${indent}    `, 'as SA signer', `if it signs ServiceAccount tokens (--service-account-signing-key-file), they carry kid ${k.serviceAccountKeyId}`));
  }
  lines.push(field(`${indent}    `, 'note', k.note));
  return lines;
}

function renderPublicKey(indent: string, k: PublicKeyItem): string[] {
  const lines = [`${indent}[${k.position}] public key, ${k.format}, ${k.algorithm}`, field(`${indent}    `, 'SHA-256', `${k.publicKeySha256} (of its SubjectPublicKeyInfo)`)];
  if (k.serviceAccountKeyId) lines.push(field(`${indent}    `, 'as SA key', `verifies ServiceAccount tokens with kid ${k.serviceAccountKeyId}, alg ${k.jwsAlgorithm} (--service-account-key-file; /openid/v1/jwks lists it so)`));
  return lines;
}

function renderCsr(indent: string, c: CsrItem): string[] {
  return [
    `${indent}[${c.position}] certificate signing request (PKCS#10) ${c.subject || '(empty subject)'}`,
    field(`${indent}    `, 'subject', `${c.subject || '(empty)'}  (the name the requester asks to be certified)`),
    field(`${indent}    `, 'SANs asked', list(c.subjectAltNames)),
    field(`${indent}    `, 'usages asked', list(c.extKeyUsage, 'none (the signer decides)')),
    field(`${indent}    `, 'public key', `${c.publicKey}, SHA-256 ${c.publicKeySha256}`),
    field(`${indent}    `, 'signature', `${c.signatureAlgorithm}: ${c.signatureValid === undefined ? 'an algorithm not checked here' : c.signatureValid ? 'valid (the requester holds the private key)' : 'INVALID (the request was altered or signed with another key)'}`),
    ...renderIdentity(`${indent}    `, c.kube),
  ];
}

function renderJwt(indent: string, j: JwtItem): string[] {
  const lines = [
    `${indent}[${j.position}] JWT${j.serviceAccount ? `, a ${j.serviceAccount.generation} ServiceAccount token` : ''}`,
    field(`${indent}    `, 'header', shortJson(j.header)),
    field(`${indent}    `, 'issuer', `${j.issuer || '(none)'}  (who signed it)`),
    field(`${indent}    `, 'subject', `${j.subject || '(none)'}  (whom it is about)`),
    field(`${indent}    `, 'audiences', `${list(j.audiences)}  (who may accept it)`),
    ...j.times.map((t) => field(`${indent}    `, t.name, `${t.at} (${t.words})`)),
    field(`${indent}    `, 'validity', j.validity.words),
  ];
  if (typeof j.claims.jti === 'string') lines.push(field(`${indent}    `, 'jti', `${j.claims.jti}  (the token's id: kube's credential id and audit logs name it)`));
  const sa = j.serviceAccount;
  if (sa) {
    lines.push(field(`${indent}    `, 'ServiceAccount', `${sa.namespace}/${sa.serviceAccount}${sa.serviceAccountUid ? ` (uid ${sa.serviceAccountUid})` : ''}`));
    if (sa.pod) lines.push(field(`${indent}    `, 'bound to pod', `${sa.pod.name} (uid ${sa.pod.uid}): the token dies with the pod`));
    if (sa.node) lines.push(field(`${indent}    `, 'node', `${sa.node.name} (uid ${sa.node.uid})${sa.pod ? ': the pod\'s node, for information' : ': the token dies with the node'}`));
    if (sa.secret) lines.push(field(`${indent}    `, 'secret', `${sa.secret.name}${sa.secret.uid ? ` (uid ${sa.secret.uid})` : ''}: the token dies with the Secret`));
    if (sa.warnAfter) lines.push(field(`${indent}    `, 'warn after', `${sa.warnAfter} (kube warns the token is stale after this)`));
  }
  const otherClaims = Object.keys(j.claims).filter((k) => !['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'kubernetes.io'].includes(k) && !k.startsWith('kubernetes.io/'));
  if (otherClaims.length > 0) lines.push(field(`${indent}    `, 'other claims', otherClaims.map((k) => `${k}: ${shortJson(j.claims[k])}`).join('\n')));
  if (j.signature) lines.push(field(`${indent}    `, 'signature', `${j.signature.ok ? 'ok' : 'FAIL'}: ${j.signature.message}`));
  else lines.push(field(`${indent}    `, 'signature', 'not checked (give --key, --jwks or --server)'));
  lines.push(...renderIdentity(`${indent}    `, j.kube));
  return lines;
}

function renderKubeconfig(indent: string, k: KubeconfigItem): string[] {
  const inner = `${indent}    `;
  const lines = [`${indent}current context ${k.currentContext === '' ? '(none)' : JSON.stringify(k.currentContext)}`];
  for (const p of k.problems) lines.push(`${inner}problem: ${p}`);
  lines.push(`${indent}  clusters (${k.clusters.length}):`);
  for (const c of k.clusters) {
    lines.push(`${inner}cluster ${JSON.stringify(c.name)}`);
    lines.push(field(`${inner}  `, 'server', c.server || '(none)'));
    if (c.tlsServerName) lines.push(field(`${inner}  `, 'tls-server-name', `${c.tlsServerName} (checked against the server's SANs instead of the URL's host)`));
    if (c.proxyUrl) lines.push(field(`${inner}  `, 'proxy-url', c.proxyUrl));
    if (c.insecureSkipTlsVerify) lines.push(field(`${inner}  `, 'insecure', 'insecure-skip-tls-verify: the server\'s certificate is not checked; anyone in between can pose as the server'));
    lines.push(field(`${inner}  `, 'trusts', c.caSource === '' ? 'the system\'s CA roots (no certificate-authority given)' : `the CA in ${c.caSource} to vouch for the server's certificate:`));
    for (const item of c.ca) lines.push(...renderItem(`${inner}    `, item));
  }
  lines.push(`${indent}  users (${k.users.length}):`);
  for (const u of k.users) {
    lines.push(`${inner}user ${JSON.stringify(u.name)}: ${list(u.methods, 'no credentials')}`);
    if (u.clientCertificate.length > 0) {
      lines.push(`${inner}  client certificate, ${u.clientCertificateSource}:`);
      for (const item of u.clientCertificate) lines.push(...renderItem(`${inner}    `, item));
    }
    if (u.clientKey.length > 0) {
      lines.push(`${inner}  client key, ${u.clientKeySource}${u.keyMatchesCertificate === undefined ? '' : u.keyMatchesCertificate ? ' (belongs to the client certificate)' : ' (does NOT belong to the client certificate)'}:`);
      for (const item of u.clientKey) lines.push(...renderItem(`${inner}    `, item));
    }
    if (u.token) {
      lines.push(field(`${inner}  `, 'token', `${u.token.kind}${u.token.source === 'token' ? '' : ` (from ${u.token.source})`}`));
      if (u.token.jwt) lines.push(...renderJwt(`${inner}    `, u.token.jwt));
    }
    if (u.basicAuth) lines.push(field(`${inner}  `, 'basic auth', `user ${JSON.stringify(u.basicAuth.username)}, a password of ${u.basicAuth.passwordLength} characters (kube-auth-mock looks them up in --basic-auth-file; kube-apiserver has had no basic auth since 1.19, so there it is no credential)`));
    if (u.exec) lines.push(field(`${inner}  `, 'exec', `${[u.exec.command, ...u.exec.args].join(' ')} (${u.exec.apiVersion || 'no apiVersion'})`));
    if (u.authProvider !== undefined) lines.push(field(`${inner}  `, 'auth-provider', u.authProvider));
    if (u.impersonate) lines.push(field(`${inner}  `, 'impersonates', `${u.impersonate.user}${u.impersonate.groups.length ? `, groups [${u.impersonate.groups.join(' ')}]` : ''}${u.impersonate.uid ? `, uid ${u.impersonate.uid}` : ''} (needs the impersonate verb)`));
    for (const p of u.problems) lines.push(`${inner}  problem: ${p}`);
  }
  lines.push(`${indent}  contexts (${k.contexts.length}):`);
  for (const c of k.contexts) {
    lines.push(`${inner}${c.current ? '* ' : ''}context ${JSON.stringify(c.name)}: user ${JSON.stringify(c.user)} at cluster ${JSON.stringify(c.cluster)}${c.namespace ? `, namespace ${c.namespace}` : ''}${c.current ? ' (current)' : ''}`);
    for (const p of c.problems) lines.push(`${inner}  problem: ${p}`);
  }
  return lines;
}

function renderOther(indent: string, o: OtherPemItem): string[] {
  return [`${indent}[${o.position}] ${o.label}: ${o.note}`];
}

/** One item's lines at an indent. */
export function renderItem(indent: string, item: Item): string[] {
  switch (item.kind) {
    case 'certificate':
      return renderCertificate(indent, item);
    case 'private-key':
      return renderPrivateKey(indent, item);
    case 'public-key':
      return renderPublicKey(indent, item);
    case 'csr':
      return renderCsr(indent, item);
    case 'jwt':
      return renderJwt(indent, item);
    case 'kubeconfig':
      return renderKubeconfig(indent, item);
    case 'other':
      return renderOther(indent, item);
  }
}

function renderCheck(c: CheckResult): string {
  return `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.message}`;
}

const KIND_WORDS: Readonly<Record<Item['kind'], [string, string]>> = {
  certificate: ['certificate', 'certificates'],
  'private-key': ['private key', 'private keys'],
  'public-key': ['public key', 'public keys'],
  csr: ['certificate signing request', 'certificate signing requests'],
  jwt: ['JWT', 'JWTs'],
  kubeconfig: ['kubeconfig', 'kubeconfigs'],
  other: ['other block', 'other blocks'],
};

/** "2 certificates, 1 private key". */
function contents(items: readonly Item[]): string {
  const counts = new Map<Item['kind'], number>();
  for (const i of items) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${KIND_WORDS[kind][n === 1 ? 0 : 1]}`).join(', ');
}

/** The whole report as text: a heading naming the file, its items, then the checks. An error is its one line. */
export function renderInspectReport(report: InspectReport): string {
  if (report.error !== undefined) return `${report.source}: ${report.error}\n`;
  const lines = [`${report.source}: ${report.encoding === 'kubeconfig' ? 'a kubeconfig' : `${report.encoding}, ${contents(report.items)}`}`];
  for (const item of report.items) lines.push(...renderItem('  ', item));
  if (report.checks.length > 0) {
    lines.push('checks:');
    lines.push(...report.checks.map(renderCheck));
  }
  return `${lines.join('\n')}\n`;
}
