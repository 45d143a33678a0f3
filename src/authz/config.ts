// The authorizer union assembled from --authorization-mode, as kube-apiserver's
// pkg/kubeapiserver/authorizer/config.go (Config.New) assembles it; the mode names are
// pkg/kubeapiserver/authorizer/modes/modes.go's, the flag's checks pkg/kubeapiserver/options/authorization.go's.
//
// Adding an authorizer (Webhook, Node, ABAC) is one new module in src/authz/, its name in AUTHORIZATION_MODES,
// what it needs in AuthorizationConfig, and one case in newAuthorizer.
import { aggregateMessage } from '../apimachinery/aggregate.js';
import { goQuote } from '../apimachinery/validation.js';
import { appendAll } from '../util/append-all.js';
import { ConfigError } from '../util/errors.js';
import { alwaysAllow, alwaysDeny, privilegedGroups } from './always.js';
import type { Authorizer, RuleResolver, RulesResult } from './types.js';
import { authorizerUnion } from './union.js';

/** The --authorization-mode values this build serves, in kube's spelling and in the order of kube's AuthorizationModeChoices. */
export const AUTHORIZATION_MODES = ['AlwaysAllow', 'AlwaysDeny', 'Webhook', 'RBAC'] as const;

/** One --authorization-mode value. */
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

/** kube-apiserver's default is AlwaysAllow; ours is RBAC, since testing who may do what is the point. */
export const DEFAULT_AUTHORIZATION_MODE: AuthorizationMode = 'RBAC';

/**
 * Parses a comma list such as "RBAC,AlwaysDeny" into modes, with the checks and messages of kube's
 * BuiltInAuthorizationOptions.Validate: every error found, joined as utilerrors.NewAggregate joins them.
 */
export function parseAuthorizationModes(value: string, files: { webhookConfigFile?: string } = {}): AuthorizationMode[] {
  // pflag's StringSlice: an empty value is no modes at all. Spaces around a name are forgiven (kube's are not).
  const modes = value === '' ? [] : value.split(',').map((m) => m.trim());
  const errors: string[] = [];
  const webhookFile = files.webhookConfigFile ?? '';
  if (modes.length === 0) errors.push('at least one authorization-mode must be passed');
  for (const mode of modes) {
    if (!isAuthorizationMode(mode)) errors.push(`authorization-mode ${goQuote(mode)} is not a valid mode`);
    if (mode === 'Webhook' && webhookFile === '') errors.push("authorization-mode Webhook's authorization config file not passed");
  }
  if (webhookFile !== '' && !modes.includes('Webhook')) errors.push('cannot specify --authorization-webhook-config-file without mode Webhook');
  if (new Set(modes).size !== modes.length) errors.push(`authorization-mode [${modes.map(goQuote).join(' ')}] has mode specified more than once`);
  if (errors.length > 0) throw new ConfigError({ file: '--authorization-mode', reason: aggregateMessage(errors), code: 'FLAG_INVALID' });
  return modes as AuthorizationMode[];
}

function isAuthorizationMode(mode: string): mode is AuthorizationMode {
  return (AUTHORIZATION_MODES as readonly string[]).includes(mode);
}

/** kube's authorizer.Config: the modes in order, and what each mode needs. */
export interface AuthorizationConfig {
  modes: readonly AuthorizationMode[];
  /** The RBAC authorizer over the live policy; required when modes include RBAC. */
  rbac?: Authorizer & RuleResolver;
  /** The webhook authorizer (--authorization-webhook-config-file); required when modes include Webhook. */
  webhook?: Authorizer & RuleResolver;
}

/** What Config.New gives the server: the authorizer union and the union of rule resolvers (SelfSubjectRulesReview). */
export interface AuthorizerUnion {
  authorizer: Authorizer;
  ruleResolver: RuleResolver;
}

/** kube's Config.New: system:masters first (as kube-apiserver's BuildAuthorizer always adds it), then each mode in order. */
export function newAuthorizer(config: AuthorizationConfig): AuthorizerUnion {
  const resolvers: (Authorizer & RuleResolver)[] = config.modes.map((mode) => {
    switch (mode) {
      case 'AlwaysAllow':
        return alwaysAllow();
      case 'AlwaysDeny':
        return alwaysDeny();
      case 'RBAC':
        if (config.rbac === undefined) throw new Error('RBAC mode needs the RBAC authorizer');
        return config.rbac;
      case 'Webhook':
        if (config.webhook === undefined) throw new Error('Webhook mode needs the webhook authorizer');
        return config.webhook;
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
