// Authentication: each credential kind good and bad, anonymous, the 401's body and headers, TokenReview,
// SelfSubjectReview at each version.
import { PARITY_TOKENS } from '../setup.js';
import type { ScenarioGroup } from '../scenario.js';
import { TOKEN_REVIEW, typed, whoami } from './common.js';

const tokenReview = (token: string) => typed('authentication.k8s.io/v1', 'TokenReview', { spec: { token } });

export const authentication: ScenarioGroup = {
  group: 'authentication',
  scenarios: [
    { name: 'admin-certificate-whoami', description: 'a system:masters client certificate from the cluster CA: who it is', requests: [whoami('admin')] },
    { name: 'certificate-user-whoami', description: 'a client certificate CN=jane O=parity-readers: user, groups and the credential-id extra', requests: [whoami('jane')] },
    { name: 'token-user-whoami', description: 'a static token: user, uid and groups from the token file', requests: [whoami('alice')] },
    { name: 'token-user-without-groups-whoami', description: 'a static token with no groups in the file', requests: [whoami('bob')] },
    { name: 'unknown-token', description: 'a bearer token no one knows: 401 and its body', requests: [{ method: 'GET', path: '/api', as: 'bad-token' }] },
    { name: 'unknown-token-exact-body', description: "the 401's exact text, spacing included", requests: [{ method: 'GET', path: '/api/v1/namespaces', as: 'bad-token', rawText: true }] },
    { name: 'unknown-token-curl-pretty', description: 'a 401 to curl is pretty-printed', requests: [{ method: 'GET', path: '/api', as: 'bad-token', headers: { 'User-Agent': 'curl/8.5.0' }, rawText: true }] },
    { name: 'other-ca-certificate', description: 'a system:masters certificate from a CA the server does not trust: 401', requests: [{ method: 'GET', path: '/api', as: 'other-ca' }] },
    { name: 'expired-certificate', description: 'an expired client certificate from the cluster CA: 401', requests: [{ method: 'GET', path: '/api', as: 'expired-cert' }] },
    { name: 'server-usage-certificate', description: 'a client certificate whose extended key usage is serverAuth only: 401', requests: [{ method: 'GET', path: '/api', as: 'server-usage-cert' }] },
    {
      name: 'anonymous',
      description: 'no credential: system:anonymous may read /version and /healthz, not /api, and cannot ask who it is',
      requests: [
        { method: 'GET', path: '/version', as: 'anonymous', shapeOnly: true },
        { method: 'GET', path: '/healthz', as: 'anonymous' },
        { method: 'GET', path: '/api', as: 'anonymous' },
        whoami('anonymous'),
      ],
    },
    { name: 'empty-bearer', description: '`Authorization: Bearer` with no token', requests: [{ method: 'GET', path: '/api', as: 'anonymous', headers: { Authorization: 'Bearer ' } }] },
    { name: 'bearer-two-spaces', description: 'a good token after two spaces: 401 with a Warning', requests: [{ method: 'GET', path: '/api', as: 'anonymous', headers: { Authorization: `Bearer  ${PARITY_TOKENS.alice}` } }] },
    { name: 'bearer-lowercase-scheme', description: '`bearer` in lower case is still a bearer token', requests: [whoami('anonymous', 'v1', { Authorization: `bearer ${PARITY_TOKENS.alice}` })] },
    { name: 'basic-auth', description: 'kube-apiserver has no basic auth since 1.19: a Basic header is no credential', requests: [whoami('anonymous', 'v1', { Authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` })] },
    { name: 'unknown-scheme', description: 'an Authorization header of another scheme is no credential', requests: [{ method: 'GET', path: '/api', as: 'anonymous', headers: { Authorization: 'Negotiate abc' } }] },
    { name: 'token-and-other-ca-certificate', description: 'a good token alongside a certificate from an untrusted CA', requests: [whoami('other-ca', 'v1', { Authorization: `Bearer ${PARITY_TOKENS.alice}` })] },
    { name: 'token-review-valid', description: "TokenReview of a static token: authenticated, the user, the server's audiences", requests: [{ method: 'POST', path: TOKEN_REVIEW, as: 'admin', body: tokenReview(PARITY_TOKENS.alice) }] },
    { name: 'token-review-unknown', description: 'TokenReview of an unknown token: not authenticated, and the error', requests: [{ method: 'POST', path: TOKEN_REVIEW, as: 'admin', body: tokenReview(PARITY_TOKENS.unknown) }] },
    { name: 'token-review-empty', description: 'TokenReview without a token', requests: [{ method: 'POST', path: TOKEN_REVIEW, as: 'admin', body: tokenReview('') }] },
    { name: 'token-review-forbidden', description: 'TokenReview by a user without the create verb on tokenreviews', requests: [{ method: 'POST', path: TOKEN_REVIEW, as: 'alice', body: tokenReview(PARITY_TOKENS.bob) }] },
    { name: 'whoami-v1beta1', description: 'SelfSubjectReview at v1beta1', requests: [whoami('alice', 'v1beta1')] },
    { name: 'whoami-v1alpha1', description: 'SelfSubjectReview at v1alpha1 (kubectl falls back to it)', requests: [whoami('alice', 'v1alpha1')] },
    { name: 'whoami-get', description: 'SelfSubjectReview is create-only: GET on the collection', requests: [{ method: 'GET', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', as: 'alice' }] },
  ],
};
