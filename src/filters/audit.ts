// Source: staging/src/k8s.io/apiserver/pkg/endpoints/filters/audit.go (WithAudit, auditResponseWriter) and
// authn_audit.go (WithFailedAuthenticationAudit), pkg/audit/request.go (LogRequestMetadata, LogImpersonatedUser,
// LogRequestPatch, LogResponseObject, maybeTruncateUserAgent), pkg/audit/context.go (ProcessEventStage), k8s.io/apiserver v0.34.4,
// and apimachinery's util/net SourceIPs. The long-running check is kube-apiserver's
// (BasicLongRunningRequestCheck: the verbs watch and proxy; the subresources attach, exec, proxy, log, portforward).
import type { ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { isRecord } from '../apimachinery/json-value.js';
import { plainInternalError, StatusError } from '../apimachinery/status.js';
import { nowMicros, RawRequestBody, type AuditEvent, type AuditResponseStatus, type AuditUserInfo } from '../audit/event.js';
import type { AuditSink } from '../audit/log-writer.js';
import type { AuditAttributes, AuditLevel, AuditStage, PolicyRuleEvaluator, RequestAuditConfig } from '../audit/policy.js';
import type { UserInfo } from '../authn/types.js';
import type { RequestInfo } from '../request/request-info.js';
import { requestInfoOf, type KubeContext, type KubeMiddleware } from '../request/state.js';

/** What auditing needs: the policy's evaluator and the sink events go to. */
export interface AuditConfig {
  evaluate: PolicyRuleEvaluator;
  sink: AuditSink;
}

const LEVEL_ORDER: readonly AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
const atLeast = (level: AuditLevel, min: AuditLevel): boolean => LEVEL_ORDER.indexOf(level) >= LEVEL_ORDER.indexOf(min);

const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);
const MAX_USER_AGENT_LENGTH = 1024;
const USER_AGENT_TRUNCATE_SUFFIX = '...TRUNCATED';

/** The annotations kube's WithAuthorization adds (endpoints/filters/authorization.go). */
export const DECISION_ANNOTATION = 'authorization.k8s.io/decision';
export const REASON_ANNOTATION = 'authorization.k8s.io/reason';

/** authorizer.Attributes as GetAuthorizerAttributes builds them: RequestInfo and the authenticated user (none for a 401). */
function attributesOf(ctx: KubeContext): AuditAttributes & RequestInfo {
  return { ...requestInfoOf(ctx), user: ctx.state.user };
}

/** utilnet.SourceIPs: X-Forwarded-For's addresses, X-Real-Ip unless already there, then the peer unless it is the last. */
export function sourceIPs(headers: KubeContext['headers'], remoteAddress: string | undefined): string[] {
  const ips: string[] = [];
  const header = (name: string): string => {
    const v = headers[name];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  for (const part of header('x-forwarded-for').split(',')) {
    const ip = canonicalIp(part.trim());
    if (ip !== undefined) ips.push(ip);
  }
  const real = canonicalIp(header('x-real-ip'));
  if (real !== undefined && !ips.includes(real)) ips.push(real);
  const remote = canonicalIp(remoteAddress ?? '');
  if (remote !== undefined && ips[ips.length - 1] !== remote) ips.push(remote);
  return ips;
}

/** net.IP.String(): an IPv4-mapped IPv6 address is printed as IPv4. */
function canonicalIp(s: string): string | undefined {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (v4) return v4[1];
  return isIP(s) !== 0 ? s.toLowerCase() : undefined;
}

function userInfoOf(u: UserInfo | undefined): AuditUserInfo {
  if (u === undefined) return {};
  return { username: u.name, uid: u.uid, groups: u.groups, extra: u.extra };
}

function userAgentOf(ctx: KubeContext): string {
  const ua = ctx.get('User-Agent');
  return ua.length > MAX_USER_AGENT_LENGTH ? ua.slice(0, MAX_USER_AGENT_LENGTH) + USER_AGENT_TRUNCATE_SUFFIX : ua;
}

/** LogRequestMetadata: the event as it stands when the request is received. */
function newEvent(ctx: KubeContext, rac: RequestAuditConfig, attrs: AuditAttributes & RequestInfo): AuditEvent {
  const received = nowMicros();
  return {
    level: rac.level,
    auditID: ctx.state.auditId ?? '',
    stage: 'RequestReceived',
    requestURI: ctx.originalUrl,
    verb: attrs.verb,
    user: userInfoOf(ctx.state.user),
    sourceIPs: sourceIPs(ctx.headers, ctx.req.socket.remoteAddress),
    userAgent: userAgentOf(ctx),
    ...(attrs.isResourceRequest
      ? { objectRef: { namespace: attrs.namespace, name: attrs.name, resource: attrs.resource, subresource: attrs.subresource, apiGroup: attrs.apiGroup, apiVersion: attrs.apiVersion } }
      : {}),
    requestReceivedMicros: received,
    stageMicros: received,
  };
}

/** One request's audit: the event, the stages it still has to write, and the sink. */
class RequestAudit {
  private done = false;
  private codeSeen = false;

  constructor(
    private readonly ctx: KubeContext,
    readonly event: AuditEvent,
    private readonly rac: RequestAuditConfig,
    private readonly sink: AuditSink,
  ) {}

  /** ProcessEventStage: writes the event at this stage unless the policy omits it; false if the sink failed. */
  process(stage: AuditStage): boolean {
    if (this.rac.omitStages.includes(stage)) return true;
    this.event.stage = stage;
    this.event.stageMicros = stage === 'RequestReceived' ? this.event.requestReceivedMicros : nowMicros();
    if (stage !== 'RequestReceived') this.refresh();
    return this.sink.write(this.event);
  }

  /** What later filters and the handler recorded: the impersonated user, authorization's and the handler's annotations, the request object. */
  private refresh(): void {
    const { state } = this.ctx;
    if (state.impersonator !== undefined && state.user !== undefined) this.event.impersonatedUser = userInfoOf(state.user);
    const annotations: Record<string, string> = { ...(state.auditAnnotations ?? {}) };
    if (state.authorization?.authorizerReason !== undefined) {
      annotations[DECISION_ANNOTATION] = state.authorization.decision;
      annotations[REASON_ANNOTATION] = state.authorization.authorizerReason;
    }
    if (Object.keys(annotations).length > 0) this.event.annotations = annotations;
    if (state.auditRequestObject !== undefined && !(state.auditRequestObject instanceof RawRequestBody)) this.objectRefFrom(state.auditRequestObject);
    if (state.auditRequestObject !== undefined && atLeast(this.rac.level, 'Request')) {
      // A patch is logged as the bytes sent (LogRequestPatch), managed fields and all; an object as decoded (LogRequestObject).
      const obj = state.auditRequestObject;
      this.event.requestObject = obj instanceof RawRequestBody ? obj : this.bodyOf(obj);
    }
  }

  /**
   * LogRequestObject, at every level from Metadata: what the URL did not name (a create's name, the body's
   * namespace, uid and resourceVersion) is taken from the decoded object's metadata.
   */
  private objectRefFrom(obj: unknown): void {
    const ref = this.event.objectRef;
    const metadata = isRecord(obj) && isRecord(obj.metadata) ? obj.metadata : undefined;
    if (ref === undefined || metadata === undefined) return;
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    if (!ref.namespace) ref.namespace = text(metadata.namespace);
    if (!ref.name) ref.name = text(metadata.name);
    if (!ref.uid) ref.uid = text(metadata.uid);
    if (!ref.resourceVersion) ref.resourceVersion = text(metadata.resourceVersion);
  }

  private bodyOf(obj: unknown): unknown {
    return this.rac.omitManagedFields ? withoutManagedFields(obj) : obj;
  }

  /** auditResponseWriter.processCode: the first status code sent; a long-running request writes ResponseStarted then. */
  code(code: number, longRunning: boolean): void {
    if (this.codeSeen) return;
    this.codeSeen = true;
    this.event.responseStatus = { ...(this.event.responseStatus ?? {}), code };
    if (longRunning) this.process('ResponseStarted');
  }

  /** LogResponseObject: a Status body's bounded fields, and at RequestResponse the body itself. */
  body(chunk: unknown, res: ServerResponse): void {
    if (chunk === undefined || chunk === null) return;
    const type = String(res.getHeader('Content-Type') ?? '');
    if (!type.startsWith('application/json')) return;
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    if (text === undefined) return;
    const isStatus = text.startsWith('{"kind":"Status"');
    if (!isStatus && !atLeast(this.rac.level, 'RequestResponse')) return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      return;
    }
    if (isStatus) {
      const s = obj as AuditResponseStatus;
      this.event.responseStatus = { status: s.status, message: s.message, reason: s.reason, details: s.details, code: s.code };
    }
    if (atLeast(this.rac.level, 'RequestResponse')) this.event.responseObject = this.bodyOf(obj);
  }

  /** The last stage: ResponseComplete, or Panic; only once. */
  finish(stage: 'ResponseComplete' | 'Panic'): void {
    if (this.done) return;
    this.done = true;
    this.process(stage);
  }
}

/** Hooks the response so the first header and the end are seen, whoever writes them (Koa, sendJson, a watch). */
function watchResponse(res: ServerResponse, audit: RequestAudit, longRunning: boolean, onEnd: () => void): void {
  const writeHead = res.writeHead;
  res.writeHead = function auditedWriteHead(this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>): ServerResponse {
    audit.code(args[0], longRunning);
    return writeHead.apply(this, args) as ServerResponse;
  } as ServerResponse['writeHead'];
  const end = res.end;
  res.end = function auditedEnd(this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (typeof args[0] !== 'function') audit.body(args[0], this);
    // The status line goes out with the first write; record its code before ResponseComplete.
    if (!this.headersSent) audit.code(this.statusCode, longRunning);
    onEnd();
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];
}

/** copyWithoutManagedFields (pkg/audit/request.go): metadata.managedFields dropped, from each item of a list too. */
export function withoutManagedFields(obj: unknown): unknown {
  if (!isRecord(obj)) return obj;
  const strip = (o: unknown): unknown => {
    if (!isRecord(o) || !isRecord(o.metadata) || !('managedFields' in o.metadata)) return o;
    const { managedFields: _dropped, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  if (Array.isArray(obj.items)) return { ...obj, items: obj.items.map(strip) };
  return strip(obj);
}

function isLongRunning(attrs: AuditAttributes): boolean {
  return LONG_RUNNING_VERBS.has(attrs.verb) || (attrs.isResourceRequest && LONG_RUNNING_SUBRESOURCES.has(attrs.subresource));
}

/**
 * WithAudit, placed after authentication as in kube: the policy is evaluated for the authenticated user;
 * RequestReceived is written at once, ResponseStarted when a long-running request sends its status,
 * ResponseComplete when the response ends (or the client goes away), Panic for an error that is not a Status.
 */
export function audit(c: AuditConfig): KubeMiddleware {
  return async (ctx, next) => {
    const attrs = attributesOf(ctx);
    const rac = c.evaluate(attrs);
    if (rac.level === 'None') return next();
    const ra = new RequestAudit(ctx, newEvent(ctx, rac, attrs), rac, c.sink);
    if (!ra.process('RequestReceived')) {
      // Only in --audit-log-mode blocking-strict (blocking reports every write as stored): responsewriters.InternalError,
      // http.Error's plain text with the URI %q-quoted and HTML characters replaced; the handler never runs.
      throw plainInternalError(ctx.originalUrl, 'failed to store audit event');
    }
    // Every audited request: the object also completes objectRef at the Metadata level (LogRequestObject).
    ctx.state.auditWantsRequestObject = true;
    const longRunning = isLongRunning(attrs);
    const complete = (): void => {
      // kube fakes a status for a connection that closed before any was sent.
      if (ra.event.responseStatus === undefined) {
        ra.event.responseStatus = { status: 'Success', message: 'Connection closed early', code: 200 };
        if (longRunning) ra.process('ResponseStarted');
      }
      ra.finish('ResponseComplete');
    };
    watchResponse(ctx.res, ra, longRunning, complete);
    ctx.res.once('close', complete);
    try {
      await next();
    } catch (err) {
      if (!(err instanceof StatusError)) {
        // WithAudit's recover: the Panic stage with a 500, then the panic goes on to WithPanicRecovery.
        ra.event.responseStatus = { status: 'Failure', reason: 'InternalError', message: `APIServer panic'd: ${(err as Error).message ?? String(err)}`, code: 500 };
        ra.finish('Panic');
      }
      throw err;
    }
  };
}

/**
 * WithFailedAuthenticationAudit, around authentication: a 401 is audited with no user and only the stage
 * ResponseStarted (kube writes no RequestReceived for it, and its handler chain ends there). The status is the
 * 401's own: kube's LogResponseObject replaces the "Authentication failed, attempted: ..." status before the header.
 */
export function failedAuthenticationAudit(c: AuditConfig): KubeMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof StatusError && err.code === 401 && ctx.state.user === undefined) {
        const attrs = attributesOf(ctx);
        const rac = c.evaluate(attrs);
        if (rac.level !== 'None') {
          const ra = new RequestAudit(ctx, newEvent(ctx, rac, attrs), rac, c.sink);
          // kube first sets the status message "Authentication failed, attempted: ..." (getAuthMethods), but the
          // 401's own Status replaces it (LogResponseObject runs before the header is written): that is what is logged.
          const s = err.status;
          ra.event.responseStatus = { status: s.status, message: s.message, reason: s.reason, details: s.details, code: s.code };
          watchResponse(ctx.res, ra, true, () => undefined);
        }
      }
      throw err;
    }
  };
}
