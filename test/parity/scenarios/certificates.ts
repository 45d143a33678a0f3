// Client certificates beyond the plain ones of authentication.ts: intermediate CA chains (with and without the
// intermediate), a path-length violation, a subject with no O, several O's, system:masters from another CA.
import type { ScenarioGroup } from '../scenario.js';
import { whoami } from './common.js';

export const certificates: ScenarioGroup = {
  group: 'certificates',
  scenarios: [
    { name: 'intermediate-with-chain', description: 'a leaf signed by an intermediate of the cluster CA, sent with the intermediate: who it is', requests: [whoami('intermediate-chain')] },
    { name: 'intermediate-without-chain', description: 'the same leaf sent without its intermediate: the chain cannot be built', requests: [whoami('intermediate-leaf')] },
    { name: 'intermediate-with-chain-authorized', description: 'the chained leaf in group parity-readers lists pods', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'intermediate-chain' }] },
    { name: 'path-length-violation', description: 'a leaf below a CA under an intermediate of pathLenConstraint 0, whole chain sent: 401', requests: [whoami('path-length-chain')] },
    { name: 'cn-without-o', description: 'CN=carol and no O: a user in no group but system:authenticated', requests: [whoami('cn-only')] },
    { name: 'cn-without-o-forbidden', description: 'carol may not list pods: the 403 names her', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'cn-only' }] },
    { name: 'several-o', description: 'three O values: three groups, in order', requests: [whoami('many-groups')] },
    { name: 'several-o-authorized', description: 'one of the O values (parity-readers) is bound: dave lists pods', requests: [{ method: 'GET', path: '/api/v1/namespaces/parity/pods', as: 'many-groups' }] },
    { name: 'other-ca-masters-whoami', description: 'O=system:masters from an untrusted CA: SelfSubjectReview is 401', requests: [whoami('other-ca')] },
    { name: 'other-ca-masters-write', description: 'O=system:masters from an untrusted CA: a write is 401', requests: [{ method: 'DELETE', path: '/api/v1/namespaces/parity/configmaps/parity-settings', as: 'other-ca' }] },
  ],
};
