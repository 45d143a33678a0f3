// The broken-certificate scenarios in words: what each reproduces, what kubectl prints, why, and the fix. Pure data,
// shared by `pki scenario --list`, the programmatic API and docs/certificate-scenarios.md (a unit test checks the doc
// quotes these messages). The kubectl messages were recorded by running kubectl 1.27, 1.33 and the newest against a
// kube-auth-mock server (test/e2e/certificate-scenarios.test.ts asserts them); all three print the same text. The
// server reasons are Go's crypto/x509 Verify errors (checked with Go 1.26 on the same certificates).

/** The scenarios, in the order they are listed and built by `all`. */
export const SCENARIO_NAMES = [
  'wrong-ca',
  'expired-client',
  'not-yet-valid-client',
  'hostname-mismatch',
  'no-client-auth-usage',
  'untrusted-intermediate',
  'key-mismatch',
  'expired-server',
  'unknown-client-ca',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Who refuses: kubectl itself (before or during the handshake) or the server's x509 authenticator (401). */
export type ScenarioRefusedBy = 'kubectl' | 'server';

/** One scenario's documentation. */
export interface ScenarioInfo {
  name: ScenarioName;
  /** One line, for `pki scenario --list`. */
  summary: string;
  /** What goes wrong, in a few sentences. */
  reproduces: string;
  refusedBy: ScenarioRefusedBy;
  /**
   * Exactly what `kubectl get --raw /version` prints on stderr (one line), with placeholders where values vary:
   * `<now>` is the time of the request (Go's time.RFC3339 in the client's zone), the others come from the built
   * certificates (BuiltScenario.facts).
   */
  kubectl: string;
  /** For 401s: the reason the server's x509 authenticator gives (kube logs it; kube-auth-mock's request log has it). */
  serverReason?: string;
  /** Why it fails, pointing at the code that decides. */
  why: string;
  fix: string;
}

const UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)';

/** The scenarios' documentation, in SCENARIO_NAMES order. */
export const SCENARIOS: readonly ScenarioInfo[] = Object.freeze([
  {
    name: 'wrong-ca',
    summary: 'the kubeconfig trusts another CA than the one that signed the server\'s certificate',
    reproduces:
      'certificate-authority-data holds a CA that did not sign the server\'s serving certificate, as when a kubeconfig from one cluster is pointed at another, or the cluster was rebuilt with a new CA. The client certificate is fine.',
    refusedBy: 'kubectl',
    kubectl: 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority',
    why:
      'client-go puts only certificate-authority-data in the TLS RootCAs (client-go transport/transport.go), so Go\'s crypto/tls finds no chain from the server\'s certificate to a trusted root and fails the handshake (crypto/x509 verify.go UnknownAuthorityError; "tls: failed to verify certificate:" is crypto/tls handshake_client.go). kubectl prints connection errors after "Unable to connect to the server:".',
    fix: 'Put the CA that signed the server\'s certificate in the kubeconfig: kubectl config set-cluster NAME --certificate-authority=pki/ca.crt --embed-certs (kube-auth-mock: the PKI folder\'s ca.crt).',
  },
  {
    name: 'expired-client',
    summary: 'the client certificate, from the right CA, expired yesterday',
    reproduces: 'The client certificate was issued by the server\'s CA but its notAfter has passed (kubeadm\'s client certificates last a year).',
    refusedBy: 'server',
    kubectl: UNAUTHORIZED,
    serverReason: 'verifying certificate SN=<serial>, SKID=<skid>, AKID=<akid> failed: x509: certificate has expired or is not yet valid: current time <now> is after <notAfter>',
    why:
      'kube-apiserver asks for a client certificate but does not require one, so the handshake succeeds; its x509 authenticator then verifies the chain with x509.Verify (apiserver pkg/authentication/request/x509/x509.go), which refuses a certificate out of its validity, and an authenticator error is a 401 even with anonymous auth on (the anonymous authenticator only runs when no authenticator failed: union.NewFailOnError). kubectl prints 401s as "You must be logged in to the server".',
    fix: 'Issue a new client certificate from the same CA (kube-auth-mock pki cert --user NAME, kubeadm certs renew, or a CertificateSigningRequest) and put it in the kubeconfig.',
  },
  {
    name: 'not-yet-valid-client',
    summary: 'the client certificate, from the right CA, becomes valid only tomorrow',
    reproduces: 'The client certificate\'s notBefore is in the future: a certificate made on a machine whose clock runs ahead, or used on one whose clock runs behind.',
    refusedBy: 'server',
    kubectl: UNAUTHORIZED,
    serverReason: 'verifying certificate SN=<serial>, SKID=<skid>, AKID=<akid> failed: x509: certificate has expired or is not yet valid: current time <now> is before <notBefore>',
    why: 'As for expired-client: x509.Verify checks notBefore as well as notAfter (crypto/x509 verify.go isValid), the authenticator fails and the server answers 401.',
    fix: 'Fix the clock that is wrong (NTP on the issuing machine or the server), or issue a certificate whose notBefore is in the past; issuers backdate a few minutes for skew.',
  },
  {
    name: 'hostname-mismatch',
    summary: 'the server is reached under a name its certificate does not list (tls-server-name)',
    reproduces:
      'The kubeconfig\'s cluster has tls-server-name: kube-api.example.com (kube-api.kube-auth-mock.invalid if the serving certificate lists that name), so the client checks the server\'s certificate against that name, as if the server were reached through a DNS name (a load balancer\'s, say) that is not among the serving certificate\'s SANs. tls-server-name stands in for the DNS record, so the scenario needs no resolver changes; the server URL stays the real address. Do not add --server to the kubectl command: a --server flag also clears the kubeconfig\'s tls-server-name (client-go clientcmd/client_config.go getCluster), and kubectl then connects fine.',
    refusedBy: 'kubectl',
    kubectl: 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for <sans>, not <host>',
    why:
      'Go\'s crypto/tls verifies the certificate for ServerName (client-go sets it from tls-server-name, or from the URL\'s host) with Certificate.VerifyHostname, and HostnameError lists the certificate\'s DNS names (crypto/x509 verify.go). An IP address in the URL is checked against the IP SANs instead ("certificate is valid for 127.0.0.1, ::1, not 10.0.0.5").',
    fix: 'Reach the server under a name its certificate lists, or add the name to the serving certificate (kube-auth-mock serve --tls-san kube-api.example.com; kubeadm: apiServer.certSANs) and drop tls-server-name or set it to a listed name.',
  },
  {
    name: 'no-client-auth-usage',
    summary: 'the client certificate may only be used for server authentication (no clientAuth usage)',
    reproduces: 'The client certificate comes from the right CA and is in date, but its extended key usage lists serverAuth only, as when a serving certificate is reused as a client certificate.',
    refusedBy: 'server',
    kubectl: UNAUTHORIZED,
    serverReason: 'verifying certificate SN=<serial>, SKID=<skid>, AKID=<akid> failed: x509: certificate specifies an incompatible key usage',
    why:
      'The x509 authenticator verifies with KeyUsages: [ClientAuth] (x509.go DefaultVerifyOptions), and x509.Verify refuses a chain whose extended key usages do not allow it (crypto/x509 verify.go checkChainForKeyUsage). A certificate with no extendedKeyUsage extension at all would pass: Go reads its absence as any usage.',
    fix: 'Issue a client certificate with extendedKeyUsage clientAuth (kube-auth-mock pki cert does; openssl: extendedKeyUsage = clientAuth; cfssl: "client auth").',
  },
  {
    name: 'untrusted-intermediate',
    summary: 'the client certificate chains through an intermediate CA that does not chain to the server\'s client CA',
    reproduces:
      'client-certificate-data holds a leaf and the intermediate CA that signed it (kube-auth-mock-intermediate-ca), as in kube\'s x509_test.go "multi-level" chains, but the intermediate was signed by kube-auth-mock-other-ca, which the server does not trust (written as untrusted-intermediate-ca.crt, never sent): a certificate from a corporate or cloud sub-CA presented to a cluster that trusts only its own CA.',
    refusedBy: 'server',
    kubectl: UNAUTHORIZED,
    serverReason: 'verifying certificate SN=<serial>, SKID=<skid>, AKID=<akid> failed: x509: certificate signed by unknown authority',
    why:
      'The x509 authenticator adds the certificates after the leaf as intermediates (x509.go AuthenticateRequest) and x509.Verify looks for a path from the leaf through them to a root in --client-ca-file (crypto/x509 verify.go buildChains). The path stops at the intermediate, whose issuer is no root the server has, so verification fails and the authenticator error is a 401.',
    fix: 'Add the chain\'s root to the server\'s client CA bundle (kube-auth-mock serve --client-ca-file BUNDLE with both roots; kube-apiserver --client-ca-file), or issue the client certificate from a CA the server trusts.',
  },
  {
    name: 'key-mismatch',
    summary: 'the kubeconfig\'s client key does not belong to its client certificate',
    reproduces: 'client-certificate-data is a good certificate from the right CA, but client-key-data is another key, as when a certificate was renewed with a new key and only one of the two fields was updated.',
    refusedBy: 'kubectl',
    kubectl: 'error: tls: private key does not match public key',
    why:
      'client-go loads the pair with tls.X509KeyPair when it builds the transport (client-go transport/transport.go), which compares the certificate\'s public key with the private key (crypto/tls tls.go) and fails before any connection is made.',
    fix: 'Put the key that was generated with the certificate\'s CSR in client-key-data (or issue a new pair); openssl x509 -noout -pubkey -in CERT and openssl pkey -pubout -in KEY must print the same key.',
  },
  {
    name: 'expired-server',
    summary: 'the server serves an expired certificate (start it with the scenario\'s --tls-cert-file/--tls-private-key-file)',
    reproduces:
      'The server was started with a serving certificate from the right CA, for the right names, that expired yesterday: kube-apiserver starts with an expired --tls-cert-file without a word (its dynamic serving content only parses the pair), and so does kube-auth-mock. The kubeconfig itself is fine.',
    refusedBy: 'kubectl',
    kubectl: 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time <now> is after <notAfter>',
    why: 'Go\'s crypto/tls verifies the server\'s chain at the handshake and x509.Verify checks each certificate\'s validity before anything else (crypto/x509 verify.go isValid).',
    fix: 'Renew the serving certificate (kube-auth-mock: delete the PKI folder\'s apiserver.crt and apiserver.key to have them issued again, or drop --tls-cert-file; kubeadm certs renew apiserver) and restart the server.',
  },
  {
    name: 'unknown-client-ca',
    summary: 'the client certificate comes from a CA the server does not trust',
    reproduces:
      'The client certificate was issued by kube-auth-mock-other-ca, a CA not in the server\'s --client-ca-file: a kubeconfig from another cluster, or from before the cluster was rebuilt with a new CA. The kubeconfig trusts the right CA for the server.',
    refusedBy: 'server',
    kubectl: UNAUTHORIZED,
    serverReason: 'verifying certificate SN=<serial>, SKID=<skid>, AKID=<akid> failed: x509: certificate signed by unknown authority',
    why:
      'The server asks for a client certificate and lists the CAs it trusts in the CertificateRequest, but client-go answers with the kubeconfig\'s certificate whatever that list says (client-go transport/transport.go GetClientCertificate). The handshake succeeds (kube-apiserver requests but does not require a certificate), then x509.Verify finds no path to --client-ca-file and the authenticator error is a 401, not an anonymous request.',
    fix: 'Issue the client certificate from the CA in the server\'s --client-ca-file (kube-auth-mock: the PKI folder\'s ca.crt, pki cert --user NAME), or add the other CA to --client-ca-file.',
  },
] satisfies ScenarioInfo[]);

/** One scenario's documentation by name. */
export function scenarioInfo(name: ScenarioName): ScenarioInfo {
  return SCENARIOS.find((s) => s.name === name)!;
}
