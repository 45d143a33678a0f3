// A webhook's kubeconfig read as kube-apiserver reads it: k8s.io/apiserver v0.34.4 pkg/util/webhook/webhook.go
// LoadKubeconfig (clientcmd with ExplicitPath and empty overrides, then ClientConfig()) and the REST client
// NewGenericWebhook builds from it. Each row: a kubeconfig document, and what kube does with it: the client config, or
// client-go's error line (k8s.io/client-go v0.34.4 tools/clientcmd client_config.go, validation.go, loader.go,
// api/v1/conversion.go; transport/transport.go, transport/round_trippers.go, rest/url_utils.go).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readClientConfig, type ClientConfig } from '../../../src/kubeconfig/read.js';
import { loadWebhookKubeconfig } from '../../../src/server/token-webhook.js';
import { createCa, issueClientCert, type IssuedCert } from '../../../src/pki/issue.js';
import { tempDir } from '../../helpers/clients.js';

// The example on https://kubernetes.io/docs/reference/access-authn-authz/authentication/#webhook-token-authentication
// (kubernetes/website content/en/docs/reference/access-authn-authz/authentication.md), copied unchanged.
const KUBE_DOCS_AUTHN_WEBHOOK_KUBECONFIG = `# Kubernetes API version
apiVersion: v1
# kind of the API object
kind: Config
# clusters refers to the remote service.
clusters:
  - name: name-of-remote-authn-service
    cluster:
      certificate-authority: /path/to/ca.pem         # CA for verifying the remote service.
      server: https://authn.example.com/authenticate # URL of remote service to query. 'https' recommended for production.

# users refers to the API server's webhook configuration.
users:
  - name: name-of-api-server
    user:
      client-certificate: /path/to/cert.pem # cert for the webhook plugin to use
      client-key: /path/to/key.pem          # key matching the cert

# kubeconfig files require a context. Provide one for the API server.
current-context: webhook
contexts:
- context:
    cluster: name-of-remote-authn-service
    user: name-of-api-server
  name: webhook
`;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let ca: IssuedCert;
let client: IssuedCert;
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const EMPTY = 'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable';

before(async () => {
  tmp = await tempDir('kubeconfig-read-');
  ca = await createCa({ commonName: 'webhook-ca' });
  client = await issueClientCert(ca, { user: 'kube-apiserver' });
  await tmp.write('ca.pem', ca.certPem);
  await tmp.write('cert.pem', client.certPem);
  await tmp.write('key.pem', client.keyPem);
  await tmp.write('token', 'from-the-file\n');
  await tmp.write('empty-token', '\n');
});
after(() => tmp.remove());

/** A kubeconfig with one cluster "c", one user "u" and the context "ctx" joining them; fields spliced in as YAML flow maps. */
function doc(cluster: string, user: string, extra = 'current-context: ctx\ncontexts: [{name: ctx, context: {cluster: c, user: u}}]'): string {
  return `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {${cluster}}}]\nusers: [{name: u, user: {${user}}}]\n${extra}\n`;
}

interface Row {
  name: string;
  yaml: (dir: string) => string;
  /** What readClientConfig gives (and, unless `webhook` says otherwise, loadWebhookKubeconfig), or the error after "FILE: ". */
  expect: (dir: string) => ClientConfig | string;
  /** loadWebhookKubeconfig's own error when the REST client cannot be built. */
  webhook?: (dir: string) => string;
}

const HTTPS = 'server: https://127.0.0.1:8443/authn';
const rows: Row[] = [
  {
    name: "kube's docs example, its /path/to/ files put in a real folder: accepted",
    yaml: (dir) => KUBE_DOCS_AUTHN_WEBHOOK_KUBECONFIG.replaceAll('/path/to/', `${dir}/`),
    expect: () => ({ server: 'https://authn.example.com/authenticate', caPem: ca.certPem, certPem: client.certPem, keyPem: client.keyPem }),
  },
  {
    name: "kube's docs example unchanged: its three files do not exist here, so kube refuses it too (user first, then cluster)",
    yaml: () => KUBE_DOCS_AUTHN_WEBHOOK_KUBECONFIG,
    expect: () =>
      'invalid configuration: [unable to read client-cert /path/to/cert.pem for name-of-api-server due to open /path/to/cert.pem: no such file or directory, ' +
      'unable to read client-key /path/to/key.pem for name-of-api-server due to open /path/to/key.pem: no such file or directory, ' +
      'unable to read certificate-authority /path/to/ca.pem for name-of-remote-authn-service due to open /path/to/ca.pem: no such file or directory]',
  },
  { name: 'an empty file: ErrEmptyConfig', yaml: () => '', expect: () => EMPTY },
  { name: 'no current-context: the lone cluster and user are not picked (getContext(""))', yaml: () => doc(HTTPS, 'token: t', 'contexts: [{name: ctx, context: {cluster: c, user: u}}]'), expect: () => EMPTY },
  {
    name: 'no current-context: entries without a name are the ones named "" and are used',
    yaml: () => 'clusters: [{cluster: {server: "http://127.0.0.1:9/x"}}]\ncontexts: [{context: {}}]\n',
    expect: () => ({ server: 'http://127.0.0.1:9/x' }),
  },
  { name: 'current-context naming no context', yaml: () => doc(HTTPS, '', 'current-context: nope'), expect: () => 'invalid configuration: [context was not found for specified context: nope, cluster has no server defined]' },
  { name: 'a context naming a user that does not exist: no credentials, accepted', yaml: () => doc(`${HTTPS}, certificate-authority-data: ${b64(ca.certPem)}`, '', 'current-context: ctx\ncontexts: [{name: ctx, context: {cluster: c, user: ghost}}]'), expect: () => ({ server: 'https://127.0.0.1:8443/authn', caPem: ca.certPem }) },
  { name: 'a context naming a cluster that does not exist: ErrEmptyConfig', yaml: () => doc(HTTPS, '', 'current-context: ctx\ncontexts: [{name: ctx, context: {cluster: ghost, user: u}}]'), expect: () => EMPTY },
  { name: 'a cluster without a server', yaml: () => doc('insecure-skip-tls-verify: true', ''), expect: () => 'invalid configuration: no server found for cluster "c"' },
  { name: 'an exec plugin: refused at start, kube-auth-mock cannot run it', yaml: () => doc(HTTPS, 'exec: {command: get-token, apiVersion: client.authentication.k8s.io/v1beta1}'), expect: () => 'user "u" uses an exec credential plugin ("get-token"), which kube-auth-mock does not support' },
  { name: "an exec plugin kube's validation refuses", yaml: () => doc(HTTPS, 'exec: {apiVersion: client.authentication.k8s.io/v1, env: [{value: x}]}'), expect: () => 'invalid configuration: [command must be specified for u to use exec authentication plugin, env variable name must be specified for u to use exec authentication plugin, interactiveMode must be specified for u to use exec authentication plugin]' },
  { name: 'an exec plugin with an http server: kube reads no credentials then', yaml: () => doc('server: http://127.0.0.1:8080/authn', 'exec: {command: get-token, apiVersion: client.authentication.k8s.io/v1beta1}'), expect: () => ({ server: 'http://127.0.0.1:8080/authn' }) },
  { name: 'an auth-provider: refused at start', yaml: () => doc(HTTPS, 'auth-provider: {name: oidc, config: {}}'), expect: () => 'user "u" uses auth-provider "oidc", which kube-auth-mock does not support' },
  { name: 'tokenFile, relative to the kubeconfig: read (trimmed) and kept for re-reading', yaml: () => doc(HTTPS, 'tokenFile: token'), expect: (dir) => ({ server: 'https://127.0.0.1:8443/authn', token: 'from-the-file', tokenFile: `${dir}/token` }) },
  { name: 'token and tokenFile: the token first, the file re-read later', yaml: () => doc(HTTPS, 'token: static, tokenFile: token'), expect: (dir) => ({ server: 'https://127.0.0.1:8443/authn', token: 'static', tokenFile: `${dir}/token` }) },
  { name: 'a tokenFile that does not exist: os.ReadFile\'s error', yaml: () => doc(HTTPS, 'tokenFile: no-token'), expect: (dir) => `open ${dir}/no-token: no such file or directory` },
  { name: 'an empty tokenFile: the file token source refuses it when the client is built', yaml: () => doc(HTTPS, 'tokenFile: empty-token'), expect: (dir) => ({ server: 'https://127.0.0.1:8443/authn', tokenFile: `${dir}/empty-token` }), webhook: (dir) => `read empty token from file "${dir}/empty-token"` },
  { name: 'tokenFile and a username: the transport refuses both', yaml: () => doc(HTTPS, 'tokenFile: token, username: u'), expect: (dir) => ({ server: 'https://127.0.0.1:8443/authn', token: 'from-the-file', tokenFile: `${dir}/token`, username: 'u', password: '' }), webhook: () => 'username/password or bearer token may be set, but not both' },
  { name: 'token and basic auth', yaml: () => doc(HTTPS, 'token: t, username: u, password: p'), expect: () => 'invalid configuration: more than one authentication method found for u; found [token basicAuth], only one is allowed' },
  { name: 'username and password', yaml: () => doc(HTTPS, 'username: alice, password: s3cret'), expect: () => ({ server: 'https://127.0.0.1:8443/authn', username: 'alice', password: 's3cret' }) },
  { name: 'insecure-skip-tls-verify', yaml: () => doc(`${HTTPS}, insecure-skip-tls-verify: true`, ''), expect: () => ({ server: 'https://127.0.0.1:8443/authn', insecureSkipTlsVerify: true }) },
  { name: 'insecure-skip-tls-verify with a CA: TLSConfigFor refuses it', yaml: () => doc(`${HTTPS}, insecure-skip-tls-verify: true, certificate-authority: ca.pem`, ''), expect: () => ({ server: 'https://127.0.0.1:8443/authn', caPem: ca.certPem, insecureSkipTlsVerify: true }), webhook: () => 'specifying a root certificates file with the insecure flag is not allowed' },
  { name: 'tls-server-name', yaml: () => doc(`${HTTPS}, tls-server-name: webhook.example`, ''), expect: () => ({ server: 'https://127.0.0.1:8443/authn', tlsServerName: 'webhook.example' }) },
  { name: 'a proxy-url, whatever the scheme of the server', yaml: () => doc('server: http://127.0.0.1:8080/authn, proxy-url: "socks5://proxy:1080"', ''), expect: () => ({ server: 'http://127.0.0.1:8080/authn', proxyUrl: 'socks5://proxy:1080' }) },
  { name: 'a proxy-url of another scheme', yaml: () => doc(`${HTTPS}, proxy-url: "ftp://proxy:21"`, ''), expect: () => 'invalid configuration: invalid \'proxy-url\' "ftp://proxy:21" for cluster "c": unsupported scheme "ftp", must be http, https, or socks5' },
  { name: 'a certificate-authority file that is missing', yaml: () => doc(`${HTTPS}, certificate-authority: missing-ca.pem`, ''), expect: (dir) => `invalid configuration: unable to read certificate-authority ${dir}/missing-ca.pem for c due to open ${dir}/missing-ca.pem: no such file or directory` },
  { name: 'certificate-authority and its data both', yaml: () => doc(`${HTTPS}, certificate-authority: ca.pem, certificate-authority-data: ${b64(ca.certPem)}`, ''), expect: () => 'invalid configuration: certificate-authority-data and certificate-authority are both specified for c. certificate-authority-data will override.' },
  { name: 'certificate-authority-data that is not a certificate', yaml: () => doc(`${HTTPS}, certificate-authority-data: ${b64('hello')}`, ''), expect: () => ({ server: 'https://127.0.0.1:8443/authn', caPem: 'hello' }), webhook: () => 'unable to load root certificates: unable to parse bytes as PEM block' },
  { name: 'certificate-authority-data that is not base64', yaml: () => doc(`${HTTPS}, certificate-authority-data: "not base64!"`, ''), expect: (dir) => `error loading config file "${dir}/k.kubeconfig": illegal base64 data at input byte 3` },
  { name: 'a client certificate without a key', yaml: () => doc(HTTPS, 'client-certificate: cert.pem'), expect: () => 'invalid configuration: client-key-data or client-key must be specified for u to use the clientCert authentication method.' },
  { name: 'a client key without a certificate: ignored', yaml: () => doc(HTTPS, 'client-key: key.pem'), expect: () => ({ server: 'https://127.0.0.1:8443/authn' }) },
  { name: 'a client certificate and key that do not match', yaml: () => doc(HTTPS, `client-certificate: cert.pem, client-key-data: ${b64(ca.keyPem)}`), expect: () => ({ server: 'https://127.0.0.1:8443/authn', certPem: client.certPem, keyPem: ca.keyPem }), webhook: () => 'tls: private key does not match public key' },
  { name: 'an http server: the CA and the user are not read', yaml: () => doc('server: http://127.0.0.1:8080/authn, certificate-authority: ca.pem', 'token: t'), expect: () => ({ server: 'http://127.0.0.1:8080/authn' }) },
  { name: 'a server without a scheme is http', yaml: () => doc('server: "127.0.0.1:8080"', 'token: t'), expect: () => ({ server: '127.0.0.1:8080' }) },
  { name: 'a server without a scheme but with a path', yaml: () => doc('server: "127.0.0.1:8080/authn"', ''), expect: () => ({ server: '127.0.0.1:8080/authn' }), webhook: () => 'host must be a URL or a host:port pair: "127.0.0.1:8080/authn"' },
  { name: 'impersonation, whatever the scheme', yaml: () => doc('server: http://127.0.0.1:8080/authn', 'as: caller, as-uid: u-1, as-groups: [a], as-user-extra: {team: [x]}'), expect: () => ({ server: 'http://127.0.0.1:8080/authn', impersonate: { user: 'caller', uid: 'u-1', groups: ['a'], extra: { team: ['x'] } } }) },
  { name: 'impersonated groups without a user', yaml: () => doc(HTTPS, 'as-groups: [a]'), expect: () => 'invalid configuration: requesting uid, groups or user-extra for u without impersonating a user' },
  { name: 'a server that is no URL at all (Go names the fault, e.g. invalid character " " in host name; we keep its prefix)', yaml: () => doc('server: "https://exa mple.com/authn"', ''), expect: () => ({ server: 'https://exa mple.com/authn' }), webhook: () => 'parse "https://exa mple.com/authn": invalid URL' },
  { name: 'a key given twice: the last one (non-strict YAML, as clientcmd decodes)', yaml: () => doc('server: "https://first", server: "https://second"', ''), expect: () => ({ server: 'https://second' }) },
  { name: 'a document of another kind', yaml: () => 'apiVersion: v1\nkind: Pod\n', expect: (dir) => `error loading config file "${dir}/k.kubeconfig": no kind "Pod" is registered for version "v1" in scheme "k8s.io/client-go/tools/clientcmd/api/latest/latest.go:50"` },
  { name: 'a Config of another version', yaml: () => 'apiVersion: v2\nkind: Config\n', expect: (dir) => `error loading config file "${dir}/k.kubeconfig": no kind "Config" is registered for version "v2" in scheme "k8s.io/client-go/tools/clientcmd/api/latest/latest.go:50"` },
  { name: 'two clusters of one name', yaml: () => 'clusters: [{name: c, cluster: {server: "https://a"}}, {name: c, cluster: {server: "https://b"}}]\n', expect: (dir) => `error loading config file "${dir}/k.kubeconfig": error converting *[]NamedCluster into *map[string]*api.Cluster: duplicate name "c" in list` },
  // sigs.k8s.io/yaml decodes with go-yaml v2, which applies YAML 1.1 merge keys.
  { name: 'a cluster made with a merge key (<<: *anchor)', yaml: () => 'base: &base {server: "https://127.0.0.1:8443/authn", tls-server-name: merged.example}\n' + doc('<<: *base, tls-server-name: own.example', ''), expect: () => ({ server: 'https://127.0.0.1:8443/authn', tlsServerName: 'own.example' }) },
  // encoding/json leaves a null element its zero value; loader.go's LocationOfOrigin keeps the cluster from being "empty".
  { name: 'a null list entry: a cluster named "" with nothing set', yaml: () => 'clusters: [null]\n', expect: () => 'invalid configuration: default cluster has no server defined' },
  { name: 'null entries beside real ones: an entry named ""', yaml: () => 'clusters: [null, {name: c, cluster: {server: "https://127.0.0.1:8443/authn"}}]\nusers: [null]\ncontexts: [null, {name: ctx, context: {cluster: c}}]\ncurrent-context: ctx\n', expect: () => ({ server: 'https://127.0.0.1:8443/authn' }) },
  { name: 'a null in as-groups and in an as-user-extra list: ""', yaml: () => doc(HTTPS, 'as: caller, as-groups: [null, a], as-user-extra: {team: [null]}'), expect: () => ({ server: 'https://127.0.0.1:8443/authn', impersonate: { user: 'caller', groups: ['', 'a'], extra: { team: [''] } } }) },
  // helpers.go parseProxyURL: url.Parse's error is "could not parse"; Go unescapes the user info, host, path and fragment.
  { name: 'a proxy-url with a bad %-escape in its user info', yaml: () => doc(`${HTTPS}, proxy-url: "http://us%zz:pw@127.0.0.1:3128"`, ''), expect: () => 'invalid configuration: invalid \'proxy-url\' "http://us%zz:pw@127.0.0.1:3128" for cluster "c": could not parse: http://us%zz:pw@127.0.0.1:3128' },
  { name: 'a proxy-url with a bad %-escape in its fragment', yaml: () => doc(`${HTTPS}, proxy-url: "socks5://127.0.0.1:1080#%g"`, ''), expect: () => 'invalid configuration: invalid \'proxy-url\' "socks5://127.0.0.1:1080#%g" for cluster "c": could not parse: socks5://127.0.0.1:1080#%g' },
  { name: 'a proxy-url with a control character: url.Parse refuses it (WHATWG would drop it)', yaml: () => doc(`${HTTPS}, proxy-url: "http://prox\\ty:3128"`, ''), expect: () => 'invalid configuration: invalid \'proxy-url\' "http://prox\\ty:3128" for cluster "c": could not parse: http://prox\ty:3128' },
  { name: 'a proxy-url with a bad %-escape in its query: url.Parse keeps the query raw', yaml: () => doc(`${HTTPS}, proxy-url: "http://127.0.0.1:3128/?a=%zz"`, ''), expect: () => ({ server: 'https://127.0.0.1:8443/authn', proxyUrl: 'http://127.0.0.1:3128/?a=%zz' }) },
  { name: 'a server that is a number', yaml: () => doc('server: 8443', ''), expect: (dir) => `error loading config file "${dir}/k.kubeconfig": json: cannot unmarshal number into Go struct field Cluster.clusters.cluster.server of type string` },
];

for (const row of rows) {
  test(row.name, async () => {
    const file = await tmp.write('k.kubeconfig', row.yaml(tmp.dir));
    const expected = row.expect(tmp.dir);
    if (typeof expected === 'string') {
      await assert.rejects(readClientConfig(file), { name: 'ConfigError', message: `${file}: ${expected}` });
      await assert.rejects(loadWebhookKubeconfig(file), { name: 'ConfigError', message: `${file}: ${expected}` });
      return;
    }
    assert.deepEqual(await readClientConfig(file), expected);
    if (row.webhook) await assert.rejects(loadWebhookKubeconfig(file), { name: 'ConfigError', message: `${file}: ${row.webhook(tmp.dir)}` });
    else assert.deepEqual(await loadWebhookKubeconfig(file), expected);
  });
}

test('a kubeconfig that is missing: the os.Stat error, naming the file', async () => {
  const file = `${tmp.dir}/nowhere.kubeconfig`;
  await assert.rejects(readClientConfig(file), { name: 'ConfigError', message: `${file}: stat ${file}: no such file or directory` });
});

// Go's os.ReadFile reads a device to its end; ours stops at 16 MiB (src/util/bounded-read.ts) with EFBIG in Go's words,
// so a kubeconfig that is, or names, /dev/zero is an error naming the file instead of gigabytes of memory.
test('a kubeconfig that is /dev/zero: a bounded read, "file too large"', async () => {
  await assert.rejects(readClientConfig('/dev/zero'), { name: 'ConfigError', message: '/dev/zero: error loading config file "/dev/zero": read /dev/zero: file too large' });
});

for (const [field, path] of [['certificate-authority', 'certificate-authority: /dev/zero'], ['client-certificate', 'client-certificate: /dev/zero, client-key: /dev/zero'], ['tokenFile', 'tokenFile: /dev/zero']] as const) {
  test(`a kubeconfig whose ${field} is /dev/zero: a bounded read, "file too large"`, async () => {
    const file = await tmp.write('zero.kubeconfig', field === 'certificate-authority' ? doc(`${HTTPS}, ${path}`, 'token: t') : doc(HTTPS, path));
    await assert.rejects(readClientConfig(file), (err: Error) => err.name === 'ConfigError' && err.message.includes('/dev/zero: file too large'));
  });
}
