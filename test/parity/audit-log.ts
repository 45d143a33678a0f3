// Reading a request's events back from the audit log of the `audit` variant. Both servers write the
// ResponseComplete event after the answer has gone out (kube's audit filter writes it when the handler returns), so
// the events are waited for: the log is read again until the request's final stage is in it.
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { RawResponse } from './client.js';
import type { ParityTarget } from './run.js';
import type { JsonValue } from './scenario.js';

/** The stages after which kube writes nothing more for a request. */
const FINAL_STAGES = new Set(['ResponseComplete', 'Panic']);
/** A request that failed authentication gets a single ResponseStarted event (authn_audit.go), nothing after it. */
const isFailedAuthentication = (e: { [key: string]: JsonValue }): boolean => e.stage === 'ResponseStarted' && (e.responseStatus as { code?: JsonValue } | undefined)?.code === 401;
const POLL_MS = 20;
/** A server that audits the request writes its final stage within milliseconds; this bounds a request that is never audited. */
const GIVE_UP_MS = 10_000;

function eventsOf(text: string, auditId: string): { [key: string]: JsonValue }[] {
  const events: { [key: string]: JsonValue }[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(auditId)) continue;
    let event: { [key: string]: JsonValue };
    try {
      event = JSON.parse(line) as { [key: string]: JsonValue };
    } catch {
      continue; // a line still being written: read again
    }
    if (event.auditID === auditId) events.push(event);
  }
  return events;
}

/** The events of the request that got `res`, every stage through the last one; throws when the log never has it. */
export async function readAuditEvents(target: ParityTarget, res: RawResponse): Promise<JsonValue[]> {
  if (target.auditLogFile === undefined) throw new Error('a request marked `audit` runs on the audit variant only');
  const auditId = res.headers['audit-id'];
  if (typeof auditId !== 'string') throw new Error(`the ${res.status} answer has no Audit-Id header`);
  const deadline = Date.now() + GIVE_UP_MS;
  for (;;) {
    const events = eventsOf(await readFile(target.auditLogFile, 'utf8'), auditId);
    if (events.some((e) => (typeof e.stage === 'string' && FINAL_STAGES.has(e.stage)) || isFailedAuthentication(e))) return events;
    if (Date.now() > deadline) throw new Error(`no final audit event for Audit-Id ${auditId} in ${target.auditLogFile} (found ${events.length} events)`);
    await delay(POLL_MS);
  }
}
