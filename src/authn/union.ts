// Source: staging/src/k8s.io/apiserver/pkg/authentication/request/union/union.go.
import type { AuthnRequest, AuthnResult, RequestAuthenticator } from './types.js';
import { aggregateMessage } from '../apimachinery/aggregate.js';

/**
 * Asks each in turn: the first that authenticates wins; failures are remembered and the next one is
 * asked (a bad client certificate does not hide a good token), unless failOnError ends the walk at the
 * first failure, which is how kube puts anonymous behind the real authenticators.
 */
export async function firstAuthenticated<T>(
  candidates: readonly T[],
  ask: (candidate: T) => Promise<AuthnResult>,
  failOnError = false,
): Promise<AuthnResult> {
  const reasons: string[] = [];
  for (const candidate of candidates) {
    const result = await ask(candidate);
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
    authenticate: (req: AuthnRequest) => firstAuthenticated(authenticators, (a) => a.authenticate(req), opts.failOnError),
  };
}
