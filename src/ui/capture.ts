// The live view's filter: sits just inside status-errors (so it sees every StatusError a later filter or handler
// throws, with its Status message) and records each request once it is answered. Only in the chain with --ui:
// without it, no request pays anything for the live view.
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { StatusError } from '../apimachinery/status.js';
import type { AuthnStep } from '../authn/types.js';
import { SYSTEM_MASTERS } from '../authn/types.js';
import { renderExplanation, type Explanation } from '../authz/rbac/explain.js';
import type { Attributes } from '../authz/types.js';
import type { KubeContext, KubeMiddleware } from '../request/state.js';
import { summarizeCertificate, type CertificateSummary } from '../tls/certificate-summary.js';
import { presentedChain, tlsConnectionFacts } from '../tls/connection-facts.js';
import { boundedRequest, credentialsOfAuthorization, liveStep, scrub, type LiveAuthorization, type LiveCertificate, type LiveCredential, type LiveRequest, type LiveTls } from './event.js';
import type { LiveRecorder, RecordedRequest } from './recorder.js';

/** What the filter records into, and RBAC's explanation when RBAC is one of the modes. */
export interface CaptureOptions {
  recorder: LiveRecorder;
  /** RBAC's step-by-step decision for these attributes (src/authz/rbac/explain.ts explain over the live index). */
  explain?: (attrs: Attributes) => Promise<Explanation>;
}

/** The certificate fields a row shows. */
export function liveCertificate(s: CertificateSummary): LiveCertificate {
  return { subject: s.subject, issuer: s.issuer, serialNumber: s.serialNumber, notBefore: s.notBefore, notAfter: s.notAfter, sha256: s.sha256, isCA: s.isCA };
}

function isTls(socket: Socket): socket is TLSSocket {
  return (socket as Partial<TLSSocket>).encrypted === true;
}

/** What the live view records of one TLS connection. */
interface ConnectionRecord {
  tls: LiveTls;
  remote: string;
  chain: LiveCertificate[];
  chainPem: string[];
  server?: { cert: LiveCertificate; pem: string };
}

// A connection's facts and certificates do not change between its requests (TLS 1.3 has no renegotiation, and the
// server refuses a TLS 1.2 client's, SSL_OP_NO_RENEGOTIATION): they are read and summarized once per connection.
const connections = new WeakMap<TLSSocket, ConnectionRecord>();

function connectionOf(socket: TLSSocket): ConnectionRecord {
  let record = connections.get(socket);
  if (record === undefined) {
    record = tlsOf(socket);
    connections.set(socket, record);
  }
  return record;
}

/** The facts of the connection, read from connection-facts.ts; fields another module adds later are read when present. */
function tlsOf(socket: TLSSocket): ConnectionRecord {
  const facts = tlsConnectionFacts(socket);
  const extra = facts as unknown as { keyExchangeGroup?: unknown; verdict?: unknown };
  const tls: LiveTls = {
    protocol: facts.protocol,
    cipherSuite: facts.cipherSuite,
    alpn: facts.alpn,
    sni: facts.sni,
    resumed: facts.resumed,
    ...(typeof extra.keyExchangeGroup === 'string' ? { keyExchangeGroup: extra.keyExchangeGroup } : {}),
    ...(extra.verdict !== undefined ? { verdict: typeof extra.verdict === 'string' ? extra.verdict : JSON.stringify(extra.verdict) } : {}),
  };
  const chainPem = presentedChain(socket).map((c) => c.toString());
  const own = typeof socket.getX509Certificate === 'function' ? socket.getX509Certificate() : undefined;
  return { tls, remote: facts.remote, chain: facts.clientChain.map(liveCertificate), chainPem, ...(own ? { server: { cert: liveCertificate(summarizeCertificate(own)), pem: own.toString() } } : {}) };
}

/** The Impersonate-* headers as "User: jane", "Group: dev" (every value of a repeated one), read before the impersonation filter clears them. */
export function impersonationRequested(headers: Readonly<Record<string, readonly string[] | undefined>>): string[] {
  const out: string[] = [];
  for (const [name, values] of Object.entries(headers)) {
    if (!name.startsWith('impersonate-') || values === undefined) continue;
    const label = name === 'impersonate-user' ? 'User' : name === 'impersonate-group' ? 'Group' : name === 'impersonate-uid' ? 'UID' : `Extra ${name.slice('impersonate-extra-'.length)}`;
    for (const v of values) out.push(`${label}: ${v}`);
  }
  return out;
}

/** The attributes the authorization filter decided on (its attributesOf, without the selectors RBAC ignores). */
function attributesOf(ctx: KubeContext): Attributes | undefined {
  const info = ctx.state.requestInfo;
  const user = ctx.state.user;
  if (info === undefined || user === undefined) return undefined;
  return { user, verb: info.verb, isResourceRequest: info.isResourceRequest, path: info.path, namespace: info.namespace, apiGroup: info.apiGroup, apiVersion: info.apiVersion, resource: info.resource, subresource: info.subresource, name: info.name };
}

/** A rule as one line: verbs, groups, resources, names or paths. */
export function ruleText(rule: Explanation['bindings'][number]['rules'][number]['rule']): string {
  const list = (label: string, v: readonly string[] | undefined): string => (v && v.length > 0 ? `${label}=[${v.join(',')}]` : '');
  return [list('verbs', rule.verbs), list('apiGroups', rule.apiGroups?.map((g) => (g === '' ? '""' : g))), list('resources', rule.resources), list('resourceNames', rule.resourceNames), list('nonResourceURLs', rule.nonResourceURLs)].filter((s) => s !== '').join(' ');
}

/** The binding, role and rule behind an RBAC allow, when the explanation's allowing binding is the one the reason names. */
export function allowingRule(explanation: Explanation, authorizerReason: string | undefined): Pick<LiveAuthorization, 'binding' | 'role' | 'rule'> {
  const b = explanation.bindings.find((x) => x.allows);
  if (b === undefined || authorizerReason !== `RBAC: allowed by ${b.description}`) return {};
  const matched = b.rules.find((r) => r.matched);
  const binding = `${b.binding.kind} ${b.binding.namespace ? `${b.binding.namespace}/` : ''}${b.binding.name}`;
  return { binding, role: `${b.role.kind} ${b.role.name}`, ...(matched ? { rule: ruleText(matched.rule) } : {}) };
}

/** The explanation as the /debug/explain endpoint's text (src/api/explain.ts), with the privileged group's note. */
export function explanationText(explanation: Explanation, attrs: Attributes): string {
  let text = renderExplanation(explanation);
  if (attrs.user.groups.includes(SYSTEM_MASTERS)) text += `The user is in ${SYSTEM_MASTERS}, which kube-apiserver allows everything before any mode is asked.\n`;
  return text;
}

/** The most of one explanation a row keeps (a policy of thousands of bindings walks to megabytes of text). */
export const MAX_EXPLANATION_CHARS = 256 * 1024;

function clipExplanation(text: string): string {
  return text.length <= MAX_EXPLANATION_CHARS ? text : `${text.slice(0, MAX_EXPLANATION_CHARS)}\n... [${text.length - MAX_EXPLANATION_CHARS} more characters: ask kube-auth-mock's /debug/explain for the whole walk]\n`;
}

/** The live view's filter. */
export function liveViewCapture(opts: CaptureOptions): KubeMiddleware {
  const { recorder } = opts;
  return async (ctx, next) => {
    const id = recorder.allocateId();
    const time = new Date().toISOString();
    const steps: AuthnStep[] = [];
    ctx.state.authnObserver = (step) => void steps.push(step);
    const headers = ctx.req.headers;
    // Read now: authentication and impersonation clear their headers from the request.
    const authorizationHeader = headers.authorization;
    const requested = impersonationRequested(ctx.req.headersDistinct);
    const socket = ctx.req.socket;
    let thrown: unknown;
    try {
      await next();
    } catch (err) {
      thrown = err;
      throw err;
    } finally {
      try {
        finish();
      } catch {
        // Recording must never change the response.
      }
    }

    function finish(): void {
      const { credential, secrets } = credentialsOfAuthorization(authorizationHeader);
      const connection = isTls(socket) ? connectionOf(socket) : undefined;
      const credentials: LiveCredential[] = [];
      if (connection && connection.chain.length > 0) credentials.push({ kind: 'client-certificate', subject: connection.chain[0]!.subject });
      if (credential) credentials.push(credential);
      if (credentials.length === 0) credentials.push({ kind: 'none' });
      const state = ctx.state;
      const status = thrown === undefined ? ctx.status : thrown instanceof StatusError ? thrown.code : 500;
      const response: LiveRequest['response'] =
        thrown instanceof StatusError
          ? { status, message: scrub(thrown.status.message ?? '', secrets), ...(thrown.status.reason ? { reason: thrown.status.reason } : {}) }
          : thrown !== undefined
            ? { status, message: 'Internal Server Error' }
            : { status };
      const user = state.user;
      const attrs = attributesOf(ctx);
      // An impersonation refused leaves the requestor as the user and the decision about the impersonate check:
      // RBAC's explanation of the request itself would answer another question.
      const impersonationRefused = requested.length > 0 && state.impersonator === undefined && state.authorization?.decision === 'forbid';
      // RBAC is asked for every request it decided (an allow's row shows the binding and rule), but only a refusal's
      // step-by-step text is kept for the page to ask for: an allow needs none, and the walk of a large policy is
      // long text that 200 rows would otherwise hold.
      const explainable = opts.explain !== undefined && attrs !== undefined && state.authorization?.decision === 'forbid' && !impersonationRefused;
      const rbacDecided = opts.explain !== undefined && attrs !== undefined && state.authorization !== undefined && !impersonationRefused;
      const authorization: LiveAuthorization | undefined = state.authorization && {
        decision: state.authorization.decision,
        // The authorizer's own words where it gave some (RBAC's "allowed by ..."; empty when nothing allowed it); the
        // 403 message itself is the response's.
        reason: state.authorization.authorizerReason ?? state.authorization.reason,
        ...(state.authorization.decision === 'allow' && state.authorization.reason === '' && user?.groups.includes(SYSTEM_MASTERS) ? { decidedBy: SYSTEM_MASTERS } : {}),
        explainable,
      };
      const request: LiveRequest = {
        id,
        time,
        method: ctx.method,
        uri: ctx.originalUrl,
        ...(state.requestInfo ? { verb: state.requestInfo.verb } : {}),
        userAgent: ctx.get('User-Agent'),
        remote: connection ? connection.remote : `${socket.remoteAddress ?? ''}:${socket.remotePort ?? ''}`,
        tls: connection?.tls ?? null,
        clientChain: connection?.chain ?? [],
        ...(connection?.server ? { serverCertificate: connection.server.cert } : {}),
        credentials,
        authentication: {
          steps: steps.map((s) => liveStep(s, secrets)),
          ...(state.authenticator ? { authenticator: state.authenticator } : {}),
          ...(state.authenticationFailure !== undefined ? { failure: scrub(state.authenticationFailure, secrets) } : {}),
        },
        ...(user ? { user: { name: user.name, groups: [...user.groups], uid: user.uid, extra: user.extra } } : {}),
        ...(requested.length > 0 ? { impersonation: { requested, ...(state.impersonator ? { impersonator: state.impersonator.name } : {}) } } : {}),
        ...(authorization ? { authorization } : {}),
        response,
      };
      const entry: RecordedRequest = { request, clientChainPem: connection?.chainPem ?? [], ...(connection?.server ? { serverCertificatePem: connection.server.pem } : {}) };
      // Cut to size when kept, after the rule is added: one request of 1 MiB of headers is one row of at most
      // MAX_EVENT_BYTES, in the ring and on every page's stream.
      const keep = (): void => {
        try {
          entry.request = boundedRequest(request);
          recorder.record(entry);
        } catch {
          // Recording must never end the server: this may run outside the request, where a throw is unhandled.
        }
      };
      if (!rbacDecided || opts.explain === undefined || attrs === undefined) {
        keep();
        return;
      }
      // RBAC's walk is made once, right after the response is written (the policy may change later), and the row goes
      // out with its rule. Not now: this runs before the response is sent, and the client must not wait for it.
      const explainer = opts.explain;
      const explained = new Promise<void>((resolve) => setImmediate(resolve)).then(() => explainer(attrs));
      // Neither promise may reject: nothing awaits them until a page asks, and an unhandled rejection ends node.
      if (explainable) {
        entry.explanation = explained
          .then((e) => clipExplanation(explanationText(e, attrs)))
          .catch((err: unknown) => `RBAC could not explain this request: ${err instanceof Error ? err.message : String(err)}\n`);
      }
      void explained.then(
        (e) => {
          if (request.authorization?.decision === 'allow') Object.assign(request.authorization, allowingRule(e, state.authorization?.authorizerReason));
        },
        () => undefined,
      )
        .catch(() => undefined)
        .finally(keep);
    }
  };
}
