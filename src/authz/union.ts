// Source: staging/src/k8s.io/apiserver/pkg/authorization/union/union.go.
import type { Attributes, AuthorizationResult, Authorizer } from './types.js';

/** The first allow or deny wins; when every authorizer has no opinion, their reasons are joined with newlines. */
export function authorizerUnion(authorizers: readonly Authorizer[]): Authorizer {
  return {
    async authorize(attrs: Attributes): Promise<AuthorizationResult> {
      const reasons: string[] = [];
      for (const authorizer of authorizers) {
        const result = await authorizer.authorize(attrs);
        if (result.decision !== 'noOpinion') return result;
        if (result.reason !== '') reasons.push(result.reason);
      }
      return { decision: 'noOpinion', reason: reasons.join('\n') };
    },
  };
}
