// The set-up variant with anonymous auth off (--anonymous-auth=false; the mock: anonymousAuth false): a request
// without credentials is a 401 everywhere, even on the paths system:public-info-viewer opens to anonymous.
import type { Scenario, ScenarioGroup } from '../scenario.js';
import { PARITY_TOKENS } from '../setup.js';
import { whoami } from './common.js';

const off = (s: Omit<Scenario, 'variant'>): Scenario => ({ ...s, variant: 'anonymous-off' });

export const anonymousOff: ScenarioGroup = {
  group: 'anonymous-off',
  scenarios: [
    off({ name: 'no-credentials', description: 'no credential at all: 401, its body and headers', requests: [{ method: 'GET', path: '/api', as: 'anonymous' }] }),
    off({ name: 'no-credentials-exact-body', description: "the 401's exact text without credentials", requests: [{ method: 'GET', path: '/api/v1/namespaces', as: 'anonymous', rawText: true }] }),
    off({ name: 'bad-token', description: 'an unknown bearer token: 401', requests: [{ method: 'GET', path: '/api', as: 'bad-token' }] }),
    off({ name: 'empty-bearer', description: '`Authorization: Bearer` with no token', requests: [{ method: 'GET', path: '/api', as: 'anonymous', headers: { Authorization: 'Bearer ' } }] }),
    off({ name: 'healthz', description: '/healthz, /livez and /readyz without credentials: 401, unlike with anonymous on', requests: [
      { method: 'GET', path: '/healthz', as: 'anonymous' },
      { method: 'GET', path: '/livez', as: 'anonymous' },
      { method: 'GET', path: '/readyz', as: 'anonymous' },
    ] }),
    off({ name: 'version', description: '/version without credentials: 401', requests: [{ method: 'GET', path: '/version', as: 'anonymous' }] }),
    off({ name: 'discovery', description: '/api, /apis and a group version without credentials: 401', requests: [
      { method: 'GET', path: '/api', as: 'anonymous', headers: { Accept: 'application/json' } },
      { method: 'GET', path: '/apis', as: 'anonymous', headers: { Accept: 'application/json' } },
      { method: 'GET', path: '/apis/rbac.authorization.k8s.io/v1', as: 'anonymous' },
    ] }),
    off({ name: 'whoami-without-credentials', description: 'SelfSubjectReview without credentials: 401', requests: [whoami('anonymous')] }),
    off({ name: 'whoami-token', description: 'a good token works as with anonymous on', requests: [whoami('alice')] }),
    off({ name: 'whoami-certificate', description: 'a good client certificate works as with anonymous on', requests: [whoami('jane')] }),
    off({ name: 'basic-header', description: 'a Basic header is no credential to kube: 401 without anonymous', requests: [whoami('anonymous', 'v1', { Authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` })] }),
    off({ name: 'other-ca-certificate', description: 'a certificate from an untrusted CA: 401', requests: [{ method: 'GET', path: '/api', as: 'other-ca' }] }),
    off({ name: 'bearer-two-spaces', description: 'a good token after two spaces: 401 with a Warning', requests: [{ method: 'GET', path: '/api', as: 'anonymous', headers: { Authorization: `Bearer  ${PARITY_TOKENS.alice}` } }] }),
  ],
};
