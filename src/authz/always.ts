// Source: staging/src/k8s.io/apiserver/pkg/authorization/authorizerfactory/builtin.go.
import { SYSTEM_MASTERS } from '../authn/types.js';
import type { Authorizer, RuleResolver } from './types.js';

/** --authorization-mode=AlwaysAllow; its rules are everything, on every resource and path. */
export function alwaysAllow(): Authorizer & RuleResolver {
  return {
    authorize: async () => ({ decision: 'allow', reason: '' }),
    rulesReviewFor: () => ({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
      errors: [],
    }),
  };
}

/** --authorization-mode=AlwaysDeny: like kube, it has no opinion rather than denying, with this reason, and lists no rules. */
export function alwaysDeny(): Authorizer & RuleResolver {
  return {
    authorize: async () => ({ decision: 'noOpinion', reason: 'Everything is forbidden.' }),
    rulesReviewFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] }),
  };
}

/**
 * kube-apiserver always puts this first: members of system:masters may do anything, whatever the modes
 * (pkg/kubeapiserver/authorizer/config.go, NewPrivilegedGroups).
 */
export function privilegedGroups(groups: readonly string[] = [SYSTEM_MASTERS]): Authorizer {
  return {
    authorize: async (attrs) => (attrs.user.groups.some((g) => groups.includes(g)) ? { decision: 'allow', reason: '' } : { decision: 'noOpinion', reason: '' }),
  };
}
