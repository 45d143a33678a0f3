// Source: pkg/kubeapiserver/authorizer/modes/modes.go and config.go.
import { ConfigError } from '../errors.js';
import { alwaysAllow, alwaysDeny, privilegedGroups } from './always.js';
import type { Authorizer } from './types.js';
import { authorizerUnion } from './union.js';

/** The --authorization-mode values this build serves, in kube's spelling. */
export const AUTHORIZATION_MODES = ['AlwaysAllow', 'AlwaysDeny'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

/** Parses a comma list such as "AlwaysAllow" into modes; unknown or repeated modes are an error, as in kube. */
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

/** The authorizer chain kube-apiserver builds: system:masters first, then each mode in order. */
export function buildAuthorizer(modes: readonly AuthorizationMode[]): Authorizer {
  const byMode: Record<AuthorizationMode, () => Authorizer> = { AlwaysAllow: alwaysAllow, AlwaysDeny: alwaysDeny };
  return authorizerUnion([privilegedGroups(), ...modes.map((m) => byMode[m]())]);
}
