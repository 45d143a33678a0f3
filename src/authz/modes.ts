// Source: pkg/kubeapiserver/authorizer/modes/modes.go and config.go.
import { ConfigError } from '../util/errors.js';
import { alwaysAllow, alwaysDeny, privilegedGroups } from './always.js';
import type { Authorizer, RuleResolver, RulesResult } from './types.js';
import { authorizerUnion } from './union.js';
import { appendAll } from '../util/append-all.js';

/** The --authorization-mode values this build serves, in kube's spelling. */
export const AUTHORIZATION_MODES = ['AlwaysAllow', 'AlwaysDeny', 'RBAC'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

/** kube-apiserver's default is AlwaysAllow; ours is RBAC, since testing who may do what is the point. */
export const DEFAULT_AUTHORIZATION_MODE = 'RBAC';

/** Parses a comma list such as "RBAC,AlwaysDeny" into modes; unknown or repeated modes are an error, as in kube. */
export function parseAuthorizationModes(value: string): AuthorizationMode[] {
  const modes = value.split(',').map((m) => m.trim());
  const seen = new Set<string>();
  for (const mode of modes) {
    if (!(AUTHORIZATION_MODES as readonly string[]).includes(mode)) {
      throw new ConfigError({ file: '--authorization-mode', reason: `authorization-mode ${JSON.stringify(mode)} is not a valid mode (valid: ${AUTHORIZATION_MODES.join(', ')})`, code: 'FLAG_INVALID' });
    }
    if (seen.has(mode)) throw new ConfigError({ file: '--authorization-mode', reason: `authorization-mode ${JSON.stringify(mode)} has mode specified more than once`, code: 'FLAG_INVALID' });
    seen.add(mode);
  }
  return modes as AuthorizationMode[];
}

/** The authorizer chain kube-apiserver builds, and the union of its rule resolvers (for SelfSubjectRulesReview). */
export interface AuthorizerChain {
  authorizer: Authorizer;
  ruleResolver: RuleResolver;
}

/** Builds the chain: system:masters first, then each mode in order. RBAC needs its authorizer passed in. */
export function buildAuthorizer(modes: readonly AuthorizationMode[], parts: { rbac?: Authorizer & RuleResolver } = {}): AuthorizerChain {
  const resolvers: (Authorizer & RuleResolver)[] = modes.map((mode) => {
    switch (mode) {
      case 'AlwaysAllow':
        return alwaysAllow();
      case 'AlwaysDeny':
        return alwaysDeny();
      case 'RBAC':
        if (parts.rbac === undefined) throw new Error('RBAC mode needs the RBAC authorizer');
        return parts.rbac;
    }
  });
  return {
    authorizer: authorizerUnion([privilegedGroups(), ...resolvers]),
    ruleResolver: {
      // kube's unionAuthzRulesHandler: every resolver's rules, one after the other.
      rulesReviewFor(user, namespace): RulesResult {
        const out: RulesResult = { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] };
        for (const r of resolvers) {
          const part = r.rulesReviewFor(user, namespace);
          appendAll(out.resourceRules, part.resourceRules);
          appendAll(out.nonResourceRules, part.nonResourceRules);
          out.incomplete ||= part.incomplete;
          appendAll(out.errors, part.errors);
        }
        return out;
      },
    },
  };
}
