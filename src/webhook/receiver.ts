// A webhook for kube-apiserver's --authentication-token-webhook-config-file and --authorization-webhook-config-file
// (and kube-auth-mock's own), answering TokenReviews and SubjectAccessReviews from a script. Test suites use it to
// check both sides of the contract without writing a server: what kube-apiserver sends (every review is kept, in
// order) and what it makes of each answer (a user, an error, allow, deny, no opinion, a delay, a 500).
// The review shapes: k8s.io/api/authentication/v1 (and v1beta1) TokenReview, k8s.io/api/authorization/v1 (and
// v1beta1) SubjectAccessReview; an answer echoes the request's apiVersion, as kube's webhook clients expect.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { stringify } from 'yaml';
import { isRecord } from '../apimachinery/json-value.js';
import { createCa, issueServingCert } from '../pki/index.js';
import { parseWebhookScript, type AuthorizeRule, type Fault, type WebhookScript } from './script.js';
import { joinHostPort } from '../util/host-port.js';

export interface WebhookOptions {
  /** The script, as text (YAML or JSON) or parsed. */
  script: string | WebhookScript;
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  bindAddress?: string;
}

/** One review the webhook received and what it answered. */
export interface ReceivedReview {
  kind: string;
  apiVersion: string;
  /** The path it was POSTed to. */
  path: string;
  spec: Record<string, unknown>;
  /** The HTTP status and body answered. */
  answer: { status: number; body: unknown };
}

/** A running webhook. */
export interface KubeAuthMockWebhook {
  readonly url: string;
  /** The CA of its serving certificate (PEM): what a kubeconfig pointing at it must trust. */
  readonly caCert: string;
  /** Every review so far, in the order received. */
  readonly reviews: readonly ReceivedReview[];
  /** Calls fn with each review as it is answered; returns the function that stops calling it. */
  onReview(fn: (review: ReceivedReview) => void): () => void;
  /** A kubeconfig for --authentication-token-webhook-config-file (kube-apiserver's or kube-auth-mock's). */
  authenticationKubeconfig(): string;
  /** A kubeconfig for --authorization-webhook-config-file. */
  authorizationKubeconfig(): string;
  stop(): Promise<void>;
}

const TOKEN_REVIEW_VERSIONS = ['authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1'];
const ACCESS_REVIEW_VERSIONS = ['authorization.k8s.io/v1', 'authorization.k8s.io/v1beta1'];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A rule field matches when it is absent or "*", or equals the value; a path ending in "*" matches a prefix. */
function fieldMatches(rule: string | undefined, actual: string): boolean {
  return rule === undefined || rule === '*' || rule === actual;
}

function ruleMatches(rule: AuthorizeRule, spec: Record<string, unknown>): boolean {
  // v1 names the groups `groups`, v1beta1 `group`.
  const groupList = Array.isArray(spec.groups) ? spec.groups : Array.isArray(spec.group) ? spec.group : [];
  const groups = groupList.map(str);
  if (!fieldMatches(rule.user, str(spec.user))) return false;
  if (rule.userGroup !== undefined && rule.userGroup !== '*' && !groups.includes(rule.userGroup)) return false;
  const res = isRecord(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const non = isRecord(spec.nonResourceAttributes) ? spec.nonResourceAttributes : undefined;
  if (res !== undefined) {
    if (rule.path !== undefined) return false;
    return (
      fieldMatches(rule.verb, str(res.verb)) &&
      fieldMatches(rule.apiGroup, str(res.group)) &&
      fieldMatches(rule.resource, str(res.resource)) &&
      fieldMatches(rule.subresource, str(res.subresource)) &&
      fieldMatches(rule.namespace, str(res.namespace)) &&
      fieldMatches(rule.name, str(res.name))
    );
  }
  if (non !== undefined) {
    if ([rule.apiGroup, rule.resource, rule.subresource, rule.namespace, rule.name].some((v) => v !== undefined)) return false;
    const path = str(non.path);
    const pathOk = rule.path === undefined || rule.path === '*' || (rule.path.endsWith('*') ? path.startsWith(rule.path.slice(0, -1)) : rule.path === path);
    return pathOk && fieldMatches(rule.verb, str(non.verb));
  }
  return false;
}

/** The answer to one review: its HTTP status, body and the fault to play first. */
function answer(script: WebhookScript, review: Record<string, unknown>): { status: number; body: unknown; fault?: Fault } {
  const apiVersion = str(review.apiVersion);
  const kind = str(review.kind);
  const spec = isRecord(review.spec) ? review.spec : {};
  if (kind === 'TokenReview' && TOKEN_REVIEW_VERSIONS.includes(apiVersion)) {
    const rule = script.tokens.find((t) => t.token === str(spec.token));
    const status: Record<string, unknown> = {};
    if (rule?.user) {
      status.authenticated = true;
      status.user = { username: rule.user.username, ...(rule.user.uid ? { uid: rule.user.uid } : {}), ...(rule.user.groups ? { groups: rule.user.groups } : {}), ...(rule.user.extra ? { extra: rule.user.extra } : {}) };
      if (rule.audiences) status.audiences = rule.audiences;
    } else {
      status.authenticated = false;
      if (rule?.error) status.error = rule.error;
    }
    return { status: 200, body: { apiVersion, kind, status }, ...(rule?.fault ? { fault: rule.fault } : {}) };
  }
  if (kind === 'SubjectAccessReview' && ACCESS_REVIEW_VERSIONS.includes(apiVersion)) {
    const rule = script.authorize.find((r) => ruleMatches(r, spec));
    const decision = rule?.decision ?? script.default;
    const status: Record<string, unknown> = { allowed: decision === 'allow' };
    if (decision === 'deny') status.denied = true;
    if (rule?.reason) status.reason = rule.reason;
    if (rule?.evaluationError) status.evaluationError = rule.evaluationError;
    return { status: 200, body: { apiVersion, kind, status }, ...(rule?.fault ? { fault: rule.fault } : {}) };
  }
  return { status: 400, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `expected a TokenReview (${TOKEN_REVIEW_VERSIONS.join(', ')}) or a SubjectAccessReview (${ACCESS_REVIEW_VERSIONS.join(', ')}), got ${JSON.stringify(`${apiVersion} ${kind}`)}`, reason: 'BadRequest', code: 400 } };
}

/** Reads a request body, at most 3 MiB (kube-apiserver sends reviews far smaller). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 3 * 1024 * 1024) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function webhookKubeconfig(name: string, server: string, caPem: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: 'kube-apiserver', user: {} }],
    contexts: [{ name, context: { cluster: name, user: 'kube-apiserver' } }],
    'current-context': name,
  });
}

/** Starts a webhook on 127.0.0.1 with a serving certificate of its own CA; resolves once it listens. */
export async function startWebhook(options: WebhookOptions): Promise<KubeAuthMockWebhook> {
  const script = typeof options.script === 'string' ? parseWebhookScript(options.script) : options.script;
  const host = options.bindAddress ?? '127.0.0.1';
  const ca = await createCa({ commonName: 'kube-auth-mock-webhook-ca' });
  const serving = await issueServingCert(ca, { sans: [host, 'localhost'], commonName: 'kube-auth-mock-webhook' });
  const reviews: ReceivedReview[] = [];
  const listeners = new Set<(r: ReceivedReview) => void>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown): void => {
      if (res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method !== 'POST') return send(405, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'POST a TokenReview or a SubjectAccessReview', reason: 'MethodNotAllowed', code: 405 });
    const body = await readBody(req);
    let review: unknown;
    try {
      review = body === undefined ? undefined : JSON.parse(body.toString('utf8'));
    } catch {
      review = undefined;
    }
    if (!isRecord(review)) return send(400, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the body is not a JSON object', reason: 'BadRequest', code: 400 });
    const out = answer(script, review);
    const status = out.fault?.status ?? out.status;
    const responseBody = out.fault?.status !== undefined ? { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `fault: HTTP ${status} on purpose`, code: status } : out.body;
    const received: ReceivedReview = { kind: str(review.kind), apiVersion: str(review.apiVersion), path: (req.url ?? '/').split('?')[0]!, spec: isRecord(review.spec) ? review.spec : {}, answer: { status, body: responseBody } };
    reviews.push(received);
    for (const fn of listeners) fn(received);
    const delay = out.fault?.delayMs ?? 0;
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delay);
        timers.add(timer);
      });
    }
    send(status, responseBody);
  };

  const server: Server = createServer({ key: serving.keyPem, cert: serving.certPem, minVersion: 'TLSv1.2' }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `https://${joinHostPort(host, port)}`;
  return {
    url,
    caCert: ca.certPem,
    reviews,
    onReview(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    authenticationKubeconfig: () => webhookKubeconfig('token-webhook', `${url}/authenticate`, ca.certPem),
    authorizationKubeconfig: () => webhookKubeconfig('authorization-webhook', `${url}/authorize`, ca.certPem),
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
