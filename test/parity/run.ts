// Runs scenarios against a server, reference or mock alike: the fixtures once, then each scenario's set-up,
// requests and clean-up, giving the snapshot the recorder writes and the replay compares.
import { createHash } from 'node:crypto';
import { bodyBytes, send, type Outgoing, type RawResponse } from './client.js';
import type { ReceivedReview } from '../../src/index.js';
import { readAuditEvents } from './audit-log.js';
import { normalizeAuditEvents, normalizeResponse, normalizeWebhookReviews, NormalizeScope, type RecordedResponse } from './normalize.js';
import { scenarioId, type Capture, type IdentityName, type JsonValue, type ParityRequest, type ParityVariant, type RequestBody, type Scenario, type UnrecordedRequest } from './scenario.js';
import { loadFixtures, type Credential, type ParitySetup } from './setup.js';
import type { VariantEnvironment } from './variants.js';

/** A running server and how to reach it as each identity. */
export interface ParityTarget {
  url: string;
  caPem: string;
  identities: Readonly<Record<IdentityName, Credential>>;
  /** the set-up's sa.key (PEM): scenarios sign tokens by hand with it (expired, not yet valid, legacy...) */
  serviceAccountKeyPem: string;
  /** the audit log the server writes (the `audit` variant): requests marked `audit` read their events from it */
  auditLogFile?: string;
  /** the reviews the `webhooks` variant's webhook received so far: each request's answer keeps those it caused */
  webhookReviews?: () => readonly ReceivedReview[];
}

/** A request as a snapshot shows it: enough to review what was asked, and to notice a scenario edited since recording. */
export interface RequestSummary {
  method: string;
  path: string;
  as: IdentityName;
  headers?: Readonly<Record<string, string | readonly string[]>>;
  body?: JsonValue;
}

/** One snapshot file: test/parity/snapshots/<group>/<name>.json. */
export interface Snapshot {
  scenario: string;
  description: string;
  /** the set-up variant, when not `default` */
  variant?: Exclude<ParityVariant, 'default'>;
  requests: { request: RequestSummary; response: RecordedResponse }[];
}

/** Bodies longer than this are summarised by length and digest in snapshots. */
const SUMMARY_LIMIT = 2000;

function summarizeBody(body: RequestBody): JsonValue {
  if ('repeat' in body) return { repeat: body.repeat, count: body.count };
  if ('json' in body) {
    const text = JSON.stringify(body.json);
    return text.length <= SUMMARY_LIMIT ? { json: body.json } : { jsonLength: text.length, sha256: createHash('sha256').update(text).digest('hex') };
  }
  const bytes = bodyBytes(body);
  if (bytes.length > SUMMARY_LIMIT) return { length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  return 'text' in body ? { text: body.text } : { bytes: body.bytes };
}

export function summarizeRequest(req: ParityRequest): RequestSummary {
  const out: RequestSummary = { method: req.method, path: req.path, as: req.as };
  if (req.headers !== undefined) out.headers = req.headers;
  if (req.body !== undefined) out.body = summarizeBody(req.body);
  return out;
}

function sendAs(target: ParityTarget, req: Outgoing & { as: IdentityName }): Promise<RawResponse> {
  return send(target.url, target.caPem, target.identities[req.as], req);
}

/** `{{name}}`: a value captured earlier in the scenario. */
const PLACEHOLDER = /\{\{([A-Za-z0-9_-]+)\}\}/g;

/** `text` with every `{{name}}` replaced by its captured value; a name not captured yet is the scenario's mistake. */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = vars.get(name);
    if (value === undefined) throw new Error(`{{${name}}} is used before any request captured it`);
    return value;
  });
}

function substituteJson(value: JsonValue, vars: ReadonlyMap<string, string>): JsonValue {
  if (typeof value === 'string') return substitute(value, vars);
  if (Array.isArray(value)) return value.map((v) => substituteJson(v, vars));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteJson(v, vars)]));
}

/** The request as sent: placeholders in the path, header values and JSON or text body replaced (bytes and repeats are sent as written). */
export function resolvePlaceholders<R extends Outgoing>(req: R, vars: ReadonlyMap<string, string>): R {
  const body = req.body === undefined ? undefined : 'json' in req.body ? { json: substituteJson(req.body.json, vars) } : 'text' in req.body ? { text: substitute(req.body.text, vars) } : req.body;
  const headers = req.headers === undefined ? undefined : Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, typeof v === 'string' ? substitute(v, vars) : v.map((one) => substitute(one, vars))]));
  return { ...req, path: substitute(req.path, vars), headers, body };
}

/** The value at a dot-separated path of a JSON value, if it is a string. */
function stringAt(value: JsonValue, path: string): string | undefined {
  let at: JsonValue | undefined = value;
  for (const key of path.split('.')) {
    at = at !== null && typeof at === 'object' && !Array.isArray(at) ? at[key] : undefined;
  }
  return typeof at === 'string' ? at : undefined;
}

/** Takes the request's captures from its answer into `vars`; returns what could not be captured. */
export function captureValues(captures: Readonly<Record<string, Capture>> | undefined, res: RawResponse, vars: Map<string, string>, serviceAccountKeyPem: string): string[] {
  if (captures === undefined) return [];
  let body: JsonValue | undefined;
  try {
    body = JSON.parse(res.body.toString('utf8')) as JsonValue;
  } catch {
    body = undefined;
  }
  const failures: string[] = [];
  for (const [name, capture] of Object.entries(captures)) {
    let value: string | undefined;
    try {
      value = body === undefined ? undefined : typeof capture === 'string' ? stringAt(body, capture) : capture(body, { vars: Object.fromEntries(vars), serviceAccountKeyPem });
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    if (value === undefined) failures.push(`${name}: ${typeof capture === 'string' ? `no string at ${capture}` : 'nothing computed'} in the ${res.status} answer`);
    else vars.set(name, value);
  }
  return failures;
}

function describeFailure(what: string, req: UnrecordedRequest, res: RawResponse): Error {
  return new Error(`${what} ${req.method} ${req.path} as ${req.as}: ${res.status} ${res.body.toString('utf8').slice(0, 500)}`);
}

/** Creates the RBAC fixtures as admin; every one must be created (201), on either server. */
export async function applyFixtures(target: ParityTarget): Promise<void> {
  for (const fixture of await loadFixtures()) {
    const req: UnrecordedRequest = { method: 'POST', path: fixture.path, as: 'admin', body: { json: fixture.object } };
    const res = await sendAs(target, req);
    if (res.status !== 201) throw describeFailure('fixture', req, res);
  }
}

/** The target of a server just started on the set-up and its variant, with the fixtures created; `stop` on failure. */
export async function targetWithFixtures(url: string, setup: ParitySetup, env: VariantEnvironment, stop: () => Promise<void>): Promise<ParityTarget> {
  const target: ParityTarget = {
    url,
    caPem: setup.caPem,
    identities: setup.identities,
    serviceAccountKeyPem: setup.pki.serviceAccountKey.privateKeyPem,
    ...(env.auditLogFile ? { auditLogFile: env.auditLogFile } : {}),
    ...(env.webhookReviews ? { webhookReviews: env.webhookReviews } : {}),
  };
  try {
    await applyFixtures(target);
  } catch (err) {
    await stop();
    throw err;
  }
  return target;
}

/**
 * Runs one scenario: set-up (must succeed, its captures too), the requests (normalised), clean-up (always,
 * statuses ignored). Captured values replace `{{name}}` in later requests. A capture of a recorded request that
 * fails leaves a marker in its place, so that a server answering differently shows as differences of the requests
 * after it; `strictCaptures` (the recorder: the reference must answer as the scenario expects) makes it an error.
 */
export async function runScenario(target: ParityTarget, group: string, scenario: Scenario, options: { strictCaptures?: boolean } = {}): Promise<Snapshot> {
  const requests: Snapshot['requests'] = [];
  const vars = new Map<string, string>();
  const id = scenarioId(group, scenario);
  // One scope for the scenario's answers: a UID keeps its number from one answer to the next.
  const scope = new NormalizeScope(target.serviceAccountKeyPem);
  try {
    for (const req of scenario.setup ?? []) {
      const res = await sendAs(target, resolvePlaceholders(req, vars));
      const ok = req.okStatuses ? req.okStatuses.includes(res.status) : res.status >= 200 && res.status < 300;
      if (!ok) throw describeFailure(`${id}: set-up`, req, res);
      const failed = captureValues(req.capture, res, vars, target.serviceAccountKeyPem);
      if (failed.length > 0) throw new Error(`${id}: set-up ${req.method} ${req.path}: could not capture ${failed.join('; ')}`);
    }
    for (const req of scenario.requests) {
      const reviewsBefore = target.webhookReviews?.().length ?? 0;
      const res = await sendAs(target, resolvePlaceholders(req, vars));
      const response = normalizeResponse(req, res, scope);
      // The server asks the webhook before it answers, retries included, so every review the request caused is in.
      if (target.webhookReviews) response.webhookReviews = normalizeWebhookReviews(target.webhookReviews().slice(reviewsBefore), scope);
      if (req.audit) response.audit = normalizeAuditEvents(await readAuditEvents(target, res), scope);
      requests.push({ request: summarizeRequest(req), response });
      const failed = captureValues(req.capture, res, vars, target.serviceAccountKeyPem);
      if (failed.length > 0 && options.strictCaptures) throw new Error(`${id}: ${req.method} ${req.path}: could not capture ${failed.join('; ')}`);
      for (const name of Object.keys(req.capture ?? {})) if (!vars.has(name)) vars.set(name, `<${name}-not-captured>`);
    }
  } finally {
    for (const req of scenario.cleanup ?? []) {
      // A clean-up whose placeholders were never captured (the set-up stopped early) has nothing to clean.
      let resolved: UnrecordedRequest;
      try {
        resolved = resolvePlaceholders(req, vars);
      } catch {
        continue;
      }
      await sendAs(target, resolved).catch(() => undefined);
    }
  }
  const variant = scenario.variant ?? 'default';
  return { scenario: scenarioId(group, scenario), description: scenario.description, ...(variant === 'default' ? {} : { variant }), requests };
}

/** A snapshot as written to disk: pretty-printed, keys in the order built here and sent by the server. */
export function renderSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}
