// Source: staging/src/k8s.io/apiserver/pkg/authorization/authorizerfactory/builtin.go.
import { SYSTEM_MASTERS } from '../authn/types.js';
import type { Authorizer } from './types.js';

/** --authorization-mode=AlwaysAllow. */
export function alwaysAllow(): Authorizer {
  return { authorize: async () => ({ decision: 'allow', reason: '' }) };
}

/** --authorization-mode=AlwaysDeny: like kube, it has no opinion rather than denying, with this reason. */
export function alwaysDeny(): Authorizer {
  return { authorize: async () => ({ decision: 'noOpinion', reason: 'Everything is forbidden.' }) };
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
