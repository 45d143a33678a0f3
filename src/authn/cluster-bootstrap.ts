// Bootstrap token constants and helpers, ported from k8s.io/cluster-bootstrap v0.34.4: token/api/types.go (the
// constants), token/util/helpers.go (generation, validation of tokens, IDs, groups and usages), util/tokens/tokens.go
// (ParseToken) and util/secrets/secrets.go (GetData, GetExpiration, GetGroups, ParseName).
//
// Secret data arrive as the API carries them (base64); a value is handled as its bytes, held in a latin1 string, so
// comparisons are byte for byte as Go's string(val) comparisons are.
import { randomInt } from 'node:crypto';
import type { KubeObject } from '../apimachinery/object.js';
import { parseGoRfc3339 } from '../apimachinery/go-time.js';
import { compareGoStrings, goQuote } from '../apimachinery/validation.js';

/** BootstrapTokenSecretPrefix: a token's Secret is named bootstrap-token-<token id>. */
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
/** SecretTypeBootstrapToken. */
export const SECRET_TYPE_BOOTSTRAP_TOKEN = 'bootstrap.kubernetes.io/token';
/** The Secret data keys (BootstrapToken*Key). */
export const BOOTSTRAP_TOKEN_ID_KEY = 'token-id';
export const BOOTSTRAP_TOKEN_SECRET_KEY = 'token-secret';
export const BOOTSTRAP_TOKEN_EXPIRATION_KEY = 'expiration';
export const BOOTSTRAP_TOKEN_DESCRIPTION_KEY = 'description';
export const BOOTSTRAP_TOKEN_EXTRA_GROUPS_KEY = 'auth-extra-groups';
export const BOOTSTRAP_TOKEN_USAGE_PREFIX = 'usage-bootstrap-';
export const BOOTSTRAP_TOKEN_USAGE_SIGNING = 'usage-bootstrap-signing';
export const BOOTSTRAP_TOKEN_USAGE_AUTHENTICATION = 'usage-bootstrap-authentication';
/** BootstrapUserPrefix: the user a token authenticates as is system:bootstrap:<token id>. */
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
/** BootstrapDefaultGroup: every bootstrap token's group. */
export const BOOTSTRAP_DEFAULT_GROUP = 'system:bootstrappers';
/** The patterns as Go spells them (they appear in kube's messages); the RegExps below are their JavaScript forms. */
export const BOOTSTRAP_GROUP_PATTERN = '\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z';
export const BOOTSTRAP_TOKEN_PATTERN = '\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z';
export const BOOTSTRAP_TOKEN_ID_PATTERN = '\\A([a-z0-9]{6})\\z';
/** KnownTokenUsages. */
export const KNOWN_TOKEN_USAGES: readonly string[] = ['signing', 'authentication'];

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const TOKEN_ID_RE = /^([a-z0-9]{6})$/;
const GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
const SECRET_NAME_RE = /^bootstrap-token-([a-z0-9]{6})$/;
const TOKEN_CHARS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** tokens.ParseToken: the id and secret of "<id>.<secret>", or undefined when it is not of that form. */
export function parseToken(token: string): { id: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** util.IsValidBootstrapTokenID. */
export function isValidBootstrapTokenId(id: string): boolean {
  return TOKEN_ID_RE.test(id);
}

/** util.IsValidBootstrapToken. */
export function isValidBootstrapToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

/** util.BootstrapTokenSecretName. */
export function bootstrapTokenSecretName(id: string): string {
  return `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}`;
}

/** secrets.ParseName: the token id of a Secret named bootstrap-token-<id>. */
export function parseSecretName(name: string): string | undefined {
  return SECRET_NAME_RE.exec(name)?.[1];
}

/** util.GenerateBootstrapToken: 6 and 16 characters of [a-z0-9] from the CSPRNG. */
export function generateBootstrapToken(): string {
  const rand = (n: number): string => Array.from({ length: n }, () => TOKEN_CHARS[randomInt(TOKEN_CHARS.length)]).join('');
  return `${rand(6)}.${rand(16)}`;
}

/** util.ValidateBootstrapGroupName: undefined when valid, else kube's error text. */
export function validateBootstrapGroupName(name: string): string | undefined {
  return GROUP_RE.test(name) ? undefined : `bootstrap group ${goQuote(name)} is invalid (must match ${BOOTSTRAP_GROUP_PATTERN})`;
}

/** util.ValidateUsages: undefined when every usage is known, else kube's error text (unknown ones sorted, deduplicated). */
export function validateUsages(usages: readonly string[]): string | undefined {
  const invalid = [...new Set(usages.filter((u) => !KNOWN_TOKEN_USAGES.includes(u)))].sort(compareGoStrings);
  if (invalid.length === 0) return undefined;
  return `invalid bootstrap token usage string: ${invalid.join(',')}, valid usage options: ${KNOWN_TOKEN_USAGES.join(',')}`;
}

/** secrets.GetData: a data value's bytes (as a latin1 string), "" when the key or the data are absent. */
export function getData(secret: KubeObject, key: string): string {
  const data = secret.data;
  if (typeof data !== 'object' || data === null) return '';
  const value = (data as Record<string, unknown>)[key];
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('latin1') : '';
}

/**
 * secrets.GetExpiration: how long until the token expires (ms), and whether it has. No expiration: never expires;
 * one that does not parse as RFC 3339 counts as expired, as kube treats it.
 */
export function getExpiration(secret: KubeObject, now: number): { remainingMs: number; expired: boolean } {
  const expiration = getData(secret, BOOTSTRAP_TOKEN_EXPIRATION_KEY);
  if (expiration === '') return { remainingMs: 0, expired: false };
  const parsed = parseGoRfc3339(expiration);
  if ('error' in parsed) return { remainingMs: 0, expired: true };
  const remainingMs = parsed.ms - now;
  return remainingMs <= 0 ? { remainingMs: 0, expired: true } : { remainingMs, expired: false };
}

/** secrets.HasExpired. */
export function hasExpired(secret: KubeObject, now: number): boolean {
  return getExpiration(secret, now).expired;
}

/**
 * secrets.GetGroups: system:bootstrappers plus the auth-extra-groups, deduplicated and sorted (sets.String.List),
 * or the first invalid group's error.
 */
export function getGroups(secret: KubeObject): { groups: string[] } | { error: string } {
  const groups = new Set([BOOTSTRAP_DEFAULT_GROUP]);
  const extra = getData(secret, BOOTSTRAP_TOKEN_EXTRA_GROUPS_KEY);
  if (extra !== '') {
    for (const group of extra.split(',')) {
      const err = validateBootstrapGroupName(group);
      if (err !== undefined) return { error: err };
      groups.add(group);
    }
  }
  return { groups: [...groups].sort(compareGoStrings) };
}
