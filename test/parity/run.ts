// Runs scenarios against a server, reference or mock alike: the fixtures once, then each scenario's set-up,
// requests and clean-up, giving the snapshot the recorder writes and the replay compares.
import { createHash } from 'node:crypto';
import { bodyBytes, send, type Outgoing, type RawResponse } from './client.js';
import { normalizeResponse, type RecordedResponse } from './normalize.js';
import { scenarioId, type IdentityName, type JsonValue, type ParityRequest, type ParityVariant, type RequestBody, type Scenario, type UnrecordedRequest } from './scenario.js';
import { loadFixtures, type Credential } from './setup.js';

/** A running server and how to reach it as each identity. */
export interface ParityTarget {
  url: string;
  caPem: string;
  identities: Readonly<Record<IdentityName, Credential>>;
}

/** A request as a snapshot shows it: enough to review what was asked, and to notice a scenario edited since recording. */
export interface RequestSummary {
  method: string;
  path: string;
  as: IdentityName;
  headers?: Readonly<Record<string, string>>;
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

/** Runs one scenario: set-up (must succeed), the requests (normalised), clean-up (always, statuses ignored). */
export async function runScenario(target: ParityTarget, group: string, scenario: Scenario): Promise<Snapshot> {
  const requests: Snapshot['requests'] = [];
  try {
    for (const req of scenario.setup ?? []) {
      const res = await sendAs(target, req);
      const ok = req.okStatuses ? req.okStatuses.includes(res.status) : res.status >= 200 && res.status < 300;
      if (!ok) throw describeFailure(`${scenarioId(group, scenario)}: set-up`, req, res);
    }
    for (const req of scenario.requests) {
      requests.push({ request: summarizeRequest(req), response: normalizeResponse(req, await sendAs(target, req)) });
    }
  } finally {
    for (const req of scenario.cleanup ?? []) await sendAs(target, req).catch(() => undefined);
  }
  const variant = scenario.variant ?? 'default';
  return { scenario: scenarioId(group, scenario), description: scenario.description, ...(variant === 'default' ? {} : { variant }), requests };
}

/** A snapshot as written to disk: pretty-printed, keys in the order built here and sent by the server. */
export function renderSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}
