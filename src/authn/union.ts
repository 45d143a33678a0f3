// Source: staging/src/k8s.io/apiserver/pkg/authentication/request/union/union.go.
import type { AuthnObserver, AuthnRequest, AuthnResult, RequestAuthenticator } from './types.js';
import { aggregateMessage } from '../apimachinery/aggregate.js';

/**
 * Asks each in turn: the first that authenticates wins; failures are remembered and the next one is
 * asked (a bad client certificate does not hide a good token), unless failOnError ends the walk at the
 * first failure, which is how kube puts anonymous behind the real authenticators.
 * An observer (the live view's) is told each named candidate's answer; without one nothing is allocated for it.
 */
export async function firstAuthenticated<T extends { readonly name?: string | undefined }>(
  candidates: readonly T[],
  ask: (candidate: T) => Promise<AuthnResult>,
  failOnError = false,
  observe?: AuthnObserver,
): Promise<AuthnResult> {
  const reasons: string[] = [];
  for (const candidate of candidates) {
    const result = await ask(candidate);
    if (observe !== undefined && candidate.name !== undefined) observe({ authenticator: candidate.name, result });
    if (result === null) continue;
    if (result.ok || failOnError) return result;
    reasons.push(...(result.errors ?? [result.reason]));
  }
  if (reasons.length === 0) return null;
  return reasons.length === 1 ? { ok: false, reason: reasons[0]! } : { ok: false, reason: aggregateMessage(reasons), errors: reasons };
}

/** kube's union.New / union.NewFailOnError over request authenticators. */
export function union(authenticators: readonly RequestAuthenticator[], opts: { failOnError?: boolean } = {}): RequestAuthenticator {
  return {
    authenticate: (req: AuthnRequest) => firstAuthenticated(authenticators, (a) => a.authenticate(req), opts.failOnError, req.observe),
  };
}
