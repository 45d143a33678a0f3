// Source: staging/src/k8s.io/apiserver/pkg/authorization/union/union.go.
import { aggregateMessage } from '../apimachinery/aggregate.js';
import type { Attributes, AuthorizationResult, Authorizer } from './types.js';

/**
 * The first allow or deny wins, with its own reason and error; when every authorizer has no opinion, their reasons
 * are joined with newlines and their errors aggregated.
 */
export function authorizerUnion(authorizers: readonly Authorizer[]): Authorizer {
  return {
    async authorize(attrs: Attributes): Promise<AuthorizationResult> {
      const reasons: string[] = [];
      const errors: string[] = [];
      for (const authorizer of authorizers) {
        const result = await authorizer.authorize(attrs);
        if (result.error !== undefined) errors.push(result.error);
        if (result.decision !== 'noOpinion') return result;
        if (result.reason !== '') reasons.push(result.reason);
      }
      return { decision: 'noOpinion', reason: reasons.join('\n'), ...(errors.length > 0 ? { error: aggregateMessage(errors) } : {}) };
    },
  };
}
