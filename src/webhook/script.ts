// The script a webhook receiver answers from: tokens to users (TokenReview), rules to decisions
// (SubjectAccessReview), and faults on purpose (a delay, an HTTP status). Rules are tried in order; the first that
// matches answers. Read from YAML or JSON, checked whole before the receiver starts: a wrong field names its path.
import { parse, YAMLError } from 'yaml';
import { isRecord } from '../apimachinery/json-value.js';

/** What a TokenReview of this token is answered with. */
export interface TokenRule {
  token: string;
  /** authenticated: true with this user. */
  user?: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  /** status.audiences of an authenticated answer. */
  audiences?: string[];
  /** authenticated: false with this status.error. */
  error?: string;
  fault?: Fault;
}

/** Which SubjectAccessReviews a rule answers ("*" or an absent field matches anything) and with what. */
export interface AuthorizeRule {
  user?: string;
  /** Matches when the reviewed user is in this group. */
  userGroup?: string;
  verb?: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** A non-resource path; a trailing * matches a prefix. */
  path?: string;
  decision: Decision;
  reason?: string;
  evaluationError?: string;
  fault?: Fault;
}

export type Decision = 'allow' | 'deny' | 'noOpinion';

/** Misbehaviour on purpose: wait before answering, and/or answer with this HTTP status instead of a review. */
export interface Fault {
  delayMs?: number;
  status?: number;
}

export interface WebhookScript {
  tokens: TokenRule[];
  authorize: AuthorizeRule[];
  /** The decision when no rule matches. Default noOpinion. */
  default: Decision;
}

/** A script that is not well formed: the path of the field (tokens[2].user.groups) and what is wrong. */
export class WebhookScriptError extends Error {}

const DECISIONS: readonly Decision[] = ['allow', 'deny', 'noOpinion'];
const TOKEN_FIELDS = ['token', 'user', 'audiences', 'error', 'fault'];
const AUTHORIZE_FIELDS = ['user', 'userGroup', 'verb', 'apiGroup', 'resource', 'subresource', 'namespace', 'name', 'path', 'decision', 'reason', 'evaluationError', 'fault'];

function fail(path: string, what: string): never {
  throw new WebhookScriptError(`${path}: ${what}`);
}

function onlyFields(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) fail(`${path}.${key}`, `unknown field (known: ${allowed.join(', ')})`);
}

function optString(obj: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`${path}.${key}`, 'must be a string');
  return v;
}

function strings(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) fail(path, 'must be a list of strings');
  return v as string[];
}

function fault(v: unknown, path: string): Fault | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) fail(path, 'must be a map with delayMs and/or status');
  onlyFields(v, ['delayMs', 'status'], path);
  const out: Fault = {};
  if (v.delayMs !== undefined) {
    if (typeof v.delayMs !== 'number' || !Number.isInteger(v.delayMs) || v.delayMs < 0 || v.delayMs > 600_000) fail(`${path}.delayMs`, 'must be a whole number of milliseconds from 0 to 600000');
    out.delayMs = v.delayMs;
  }
  if (v.status !== undefined) {
    if (typeof v.status !== 'number' || !Number.isInteger(v.status) || v.status < 100 || v.status > 599) fail(`${path}.status`, 'must be an HTTP status from 100 to 599');
    out.status = v.status;
  }
  return out;
}

function tokenRule(v: unknown, path: string): TokenRule {
  if (!isRecord(v)) fail(path, 'must be a map');
  onlyFields(v, TOKEN_FIELDS, path);
  const token = optString(v, 'token', path);
  if (token === undefined || token === '') fail(`${path}.token`, 'is required');
  const rule: TokenRule = { token };
  if (v.user !== undefined && v.error !== undefined) fail(path, 'has both user and error: a token either authenticates or not');
  if (v.user !== undefined) {
    if (!isRecord(v.user)) fail(`${path}.user`, 'must be a map with username, uid, groups, extra');
    onlyFields(v.user, ['username', 'uid', 'groups', 'extra'], `${path}.user`);
    const username = optString(v.user, 'username', `${path}.user`);
    if (username === undefined || username === '') fail(`${path}.user.username`, 'is required');
    const user: NonNullable<TokenRule['user']> = { username };
    const uid = optString(v.user, 'uid', `${path}.user`);
    if (uid !== undefined) user.uid = uid;
    if (v.user.groups !== undefined) user.groups = strings(v.user.groups, `${path}.user.groups`);
    if (v.user.extra !== undefined) {
      if (!isRecord(v.user.extra)) fail(`${path}.user.extra`, 'must be a map of lists of strings');
      user.extra = Object.fromEntries(Object.entries(v.user.extra).map(([k, values]) => [k, strings(values, `${path}.user.extra.${k}`)]));
    }
    rule.user = user;
  }
  if (v.audiences !== undefined) rule.audiences = strings(v.audiences, `${path}.audiences`);
  const error = optString(v, 'error', path);
  if (error !== undefined) rule.error = error;
  const f = fault(v.fault, `${path}.fault`);
  if (f) rule.fault = f;
  return rule;
}

function authorizeRule(v: unknown, path: string): AuthorizeRule {
  if (!isRecord(v)) fail(path, 'must be a map');
  onlyFields(v, AUTHORIZE_FIELDS, path);
  const decision = v.decision;
  if (typeof decision !== 'string' || !DECISIONS.includes(decision as Decision)) fail(`${path}.decision`, `must be one of ${DECISIONS.join(', ')}`);
  const rule: AuthorizeRule = { decision: decision as Decision };
  for (const key of ['user', 'userGroup', 'verb', 'apiGroup', 'resource', 'subresource', 'namespace', 'name', 'path', 'reason', 'evaluationError'] as const) {
    const s = optString(v, key, path);
    if (s !== undefined) rule[key] = s;
  }
  const f = fault(v.fault, `${path}.fault`);
  if (f) rule.fault = f;
  return rule;
}

/** Reads and checks a script (YAML or JSON text); throws a WebhookScriptError naming the field that is wrong. */
export function parseWebhookScript(text: string): WebhookScript {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new WebhookScriptError(err instanceof YAMLError ? err.message.split('\n')[0]! : String(err));
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isRecord(doc)) fail('script', 'must be a map with tokens, authorize and default');
  onlyFields(doc, ['tokens', 'authorize', 'default'], 'script');
  const tokens = doc.tokens === undefined ? [] : Array.isArray(doc.tokens) ? doc.tokens.map((t, i) => tokenRule(t, `tokens[${i}]`)) : fail('tokens', 'must be a list');
  const authorize = doc.authorize === undefined ? [] : Array.isArray(doc.authorize) ? doc.authorize.map((r, i) => authorizeRule(r, `authorize[${i}]`)) : fail('authorize', 'must be a list');
  const def = doc.default ?? 'noOpinion';
  if (typeof def !== 'string' || !DECISIONS.includes(def as Decision)) fail('default', `must be one of ${DECISIONS.join(', ')}`);
  return { tokens, authorize, default: def as Decision };
}
