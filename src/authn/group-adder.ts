// Source: staging/src/k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go.
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS_USER, type AuthnResult, type RequestAuthenticator, type UserInfo } from './types.js';

/** Adds system:authenticated, except to anonymous and to users that already carry either catch-all group. */
export function addAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === ANONYMOUS_USER) return user;
  if (user.groups.includes(ALL_AUTHENTICATED) || user.groups.includes(ALL_UNAUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}

function withGroup(result: AuthnResult): AuthnResult {
  return result === null || !result.ok ? result : { ...result, user: addAuthenticatedGroup(result.user) };
}

/** kube's AuthenticatedGroupAdder over a request authenticator. */
export function authenticatedGroupAdder(inner: RequestAuthenticator): RequestAuthenticator {
  return { authenticate: async (req) => withGroup(await inner.authenticate(req)) };
}
