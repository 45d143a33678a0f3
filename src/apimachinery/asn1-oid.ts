// Object identifiers under the CNCF's private enterprise number allocated to Kubernetes (1.3.6.1.4.1.57683), as
// staging/src/k8s.io/apimachinery/pkg/apis/asn1/oid.go names them: shared by the PKI that writes them and the
// authenticator that reads them.

/**
 * X509UID: the distinguished-name attribute that carries a user's UID in a client certificate (single-valued,
 * a string), read by kube 1.33+ (request/x509/x509.go parseUIDFromCert).
 */
export const X509_UID_OID = '1.3.6.1.4.1.57683.2';
