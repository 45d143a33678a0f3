// Each way a kubeconfig fails to reach and convince a server: what kubectl prints for it and what would fix it.
// kubectl's texts come from k8s.io/kubectl pkg/cmd/util/helpers.go StandardErrorMessage (an *url.Error is "Unable to
// connect to the server: %v", or "The connection to the server HOST was refused - did you specify the right host or
// port?" when it says connection refused; a 401 Status is "error: You must be logged in to the server (%s)"; any
// other Status "Error from server (Reason): message"), checkErr's "error: " prefix for the rest, and
// pkg/cmd/auth/whoami.go (kubectl auth whoami makes the same request: a 403 or 404 becomes its own sentence).
// The e2e test test/e2e/handshake.test.ts runs kubectl against each broken set-up and compares.

/** The kinds of failure, in the order a client meets them. */
export type FailureKind =
  | 'kubeconfig'
  | 'insecure-with-ca'
  | 'ca-unparseable'
  | 'key-pair'
  | 'connection-refused'
  | 'dial'
  | 'unknown-authority'
  | 'hostname'
  | 'expired'
  | 'not-yet-valid'
  | 'incompatible-usage'
  | 'verify-other'
  | 'tls'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'status'
  | 'request'
  | 'answer';

/** What is known about the failure: Go's error text and the context the fix depends on. */
export interface Failure {
  kind: FailureKind;
  /** Go's error text (x509: ..., dial tcp ..., tls: ...) or the server's Status message. */
  error: string;
  /** The server's host[:port] as written in the kubeconfig (kubectl's "connection refused" sentence names it). */
  host?: string;
  /** A Status reason (Unauthorized, Forbidden, ...) for 'status'. */
  reason?: string;
  /** What the credential step found, for the 401 advice. */
  credential?: 'client-certificate' | 'token' | 'basic' | 'plugin' | 'none';
  /** The client certificate lists extended key usages without clientAuth. */
  clientCertWithoutClientAuth?: boolean;
  /** The client certificate is outside its validity period. */
  clientCertOutOfValidity?: boolean;
  /** Whether the server asked for a client certificate (undefined: not observed). */
  serverAskedForCert?: boolean;
  /** insecure-skip-tls-verify was set (the server was not checked at all). */
  insecure?: boolean;
}

/** What kubectl prints for the failure, why it happens, and what would fix it. */
export interface Explanation {
  kubectl: string;
  why: string;
  fix: string;
}

interface Row {
  kubectl(f: Failure): string;
  why(f: Failure): string;
  fix(f: Failure): string;
}

const connect = (f: Failure): string => `Unable to connect to the server: ${f.error}`;
const verify = (f: Failure): string => `Unable to connect to the server: tls: failed to verify certificate: ${f.error}`;

/** The table: one row per kind. */
export const EXPLANATIONS: Readonly<Record<FailureKind, Row>> = {
  kubeconfig: {
    kubectl: (f) => `error: ${f.error}`,
    why: () => 'client-go refuses the kubeconfig before connecting (clientcmd validation).',
    fix: () => 'correct the kubeconfig as the message says (kubectl config view --minify shows what is used).',
  },
  'insecure-with-ca': {
    kubectl: (f) => `error: ${f.error}`,
    why: () => 'the cluster sets insecure-skip-tls-verify and a certificate authority; client-go refuses the pair (transport/transport.go TLSConfigFor).',
    fix: () => 'remove insecure-skip-tls-verify (keep the CA: the server is then checked), or remove the CA.',
  },
  'ca-unparseable': {
    kubectl: (f) => `error: ${f.error}`,
    why: () => 'certificate-authority(-data) holds no PEM certificate, so client-go cannot build its root pool (transport/transport.go rootCertPool).',
    fix: () => 'put the cluster CA certificate (PEM) in certificate-authority-data (base64) or certificate-authority (a file).',
  },
  'key-pair': {
    kubectl: (f) => `error: ${f.error}`,
    why: () => 'client-go loads the client certificate and key with tls.X509KeyPair before any connection; the key must be the private half of the certificate\'s public key.',
    fix: () => 'pair the certificate with its own key (client-key-data), or issue a new certificate for this key.',
  },
  'connection-refused': {
    kubectl: (f) => `The connection to the server ${f.host ?? ''} was refused - did you specify the right host or port?`,
    why: () => 'nothing listens at that address and port (the TCP connection was refused).',
    fix: () => 'start the server, or correct the server URL\'s host and port in the kubeconfig.',
  },
  dial: {
    kubectl: connect,
    why: () => 'the TCP connection could not be made (name resolution, routing or a timeout).',
    fix: () => 'check the server URL\'s host name and that the address is reachable from here (proxies, firewalls, VPN).',
  },
  'unknown-authority': {
    kubectl: verify,
    why: () => 'the server\'s certificate does not chain to any CA the kubeconfig trusts (certificate-authority-data, or the system roots when it names none).',
    fix: () => 'put the CA that signed the server\'s certificate in certificate-authority-data (for kube-auth-mock: pki/ca.crt); if the server sends an intermediate, it must send it or the kubeconfig must trust it.',
  },
  hostname: {
    kubectl: verify,
    why: () => 'the host the client connects to (or tls-server-name) is not among the certificate\'s subject alternative names; Go matches IP hosts only against IP SANs and never falls back to the CommonName.',
    fix: () => 'connect with a name the certificate lists, set tls-server-name to one of them, or reissue the serving certificate with this name (kube-auth-mock serve --tls-san NAME).',
  },
  expired: {
    kubectl: verify,
    why: () => 'the server\'s certificate is past its notAfter date.',
    fix: () => 'renew the server\'s serving certificate (kube-auth-mock: delete pki/apiserver.crt and restart), or check this machine\'s clock.',
  },
  'not-yet-valid': {
    kubectl: verify,
    why: () => 'the server\'s certificate is not valid yet (notBefore is in the future): usually a clock behind on this machine or ahead on the issuer.',
    fix: () => 'fix the clock (timedatectl, NTP), or wait until notBefore.',
  },
  'incompatible-usage': {
    kubectl: verify,
    why: () => 'a certificate of the server\'s chain lists extended key usages without serverAuth, so Go refuses it for a TLS server.',
    fix: () => 'reissue the serving certificate with extendedKeyUsage serverAuth (and any CA in the chain must allow it or list none).',
  },
  'verify-other': {
    kubectl: verify,
    why: () => 'Go\'s crypto/x509 refused the server\'s certificate chain.',
    fix: () => 'inspect the server\'s chain above; the x509 message names the certificate and the reason.',
  },
  tls: {
    kubectl: connect,
    why: (f) =>
      f.error.startsWith('http: server gave HTTP response')
        ? 'the server answered the ClientHello in plain HTTP: that port does not speak TLS.'
        : f.error.startsWith('remote error:')
          ? 'the server ended the handshake with an alert (often: it refused the client certificate, or requires one).'
          : f.error === 'EOF'
            ? 'the server closed the connection during the handshake (not a TLS server, or it refused us before any message).'
            : 'the TLS handshake failed.',
    fix: (f) =>
      f.error.startsWith('http: server gave HTTP response')
        ? 'use the server\'s HTTPS port, or http:// in the server URL if it really serves plain HTTP.'
        : f.error.includes('certificate')
          ? 'present a client certificate signed by a CA the server trusts (kube-apiserver --client-ca-file).'
          : 'check that the server speaks TLS 1.2 or 1.3 at that address and port.',
  },
  unauthorized: {
    kubectl: (f) => `error: You must be logged in to the server (${f.error})`,
    why: unauthorizedWhy,
    fix: unauthorizedFix,
  },
  forbidden: {
    kubectl: () => 'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it',
    why: (f) =>
      f.credential === 'plugin'
        ? `the request went without the plugin's credential (not run here), so the server saw an anonymous request and refused it: ${f.error}`
        : `the server knows who you are but refused the SelfSubjectReview: ${f.error}`,
    fix: () => 'every authenticated user may create selfsubjectreviews (system:basic-user); check the RBAC bindings of system:authenticated and any webhook authorizer.',
  },
  'not-found': {
    kubectl: () => 'error: the selfsubjectreviews API is not enabled in the cluster',
    why: () => 'the server does not serve authentication.k8s.io/v1 selfsubjectreviews (kube-apiserver before 1.28, or the API disabled).',
    fix: () => 'use a kube-apiserver of 1.28 or later, or enable the API (--runtime-config=authentication.k8s.io/v1=true).',
  },
  // The connection was made and judged, then the request's answer did not come whole: Go's transport error is an
  // *url.Error, which kubectl prints as it prints any failure to connect.
  request: {
    kubectl: connect,
    why: (f) => `the TLS connection was made, but the answer to the request did not come whole: ${f.error}.`,
    fix: () => 'check the server\'s logs; a proxy or load balancer in between may hold or cut answers.',
  },
  // A success status whose body is not a SelfSubjectReview: client-go fails to decode it, and kubectl prints the error.
  answer: {
    kubectl: (f) => `error: ${f.error}`,
    why: () => 'the server answered with a success status but not with a SelfSubjectReview: it is not a kube-apiserver, or something in between answered for it.',
    fix: () => 'check that the kubeconfig\'s server URL points at the API server itself (scheme, host, port and path).',
  },
  status: {
    kubectl: (f) => (f.reason ? `Error from server (${f.reason}): ${f.error}` : `Error from server: ${f.error}`),
    why: () => 'the server answered the request with an error status.',
    fix: () => 'read the server\'s message; its logs say more.',
  },
};

/** Why a 401: which credential the server refused, with what the narration found. */
function unauthorizedWhy(f: Failure): string {
  switch (f.credential) {
    case 'client-certificate':
      if (f.serverAskedForCert === false) return 'the server did not ask for a client certificate, so the TLS client never sent it, and no other credential was sent.';
      if (f.clientCertWithoutClientAuth) return 'the client certificate lists extended key usages without clientAuth; kube-apiserver\'s x509 authenticator verifies with KeyUsages: ClientAuth and refuses it.';
      if (f.clientCertOutOfValidity) return 'the client certificate is outside its validity period; kube-apiserver\'s x509 authenticator refuses it.';
      return 'the server did not accept the client certificate: most often it is signed by a CA the server does not trust (kube-apiserver --client-ca-file).';
    case 'token':
      return 'no authenticator of the server accepted the bearer token (unknown, expired, revoked, or meant for another audience).';
    case 'basic':
      return 'the server did not accept the user name and password (kube-apiserver removed basic auth in 1.19; kube-auth-mock keeps it behind --basic-auth-file).';
    case 'plugin':
      return 'the credential comes from an exec plugin or auth-provider, which kube-auth-mock handshake does not run, so the request went without it.';
    default:
      return 'the request carried no credential and the server does not allow anonymous requests (or not to this API).';
  }
}

function unauthorizedFix(f: Failure): string {
  switch (f.credential) {
    case 'client-certificate':
      if (f.serverAskedForCert === false) return 'start the server with a client CA (kube-apiserver --client-ca-file) so that it asks for certificates, or use a token.';
      if (f.clientCertWithoutClientAuth) return 'issue the client certificate with extendedKeyUsage clientAuth (kube-auth-mock pki cert does).';
      if (f.clientCertOutOfValidity) return 'issue a new client certificate (kube-auth-mock pki cert --user NAME).';
      return 'use a client certificate signed by the server\'s client CA (for kube-auth-mock: pki/ca.crt, or --client-ca-file).';
    case 'token':
      return 'get a fresh token (kubectl create token, kube-auth-mock token) for this server and audience.';
    case 'basic':
      return 'check the user and password against the server\'s --basic-auth-file, or use a token or certificate.';
    case 'plugin':
      return 'run kubectl with the plugin to test it; to see the handshake here, use a kubeconfig with a static credential.';
    default:
      return 'add a credential to the kubeconfig\'s user: a client certificate, a token or a tokenFile.';
  }
}

/** The kind of a Verify error from its text (crypto/x509 verify.go error types). */
export function verifyErrorKind(x509Error: string): FailureKind {
  if (x509Error.startsWith('x509: certificate signed by unknown authority')) return 'unknown-authority';
  if (/^x509: (certificate is valid for|cannot validate certificate for|certificate is not valid for any names|certificate relies on legacy Common Name)/.test(x509Error)) return 'hostname';
  if (x509Error.startsWith('x509: certificate has expired or is not yet valid:')) return / is before /.test(x509Error) ? 'not-yet-valid' : 'expired';
  if (x509Error === 'x509: certificate specifies an incompatible key usage') return 'incompatible-usage';
  return 'verify-other';
}

/** The explanation of one failure. */
export function explain(f: Failure): Explanation {
  const row = EXPLANATIONS[f.kind];
  return { kubectl: row.kubectl(f), why: row.why(f), fix: row.fix(f) };
}

/** Go's alert texts (crypto/tls alert.go alertText) for the alerts a server sends when it ends a handshake. */
const ALERTS: Readonly<Record<number, string>> = {
  10: 'unexpected message', 20: 'bad record MAC', 40: 'handshake failure', 42: 'bad certificate', 43: 'unsupported certificate',
  44: 'revoked certificate', 45: 'expired certificate', 46: 'unknown certificate', 47: 'illegal parameter', 48: 'unknown certificate authority',
  49: 'access denied', 50: 'error decoding message', 51: 'error decrypting message', 70: 'protocol version not supported',
  71: 'insufficient security level', 80: 'internal error', 112: 'unrecognized name', 116: 'certificate required', 120: 'no application protocol',
};

/** A TLS alert the server sent, in Go's words ("remote error: tls: bad certificate"), from OpenSSL's error text. */
export function goRemoteAlert(opensslMessage: string): string | undefined {
  const n = /alert number (\d+)/.exec(opensslMessage)?.[1];
  if (n === undefined) return undefined;
  const text = ALERTS[Number(n)];
  return `remote error: ${text !== undefined ? `tls: ${text}` : `tls: alert(${n})`}`;
}

/** A socket error in Go's net words ("dial tcp 127.0.0.1:1: connect: connection refused"). */
export function goDialError(code: string | undefined, host: string, address: string | undefined, port: number): string {
  const target = address === undefined ? host : `${address.includes(':') ? `[${address}]` : address}:${port}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${target}: connect: connection refused`;
    case 'ETIMEDOUT':
      return `dial tcp ${target}: i/o timeout`;
    case 'EHOSTUNREACH':
      return `dial tcp ${target}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${target}: connect: network is unreachable`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      // Go adds the resolver's address when it asked one ("on 127.0.0.53:53"); which one is not known here.
      return `dial tcp: lookup ${host}: no such host`;
    default:
      return `dial tcp ${target}: ${code ?? 'error'}`;
  }
}
