// A webhook client as kube-apiserver builds one from a kubeconfig, for the token authenticator (and later the
// authorizer). Sources (k8s.io/apiserver v0.34.4, k8s.io/client-go v0.34.4, k8s.io/apimachinery v0.34.4):
//   apiserver pkg/util/webhook/webhook.go      LoadKubeconfig (30 s timeout), WithExponentialBackoff, DefaultShouldRetry,
//                                              DefaultRetryBackoffWithInitialDelay
//   client-go rest/request.go                  transformResponse, newUnstructuredResponseError, isTextResponse,
//                                              retryAfterSeconds; rest/with_retry.go IsNextRetry/checkWait (Retry-After)
//   apimachinery pkg/api/errors/errors.go      NewGenericServerResponse, SuggestsClientDelay
//   apimachinery pkg/util/wait/backoff.go      ExponentialBackoffWithContext, Backoff.Step, Jitter
// The kubeconfig itself is read by src/kubeconfig (readClientConfig, a layer beside this one): callers pass its result.
import { readFileBoundedSync } from '../../util/bounded-read.js';
import { isIP, type Socket } from 'node:net';
import { posix } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { goQuote } from '../../apimachinery/validation.js';
import { connectTunnel, dialProxy, proxyAuthorization, ProxyError, proxyHostPort, socksTunnel } from './proxy.js';
import { joinHostPort } from '../../util/host-port.js';

/**
 * What the client needs of a kubeconfig's current context (client-go's rest.Config as clientcmd fills it);
 * src/kubeconfig's ClientConfig is this type.
 */
export interface WebhookClientConfig {
  server: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  token?: string;
  /** The user's tokenFile (absolute): re-read as client-go's cached file token source does, at most once a minute. */
  tokenFile?: string;
  username?: string;
  password?: string;
  /** The cluster's insecure-skip-tls-verify: the server's certificate is not checked. */
  insecureSkipTlsVerify?: boolean;
  /** The cluster's tls-server-name: the name sent for SNI and checked against the server's certificate. */
  tlsServerName?: string;
  /** The cluster's proxy-url (http, https or socks5): every request goes through it, as http.ProxyURL sends them. */
  proxyUrl?: string;
  /** The user's as, as-uid, as-groups and as-user-extra: Impersonate-* headers on every request. */
  impersonate?: { user: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
}

/**
 * Where the webhooks log, as kube's klog calls do: error for klog.Errorf and klog's Error, debug for klog.V(n).Info.
 * The server's pino logger fits this shape; authn cannot import util/log's wiring, so the sink is named here.
 */
export interface WebhookLogSink {
  error(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

/** kube's wait.Backoff: the first delay (ms), its growth, the jitter, and how many calls in all. */
export interface Backoff {
  durationMs: number;
  factor: number;
  jitter: number;
  steps: number;
}

/** kube's DefaultRetryBackoffWithInitialDelay(500ms), which both webhooks use. */
export const DEFAULT_RETRY_BACKOFF: Readonly<Backoff> = Object.freeze({ durationMs: 500, factor: 1.5, jitter: 0.2, steps: 5 });
/** LoadKubeconfig's defaultRequestTimeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** client-go's Request.maxRetries: retries of an answer carrying Retry-After, before the webhook's own backoff. */
const CLIENT_GO_MAX_RETRIES = 10;
/** kube-apiserver's default --request-timeout: the deadline of the request a webhook call is made for. */
const REQUEST_DEADLINE_MS = 60_000;
/** client-go's maxUnstructuredResponseTextBytes. */
const MAX_UNSTRUCTURED_RESPONSE_TEXT_BYTES = 2048;

/** A 2xx answer: its status and its JSON body. */
export interface WebhookResponse {
  status: number;
  body: unknown;
}

/** metav1.StatusReason values the retry decision and callers look at. */
export type StatusReason = 'Unknown' | 'InternalError' | 'Timeout' | 'ServerTimeout' | 'TooManyRequests' | 'ServiceUnavailable' | 'NotFound' | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotAcceptable' | 'UnsupportedMediaType' | 'MethodNotAllowed' | 'Invalid' | 'AlreadyExists' | 'Conflict' | (string & {});

/** A failed call, with client-go's error text as its message. */
export class WebhookCallError extends Error {
  /** The answer's status code, absent for a transport error. */
  readonly status: number | undefined;
  /** The StatusError's reason, absent for a transport error. */
  readonly reason: StatusReason | undefined;
  /** details.retryAfterSeconds of the StatusError. */
  readonly retryAfterSeconds: number;
  /** utilnet.IsConnectionReset. */
  readonly connectionReset: boolean;
  constructor(message: string, opts: { status?: number; reason?: StatusReason; retryAfterSeconds?: number; connectionReset?: boolean } = {}) {
    super(message);
    this.name = 'WebhookCallError';
    this.status = opts.status;
    this.reason = opts.reason;
    this.retryAfterSeconds = opts.retryAfterSeconds ?? 0;
    this.connectionReset = opts.connectionReset ?? false;
  }
}

/** apimachinery's knownReasons (pkg/api/errors/errors.go): a reason outside it falls back on the status code. */
const KNOWN_REASONS: ReadonlySet<string> = new Set(['Unauthorized', 'Forbidden', 'NotFound', 'AlreadyExists', 'Conflict', 'Gone', 'Invalid', 'ServerTimeout', 'StoreReadError', 'Timeout', 'TooManyRequests', 'BadRequest', 'MethodNotAllowed', 'NotAcceptable', 'RequestEntityTooLarge', 'UnsupportedMediaType', 'InternalError', 'Expired', 'ServiceUnavailable']);

/**
 * kube's DefaultShouldRetry: connection reset, IsInternalError, IsTimeout, IsTooManyRequests, or an answer that asks
 * for a delay. The Is* functions count a Status whose reason is unknown (none, or one of the webhook's own) by its
 * code: 500 is internal, 504 a timeout, and 429 is too many requests whatever the reason.
 */
export function defaultShouldRetry(err: unknown): boolean {
  if (!(err instanceof WebhookCallError)) return false;
  if (err.connectionReset) return true;
  if (err.reason === undefined) return false;
  const unknownReason = !KNOWN_REASONS.has(err.reason);
  if (err.reason === 'InternalError' || (unknownReason && err.status === 500)) return true;
  if (err.reason === 'Timeout' || (unknownReason && err.status === 504)) return true;
  if (err.reason === 'TooManyRequests' || err.status === 429) return true;
  // SuggestsClientDelay: ServerTimeout, or any StatusError with details.retryAfterSeconds > 0.
  return err.reason === 'ServerTimeout' || err.retryAfterSeconds > 0;
}

export interface WebhookClientOptions {
  backoff?: Backoff;
  timeoutMs?: number;
  /** Waits between attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** rand.Float64 for the jitter. */
  random?: () => number;
  shouldRetry?: (err: unknown) => boolean;
  /** Where client-go's own lines go (the Retry-After retry, a token file that cannot be re-read). */
  log?: WebhookLogSink;
  /** The clock (ms) for the token file's cache, for tests. */
  now?: () => number;
}

export interface WebhookClient {
  /** POSTs body to the kubeconfig's server URL with kube's backoff; resolves to the 2xx answer or rejects with the last error. */
  post(body: unknown): Promise<WebhookResponse>;
  /** The server URL, for log lines. */
  readonly url: string;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/** The delays wait.ExponentialBackoffWithContext sleeps between attempts (steps - 1 of them). */
export function backoffDelays(backoff: Backoff, random: () => number = Math.random): number[] {
  const delays: number[] = [];
  let duration = backoff.durationMs;
  for (let steps = backoff.steps; steps > 1; steps--) {
    // Backoff.Step: the jittered current duration; the next one grows by factor (jitter is not cumulative).
    const jitter = backoff.jitter > 0 ? backoff.jitter : 0;
    delays.push(jitter > 0 ? duration + random() * jitter * duration : duration);
    if (backoff.factor !== 0) duration *= backoff.factor;
  }
  return delays;
}

/** A client for one webhook: a kubeconfig's server, CA and credentials. */
export function webhookClient(config: WebhookClientConfig, options: WebhookClientOptions = {}): WebhookClient {
  const backoff = options.backoff ?? DEFAULT_RETRY_BACKOFF;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const shouldRetry = options.shouldRetry ?? defaultShouldRetry;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const url = webhookUrl(config.server);
  // client-go's Request.URL: the path is path.Join("/", base path, "/") (cleaned, no trailing slash), and the query is
  // the request's own (none); a fragment is never sent.
  url.pathname = goCleanPath(url.pathname);
  url.search = '';
  url.hash = '';
  const transport = clientTransport(config, { timeoutMs, ...(options.log ? { log: options.log } : {}), ...(options.now ? { now: options.now } : {}) });
  const exchange: Exchange = { url, transport, sleep, ...(options.log ? { log: options.log } : {}) };
  return {
    url: url.toString(),
    async post(body) {
      const payload = Buffer.from(JSON.stringify(body));
      // webhook.WithExponentialBackoff: call, retry while shouldRetry, and give back the last error.
      const delays = backoffDelays(backoff, random);
      for (let attempt = 0; ; attempt++) {
        try {
          return await postWithClientRetries(exchange, payload);
        } catch (err) {
          if (!shouldRetry(err) || attempt >= delays.length) throw err;
          await sleep(delays[attempt]!);
        }
      }
    },
  };
}

/**
 * rest.DefaultServerURL: a server with a scheme and a host is a URL; anything else is taken as http://server (no TLS
 * options reach a server without https, see kubeconfig/read.ts). Throws TypeError for what cannot be a URL.
 */
export function webhookUrl(server: string): URL {
  // WHATWG's parser drops tabs and newlines where Go's url.Parse refuses any control character.
  if (CONTROL_CHARACTER.test(server)) throw new TypeError('net/url: invalid control character in URL');
  return new URL(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]/.test(server) ? server : `http://${server}`);
}

const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

/** Go's path.Clean of an absolute path, as path.Join leaves it: no "." or ".." segments, no double or trailing slash. */
export function goCleanPath(p: string): string {
  const cleaned = posix.normalize(`/${p}`);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

/** One webhook's fixed parts for each POST. */
interface Exchange {
  url: URL;
  transport: ClientTransport;
  sleep: (ms: number) => Promise<void>;
  log?: WebhookLogSink;
}

/** client-go's cachingTokenSource's timing (transport/token_source.go NewCachedFileTokenSource): a minute, less 10 s. */
const TOKEN_FILE_PERIOD_MS = 60_000;
const TOKEN_FILE_LEEWAY_MS = 10_000;

/**
 * transport.NewBearerAuthWithRefreshRoundTripper: with a tokenFile, each request takes the file's trimmed content,
 * read again once the last read is 50 s old; a failed read keeps the last token (klog "Unable to rotate token"), or,
 * before any read succeeded, the kubeconfig's static token.
 */
function bearerSource(config: WebhookClientConfig, options: ClientTransportOptions): () => string | undefined {
  const file = config.tokenFile;
  if (file === undefined || file === '') return () => config.token;
  const now = options.now ?? Date.now;
  let cached: { token: string; expires: number } | undefined;
  return () => {
    if (cached !== undefined && cached.expires - TOKEN_FILE_LEEWAY_MS > now()) return cached.token;
    try {
      const token = readFileBoundedSync(file).toString('utf8').trim();
      if (token === '') throw new Error(`read empty token from file ${goQuote(file)}`);
      cached = { token, expires: now() + TOKEN_FILE_PERIOD_MS };
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code !== undefined ? `failed to read token file ${goQuote(file)}: ${goFileError('open', file, err as NodeJS.ErrnoException)}` : (err as Error).message;
      // cachingTokenSource.Token: only logged when an older token is kept; bearerAuthRoundTripper ignores the error.
      if (cached !== undefined) options.log?.error({ error: reason }, 'Unable to rotate token');
    }
    return cached?.token ?? config.token;
  };
}

/** Go's *fs.PathError text for a failed open or read: "open /path: no such file or directory". */
export function goFileError(op: string, path: string, err: NodeJS.ErrnoException): string {
  const texts: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    ENOTDIR: 'not a directory',
    EISDIR: 'is a directory',
    ELOOP: 'too many levels of symbolic links',
    ENAMETOOLONG: 'file name too long',
    // Go has no ceiling (os.ReadFile reads to the end); ours (util/bounded-read.ts) says so in syscall.EFBIG's words.
    EFBIG: 'file too large',
  };
  return `${op} ${path}: ${(err.code !== undefined ? texts[err.code] : undefined) ?? err.message}`;
}

/** client-go's Request.Do: an answer of 429 or 5xx with an integer Retry-After is retried after that many seconds, 10 times at most. */
async function postWithClientRetries(exchange: Exchange, payload: Buffer): Promise<WebhookResponse> {
  // The request's context ends the waits: kube-apiserver's request deadline (--request-timeout, 1m), which
  // SleepWithContext honours; the try after it fails at once with the context's error.
  const deadline = Date.now() + REQUEST_DEADLINE_MS;
  for (let retries = 0; ; retries++) {
    const answer = await postOnce(exchange, payload);
    const retryAfter = retryAfterSeconds(answer.headers['retry-after']);
    if ((answer.status === 429 || answer.status >= 500) && retryAfter !== undefined && retries < CLIENT_GO_MAX_RETRIES) {
      // client-go rest/with_retry.go Before: klog V(4) "Got a Retry-After response" with the delay, attempt and url.
      exchange.log?.debug({ delay: `${retryAfter}s`, attempt: retries + 1, url: exchange.url.toString() }, 'Got a Retry-After response');
      const remaining = deadline - Date.now();
      await exchange.sleep(Math.max(0, Math.min(retryAfter * 1000, remaining)));
      if (retryAfter * 1000 >= remaining) throw new WebhookCallError(`Post ${goQuote(exchange.url.toString())}: context deadline exceeded`);
      continue;
    }
    return transformResponse(answer);
  }
}

/** An answer as it came: status, headers and the whole body. */
export interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function postOnce({ url, transport }: Exchange, payload: Buffer): Promise<RawAnswer> {
  return transport.roundTrip({ method: 'POST', url, headers: { 'Content-Type': 'application/json', Accept: 'application/json, */*' }, body: payload });
}

/** One request for ClientTransport.roundTrip: the method, the full URL, headers of its own, and a body. */
export interface TransportRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
}

/** client-go's transport for a rest.Config: TLS, proxy, credentials and impersonation on every request. */
export interface ClientTransport {
  /** Sends one request and resolves with whatever status answers; rejects with WebhookCallError in Go's url.Error words. */
  roundTrip(request: TransportRequest): Promise<RawAnswer>;
}

export interface ClientTransportOptions {
  /** http.Client.Timeout for the whole exchange; none when absent (kubectl's default). */
  timeoutMs?: number;
  /** Where "Unable to rotate token" goes. */
  log?: WebhookLogSink;
  /** The clock (ms) for the token file's cache, for tests. */
  now?: () => number;
}

/** Go's url.Error names the method as net/http's Request does it: "Post", "Get", "Delete". */
function goMethod(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1).toLowerCase();
}

/**
 * The header value net/http would send, or undefined when it refuses it: httpguts.ValidHeaderFieldValue allows every
 * byte but the control ones (HTAB excepted); the value goes out as its UTF-8 bytes, which Node writes from a Latin-1
 * string (Node itself refuses characters above U+00FF, and would throw from inside the request).
 */
function goHeaderValue(value: string): string | undefined {
  const bytes = Buffer.from(value, 'utf8');
  for (const b of bytes) if ((b < 0x20 && b !== 0x09) || b === 0x7f) return undefined;
  return bytes.toString('latin1');
}

/**
 * The transport client-go builds for a kubeconfig's rest.Config (transport.New: TLSConfigFor, HTTPWrappersForConfig;
 * net/http's Transport with http.ProxyURL): the webhooks' and the CLI's. Requests go without keep-alive.
 */
export function clientTransport(config: WebhookClientConfig, options: ClientTransportOptions = {}): ClientTransport {
  const bearer = bearerSource(config, options);
  return { roundTrip: (request) => roundTripOnce(config, bearer, options.timeoutMs, request) };
}

function roundTripOnce(config: WebhookClientConfig, bearer: () => string | undefined, timeoutMs: number | undefined, request: TransportRequest): Promise<RawAnswer> {
  const { url, method, body } = request;
  const goUrl = url.toString();
  const urlError = (text: string): WebhookCallError => new WebhookCallError(`${goMethod(method)} ${goQuote(goUrl)}: ${text}`);
  const given: Record<string, string | string[]> = { ...request.headers, ...(body !== undefined ? { 'Content-Length': String(body.length) } : {}), 'User-Agent': 'kube-auth-mock' };
  // transport.HTTPWrappersForConfig runs before net/http's Transport: the token source is asked first.
  const token = bearer();
  const https = url.protocol === 'https:';
  // net/http's Transport: any other scheme fails each request (kube does not refuse it at start), before
  // the headers are looked at.
  if (!https && url.protocol !== 'http:') return Promise.reject(urlError(`unsupported protocol scheme ${goQuote(url.protocol.replace(/:$/, ''))}`));
  // transport.HTTPWrappersForConfig: a bearer token (static or from the file), else basic auth when a username is set.
  if (token !== undefined && token !== '') given.Authorization = `Bearer ${token}`;
  else if (config.username !== undefined && config.username !== '') given.Authorization = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  Object.assign(given, impersonationHeaders(config.impersonate));
  // net/http Transport.roundTrip validates an http(s) request's headers before it connects (validateHeaders); the
  // value is not named in the error, it may be a secret.
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(given)) {
    const values = (Array.isArray(value) ? value : [value]).map(goHeaderValue);
    if (values.some((v) => v === undefined)) return Promise.reject(urlError(`net/http: invalid header field value for ${goQuote(key)}`));
    headers[key] = Array.isArray(value) ? (values as string[]) : values[0]!;
  }
  const send = https ? httpsRequest : httpRequest;
  const tls: ConnectionOptions = {
    ...(config.caPem ? { ca: config.caPem } : {}),
    ...(config.certPem ? { cert: config.certPem } : {}),
    ...(config.keyPem ? { key: config.keyPem } : {}),
    ...(config.insecureSkipTlsVerify === true ? { rejectUnauthorized: false } : {}),
    // tls.Config.ServerName: Node sends it for SNI and checks the certificate against it, as Go does.
    ...(config.tlsServerName ? { servername: config.tlsServerName } : {}),
  };
  const proxy = config.proxyUrl !== undefined && config.proxyUrl !== '' ? new URL(config.proxyUrl) : undefined;
  return new Promise((resolve, reject) => {
    let settled = false;
    let req: ClientRequest | undefined;
    // The connection to the proxy from the moment it is dialled: a timeout or a failure before the proxy has answered
    // must close it too, or every such request leaves a socket open.
    let proxySocket: Socket | undefined;
    const fail = (err: WebhookCallError): void => {
      req?.destroy();
      proxySocket?.destroy();
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      reject(err);
    };
    // http.Client.Timeout covers the whole exchange, the proxy's part included; Go's text for it.
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => fail(urlError('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')), timeoutMs);
    timer?.unref();
    // An IPv6 literal without its brackets: the name the certificate's IP SANs are checked against, and no SNI for it.
    const bareHost = url.hostname.replace(/^\[|\]$/g, '');
    const start = (via?: { socket: Socket; absoluteForm?: boolean }): void => {
      if (settled) {
        via?.socket.destroy();
        return;
      }
      const connection = via
        ? {
            // Over the proxy's connection: TLS to the target inside a tunnel, or the request itself for an http target.
            createConnection: () => (https ? tlsConnect({ ...tls, socket: via.socket, host: bareHost, ...(tls.servername === undefined && isIP(bareHost) === 0 ? { servername: bareHost } : {}) }) : via.socket),
            ...(via.absoluteForm ? { path: goUrl, headers: { ...headers, ...proxyHeaders(proxy!) } } : {}),
          }
        : { ...(https ? tls : {}), agent: false as const };
      req = send(url, { method, headers, ...connection }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          if (timer !== undefined) clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', (err) => fail(new WebhookCallError(`unexpected error when reading response body. Please retry. Original error: ${err.message}`)));
      });
      req.on('error', (err: NodeJS.ErrnoException) => fail(transportError(method, goUrl, url, err)));
      req.end(body);
    };
    // Whatever start throws (Node refusing an option the checks above let through) fails this request, never the
    // process: it runs from a promise's callback, where a throw would be an unhandled rejection.
    const startSafely = (via?: { socket: Socket; absoluteForm?: boolean }): void => {
      try {
        start(via);
      } catch (err) {
        fail(urlError((err as Error).message));
      }
    };
    if (proxy === undefined) {
      startSafely();
      return;
    }
    const port = Number(url.port || (https ? 443 : 80));
    const host = bareHost;
    const track = (socket: Socket): void => {
      proxySocket = socket;
      if (settled) socket.destroy();
    };
    // net/http's connectMethod: socks5 connects to the target; an http(s) proxy tunnels an https target (CONNECT)
    // and is sent an http target's request in absolute form.
    const established: Promise<{ socket: Socket; absoluteForm?: boolean }> =
      proxy.protocol === 'socks5:'
        ? socksTunnel(proxy, host, port, track).then((socket) => ({ socket }))
        : https
          ? connectTunnel(proxy, joinHostPort(host, port), tls, track).then((socket) => ({ socket }))
          : dialProxy(proxy, tls, track).then((socket) => ({ socket, absoluteForm: true }));
    established.then(startSafely, (err: unknown) => fail(proxyFailure(method, goUrl, proxy, err))).catch((err: unknown) => fail(urlError((err as Error).message)));
  });
}

/** The headers a request sent to an http(s) proxy in absolute form carries for it. */
function proxyHeaders(proxy: URL): Record<string, string> {
  const auth = proxyAuthorization(proxy);
  return auth ? { 'Proxy-Authorization': auth } : {};
}

/** RFC 7230's token characters, those headerKeyEscape leaves alone ('%' excepted). */
const HEADER_KEY_BYTE = /^[!#$&'*+\-.^_`|~0-9A-Za-z]$/;

/**
 * transport.NewImpersonatingRoundTripper: Impersonate-User, -Uid when set, one Impersonate-Group per group, one
 * Impersonate-Extra-<key> per value, the key's bytes outside a header token %-encoded (headerKeyEscape).
 */
function impersonationHeaders(imp: WebhookClientConfig['impersonate']): Record<string, string | string[]> {
  if (imp === undefined) return {};
  const out: Record<string, string | string[]> = { 'Impersonate-User': imp.user };
  if (imp.uid) out['Impersonate-Uid'] = imp.uid;
  if (imp.groups && imp.groups.length > 0) out['Impersonate-Group'] = [...imp.groups];
  for (const [key, values] of Object.entries(imp.extra ?? {})) {
    const escaped = [...Buffer.from(key, 'utf8')].map((b) => (HEADER_KEY_BYTE.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
    if (values.length > 0) out[`Impersonate-Extra-${escaped}`] = [...values];
  }
  return out;
}

/** Go's *url.Error for a failed POST: `Post "URL": <net or tls error>`, with Node's error codes mapped to Go's texts. */
function transportError(method: string, goUrl: string, url: URL, err: NodeJS.ErrnoException): WebhookCallError {
  const hostPort = `${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  const { text, connectionReset } = goNetError(hostPort, url.hostname, err);
  return new WebhookCallError(`${goMethod(method)} ${goQuote(goUrl)}: ${text}`, { connectionReset });
}

/** A failure on the way through the proxy: net/http's "proxyconnect tcp: <dial error>", or what the proxy answered. */
function proxyFailure(method: string, goUrl: string, proxy: URL, err: unknown): WebhookCallError {
  if (err instanceof ProxyError && err.dialError !== undefined) {
    const { text } = goNetError(proxyHostPort(proxy), proxy.hostname, err.dialError);
    return new WebhookCallError(`${goMethod(method)} ${goQuote(goUrl)}: proxyconnect tcp: ${text}`);
  }
  return new WebhookCallError(`${goMethod(method)} ${goQuote(goUrl)}: ${(err as Error).message}`);
}

/** The Go text of a dial, read or TLS error to hostPort. */
function goNetError(hostPort: string, hostname: string, err: NodeJS.ErrnoException): { text: string; connectionReset: boolean } {
  switch (err.code) {
    case 'ECONNREFUSED':
      return { text: `dial tcp ${hostPort}: connect: connection refused`, connectionReset: false };
    case 'ECONNRESET':
      return { text: `read tcp ${hostPort}: read: connection reset by peer`, connectionReset: true };
    case 'ENOTFOUND':
      return { text: `dial tcp: lookup ${hostname}: no such host`, connectionReset: false };
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return { text: 'tls: failed to verify certificate: x509: certificate signed by unknown authority', connectionReset: false };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { text: `tls: failed to verify certificate: ${hostnameError(err)}`, connectionReset: false };
    case 'CERT_HAS_EXPIRED':
      return { text: 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid', connectionReset: false };
    default:
      // A peer that does not speak TLS: OpenSSL's "wrong version number". Such a peer is nearly always an HTTP server
      // answering the ClientHello with a 400, which Go's transport reports in these words (net/http transport.go).
      if (err.code === 'EPROTO' && /wrong version number/.test(err.message)) return { text: 'http: server gave HTTP response to HTTPS client', connectionReset: false };
      // OpenSSL's texts can span lines: a log line and the CLI's message stay one line.
      return { text: err.message.replace(/\s*\n\s*/g, ' ').trim(), connectionReset: /ECONNRESET|socket hang up/.test(err.message) };
  }
}

/** crypto/x509's HostnameError: the names (DNS names for a host name, IP SANs for an address) the certificate is valid for. */
function hostnameError(err: NodeJS.ErrnoException & { host?: string; cert?: { subjectaltname?: string; subject?: { CN?: string } } }): string {
  const host = err.host ?? '';
  const sans = (err.cert?.subjectaltname ?? '').split(', ').filter((x) => x !== '');
  // A certificate without SANs whose common name is the host: Go no longer reads the common name.
  if (sans.length === 0 && err.cert?.subject?.CN === host) return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  const isIp = isIP(host) !== 0;
  const valid = sans.filter((x) => x.startsWith(isIp ? 'IP Address:' : 'DNS:')).map((x) => x.slice(x.indexOf(':') + 1));
  if (isIp && valid.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
  if (valid.length === 0) return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${valid.join(', ')}, not ${host}`;
}

function retryAfterSeconds(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  // strconv.Atoi: an optional sign and decimal digits.
  return text !== undefined && /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

/** client-go's transformResponse and Result.Into for a JSON webhook. */
function transformResponse(answer: RawAnswer): WebhookResponse {
  const contentType = answer.headers['content-type'];
  if (answer.status < 200 || answer.status > 206) throw responseError(answer, contentType);
  if (answer.body.length === 0) throw new WebhookCallError(`0-length response with status code: ${answer.status} and content type: ${contentType ?? ''}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.body.toString('utf8'));
  } catch (err) {
    throw new WebhookCallError(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
  return { status: answer.status, body };
}

/** Result.Error: a metav1.Status in the body speaks for itself; otherwise newUnstructuredResponseError's generic text. */
function responseError(answer: RawAnswer, contentType: string | undefined): WebhookCallError {
  const media = mediaType(contentType);
  const retryAfter = retryAfterSeconds(answer.headers['retry-after']) ?? 0;
  if (answer.body.length > 0 && media !== undefined && !media.startsWith('text/')) {
    const status = parseStatus(answer.body);
    if (status) return status;
  }
  // isTextResponse: no Content-Type, or text/*; anything else is "unknown".
  const text = media === undefined || media.startsWith('text/') ? answer.body.subarray(0, MAX_UNSTRUCTURED_RESPONSE_TEXT_BYTES).toString('utf8').trim() : 'unknown';
  const { reason, message } = genericServerResponse(answer.status, text);
  return new WebhookCallError(message, { status: answer.status, reason, retryAfterSeconds: retryAfter });
}

/** errors.FromObject for a metav1.Status with status Failure. */
function parseStatus(body: Buffer): WebhookCallError | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const s = doc as { kind?: unknown; status?: unknown; message?: unknown; reason?: unknown; code?: unknown; details?: { retryAfterSeconds?: unknown } };
  if (s.kind !== 'Status' || s.status !== 'Failure') return undefined;
  return new WebhookCallError(typeof s.message === 'string' ? s.message : '', {
    ...(typeof s.code === 'number' ? { status: s.code } : {}),
    reason: typeof s.reason === 'string' ? s.reason : '',
    retryAfterSeconds: typeof s.details?.retryAfterSeconds === 'number' ? s.details.retryAfterSeconds : 0,
  });
}

/** apimachinery's NewGenericServerResponse for a POST with no resource (the webhook's): reason and message by code. */
export function genericServerResponse(code: number, serverMessage: string): { reason: StatusReason; message: string } {
  switch (code) {
    case 409: return { reason: 'AlreadyExists', message: 'the server reported a conflict' };
    case 404: return { reason: 'NotFound', message: 'the server could not find the requested resource' };
    case 400: return { reason: 'BadRequest', message: 'the server rejected our request for an unknown reason' };
    case 401: return { reason: 'Unauthorized', message: 'the server has asked for the client to provide credentials' };
    case 403: return { reason: 'Forbidden', message: serverMessage };
    case 406: return { reason: 'NotAcceptable', message: serverMessage.length === 0 || serverMessage === 'unknown' ? 'the server was unable to respond with a content type that the client supports' : serverMessage };
    case 415: return { reason: 'UnsupportedMediaType', message: serverMessage };
    case 405: return { reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' };
    case 422: return { reason: 'Invalid', message: 'the server rejected our request due to an error in our request' };
    case 503: return { reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' };
    case 504: return { reason: 'Timeout', message: 'the server was unable to return a response in the time allotted, but may still be processing the request' };
    case 429: return { reason: 'TooManyRequests', message: 'the server has received too many requests and has asked us to try again later' };
    default:
      if (code >= 500) return { reason: 'InternalError', message: `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding` };
      return { reason: 'Unknown', message: `the server responded with the status code ${code} but did not return more information` };
  }
}
