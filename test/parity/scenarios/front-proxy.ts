// The authenticating proxy (issue 10), on the front-proxy variant: --requestheader-client-ca-file=front-proxy-ca.crt,
// --requestheader-allowed-names=front-proxy-client and kubeadm's X-Remote-* headers plus X-Remote-Uid.
// kube: staging/src/k8s.io/apiserver/pkg/authentication/request/headerrequest/requestheader.go,
// pkg/authentication/request/x509/x509.go (the proxy's certificate check), pkg/endpoints/filters/authentication.go
// (the headers removed once a request is authenticated), v0.34.4.
import type { ParityRequest, Scenario, ScenarioGroup } from '../scenario.js';
import { whoami } from './common.js';
import { PARITY_TOKENS } from '../setup.js';

const variant = 'front-proxy' as const;
const FRED = Object.freeze({
  'X-Remote-User': 'fred',
  'X-Remote-Uid': 'fred-uid',
  'X-Remote-Group': ['parity-readers', 'proxied'],
  'X-Remote-Extra-Scopes': ['openid', 'profile'],
  'X-Remote-Extra-Example.org%2Fteam': 'blue',
});
const SMUGGLED = Object.freeze({ 'X-Remote-User': 'admin', 'X-Remote-Group': 'system:masters', 'X-Remote-Uid': 'smuggled' });
const whoamiAs = (as: ParityRequest['as'], headers: ParityRequest['headers']): ParityRequest => ({ ...whoami(as), ...(headers ? { headers } : {}) });
const AUTH_CONFIGMAP = '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication';

const scenarios: Scenario[] = [
  {
    name: 'proxied-identity',
    description: 'the proxy certificate with identity headers: user, uid, two groups (two header lines), extra keys lower-cased and unescaped; RBAC sees the proxied user (fred reads pods through parity-readers, not secrets)',
    variant,
    requests: [
      whoamiAs('front-proxy', FRED),
      { method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'front-proxy', headers: FRED },
      { method: 'GET', path: '/api/v1/namespaces/parity/secrets', as: 'front-proxy', headers: FRED },
    ],
  },
  {
    name: 'proxy-without-headers',
    description: 'the proxy certificate without X-Remote-User (only a group), and with an empty one: the request header authenticator passes, and the certificate, not from --client-ca-file, is checked by the x509 authenticator',
    variant,
    requests: [whoamiAs('front-proxy', undefined), whoamiAs('front-proxy', { 'X-Remote-Group': 'system:masters' }), whoamiAs('front-proxy', { 'X-Remote-User': '' })],
  },
  {
    name: 'proxy-with-token',
    description: "the proxy certificate with a bearer token beside it: without X-Remote-User the token's user (alice); with it the proxied user, first in the chain",
    variant,
    requests: [
      whoamiAs('front-proxy', { Authorization: `Bearer ${PARITY_TOKENS.alice}` }),
      whoamiAs('front-proxy', { Authorization: `Bearer ${PARITY_TOKENS.alice}`, 'X-Remote-User': 'fred' }),
    ],
  },
  {
    name: 'header-forms',
    description: 'header names in lower case, a group value with a comma (not split), extra values with a comma and a space, a second user header line (the first wins)',
    variant,
    requests: [
      whoamiAs('front-proxy', { 'x-remote-user': 'fred', 'x-remote-group': 'a,b', 'x-remote-extra-scopes': 'openid, profile' }),
      whoamiAs('front-proxy', { 'X-Remote-User': ['first', 'second'] }),
    ],
  },
  {
    name: 'proxy-not-trusted',
    description: "identity headers on a certificate of the front-proxy CA whose name is not allowed, and on the allowed name from the cluster CA (then the x509 authenticator's user)",
    variant,
    requests: [whoamiAs('front-proxy-unlisted', FRED), whoamiAs('front-proxy-cluster-ca', FRED)],
  },
  {
    name: 'smuggled-headers',
    description: 'identity headers sent by clients that are not the proxy: a client certificate, a bearer token and anonymous each keep their own identity, and the headers do not reach authorization',
    variant,
    requests: [
      whoamiAs('jane', SMUGGLED),
      whoamiAs('alice', SMUGGLED),
      whoamiAs('anonymous', SMUGGLED),
      { method: 'GET', path: '/api/v1/namespaces/parity/secrets', as: 'jane', headers: SMUGGLED },
    ],
  },
  {
    name: 'authentication-configmap',
    description: "kube-system/extension-apiserver-authentication: the client CA and the requestheader settings kube publishes for aggregated API servers",
    variant,
    requests: [{ method: 'GET', path: AUTH_CONFIGMAP, as: 'admin' }],
  },
  {
    name: 'authentication-configmap-without-proxy',
    description: 'the same ConfigMap on a server without --requestheader-client-ca-file: the client CA only',
    requests: [{ method: 'GET', path: AUTH_CONFIGMAP, as: 'admin' }],
  },
];

export const frontProxy: ScenarioGroup = { group: 'front-proxy', scenarios };
