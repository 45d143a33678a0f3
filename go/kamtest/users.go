package kamtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// User is who AddUser's credentials authenticate as.
type User struct {
	// Name is the user name (a certificate's CN). Required.
	Name string
	// Groups the user is in (a certificate's O, in order); the server adds system:authenticated.
	Groups []string
	// UID, optional (a certificate's UID attribute, 1.3.6.1.4.1.57683.2, which kube 1.33+ reads).
	UID string
	// Extra, optional: with Token only, since kube's x509 authenticator reads no extra from a certificate.
	Extra map[string][]string
}

// Auth is how AddUser's config authenticates.
type Auth int

const (
	// Token is a bearer token that kamtest's TokenReview webhook answers with the user: name, uid, groups, extra.
	Token Auth = iota
	// Cert is a client certificate signed by the server's CA: CN the name, O the groups, the UID attribute the uid.
	Cert
)

func (a Auth) String() string {
	switch a {
	case Token:
		return "Token"
	case Cert:
		return "Cert"
	}
	return fmt.Sprintf("Auth(%d)", int(a))
}

// AddUser returns a client config that authenticates as u, by a bearer token or a client certificate. It adds no
// permissions: bind some with Apply (RBAC), or the user is refused as on a real cluster.
func (e *Env) AddUser(t testing.TB, u User, auth Auth) *rest.Config {
	t.Helper()
	if u.Name == "" {
		t.Fatalf("kamtest: AddUser needs a user name")
	}
	cfg := &rest.Config{Host: e.URL, TLSClientConfig: rest.TLSClientConfig{CAData: e.caPEM}}
	switch auth {
	case Token:
		cfg.BearerToken = e.tokens.add(u)
	case Cert:
		if len(u.Extra) > 0 {
			t.Fatalf("kamtest: AddUser %q with Cert cannot carry Extra: kube's x509 authenticator reads only CN (name), O (groups) and the UID attribute; use kamtest.Token", u.Name)
		}
		certPEM, keyPEM, err := issueClientCert(e.PKIDir, u)
		if err != nil {
			t.Fatalf("kamtest: AddUser %q: %v", u.Name, err)
		}
		cfg.CertData, cfg.KeyData = certPEM, keyPEM
	default:
		t.Fatalf("kamtest: AddUser %q: unknown %v", u.Name, auth)
	}
	return withTestRates(cfg)
}

// uidOID is the subject attribute kube's x509 authenticator reads the uid from (k8s.io/apiserver's
// x509.CommonNameUserConversion; kube-auth-mock's src/apimachinery/asn1-oid.ts).
var uidOID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57683, 2}

// issueClientCert signs a client certificate for u with the PKI folder's CA. The subject is written as
// kube-auth-mock's own `kubeconfig --auth cert` writes it: O (each group), CN, then the UID, all UTF8String.
func issueClientCert(pkiDir string, u User) (certPEM, keyPEM []byte, err error) {
	ca, caKey, err := loadCA(pkiDir)
	if err != nil {
		return nil, nil, err
	}
	// An ECDSA key: generated in well under a millisecond, where RSA-2048 takes tens to hundreds.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	subject, err := subjectDER(u)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber: serial,
		RawSubject:   subject,
		// Back-dated a little, as the server's own certificates are, so that clock skew cannot make it "not yet valid".
		NotBefore:   now.Add(-5 * time.Minute),
		NotAfter:    now.Add(365 * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, ca, key.Public(), caKey)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// subjectDER builds the subject by hand: pkix.Name would write PrintableString where it can and put the UID
// wherever ExtraNames go; this matches the certificates the server's CLI issues byte for byte in layout.
func subjectDER(u User) ([]byte, error) {
	utf8 := func(s string) asn1.RawValue {
		return asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagUTF8String, Bytes: []byte(s)}
	}
	var rdns pkix.RDNSequence
	for _, g := range u.Groups {
		rdns = append(rdns, pkix.RelativeDistinguishedNameSET{{Type: asn1.ObjectIdentifier{2, 5, 4, 10}, Value: utf8(g)}})
	}
	rdns = append(rdns, pkix.RelativeDistinguishedNameSET{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: utf8(u.Name)}})
	if u.UID != "" {
		rdns = append(rdns, pkix.RelativeDistinguishedNameSET{{Type: uidOID, Value: utf8(u.UID)}})
	}
	return asn1.Marshal(rdns)
}

// loadCA reads ca.crt and ca.key (PKCS#1 or PKCS#8) from the PKI folder the server created.
func loadCA(pkiDir string) (*x509.Certificate, any, error) {
	pair, err := tls.LoadX509KeyPair(filepath.Join(pkiDir, "ca.crt"), filepath.Join(pkiDir, "ca.key"))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the server's CA: %v", err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, nil, err
	}
	return cert, pair.PrivateKey, nil
}

// tokenWebhook is an authentication.k8s.io/v1 TokenReview webhook in the test process, which the server is
// configured to ask about bearer tokens it does not know itself.
type tokenWebhook struct {
	server *httptest.Server
	mu     sync.Mutex
	users  map[string]User
}

func startTokenWebhook(t testing.TB) *tokenWebhook {
	w := &tokenWebhook{users: map[string]User{}}
	w.server = httptest.NewTLSServer(http.HandlerFunc(w.review))
	t.Cleanup(w.server.Close)
	return w
}

// add registers a new random token for u and returns it.
func (w *tokenWebhook) add(u User) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	token := "kamtest-" + hex.EncodeToString(b)
	u.Groups = slices.Clone(u.Groups)
	w.mu.Lock()
	w.users[token] = u
	w.mu.Unlock()
	return token
}

// review answers a TokenReview: the user for a token add gave out, authenticated: false for any other.
func (w *tokenWebhook) review(rw http.ResponseWriter, r *http.Request) {
	var review authenticationv1.TokenReview
	if err := json.NewDecoder(r.Body).Decode(&review); err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	u, ok := w.users[review.Spec.Token]
	w.mu.Unlock()
	answer := authenticationv1.TokenReview{TypeMeta: metav1.TypeMeta{APIVersion: "authentication.k8s.io/v1", Kind: "TokenReview"}}
	if ok {
		answer.Status.Authenticated = true
		answer.Status.User = authenticationv1.UserInfo{Username: u.Name, UID: u.UID, Groups: u.Groups}
		if len(u.Extra) > 0 {
			answer.Status.User.Extra = map[string]authenticationv1.ExtraValue{}
			for k, v := range u.Extra {
				answer.Status.User.Extra[k] = slices.Clone(v)
			}
		}
	}
	rw.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(rw).Encode(&answer)
}

// writeKubeconfig writes the kubeconfig --authentication-token-webhook-config-file reads: the webhook's URL and
// the certificate httptest serves it with, embedded as the CA.
func (w *tokenWebhook) writeKubeconfig(path string) error {
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: w.server.Certificate().Raw})
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["kamtest"] = &clientcmdapi.Cluster{Server: w.server.URL, CertificateAuthorityData: ca}
	cfg.AuthInfos["kube-apiserver"] = &clientcmdapi.AuthInfo{}
	cfg.Contexts["webhook"] = &clientcmdapi.Context{Cluster: "kamtest", AuthInfo: "kube-apiserver"}
	cfg.CurrentContext = "webhook"
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}
