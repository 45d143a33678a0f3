// A small JSON client for the CLI's calls to a running server, configured from a kubeconfig's current context as
// client-go's clientcmd reads it: the cluster's server and CA, the user's client certificate and key (embedded
// *-data or files), a bearer token, or a username and password. Failures are one line: the server's metav1.Status
// message, as client-go's StatusError prints it, or the transport error as Go's url.Error does ("Get \"URL\": ...").
import { request as httpsRequest } from 'node:https';
import { readClientConfig, type ClientConfig } from '../kubeconfig/read.js';

/** A response: its HTTP status and its body, parsed when it is JSON (a string otherwise, undefined when empty). */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** A client for one server and one identity. */
export interface ApiClient {
  /** The server URL of the kubeconfig's current context. */
  readonly server: string;
  /** Sends a request (a JSON body when given) and resolves with any HTTP status; rejects with ApiError when the server cannot be reached. */
  request(method: string, path: string, body?: unknown): Promise<ApiResponse>;
}

/** A failed call, as one line; main.ts prints it after the command's name. */
export class ApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Go's url.Error names the method as net/http writes it: "Get", "Post", "Delete". */
function goMethod(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1).toLowerCase();
}

/** A client from a configuration already read (tests, or a caller with its own kubeconfig handling). */
export function apiClient(config: ClientConfig): ApiClient {
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'kube-auth-mock' };
  if (config.token) headers.Authorization = `Bearer ${config.token}`;
  else if (config.username !== undefined) headers.Authorization = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  return {
    server: config.server,
    request(method, path, body) {
      const url = new URL(path, config.server);
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = httpsRequest(
          url,
          {
            method,
            ca: config.caPem,
            cert: config.certPem,
            key: config.keyPem,
            headers: payload ? { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : headers,
            agent: false,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = text === '' ? undefined : text;
              if (text !== '' && /json/.test(res.headers['content-type'] ?? '')) {
                try {
                  parsed = JSON.parse(text);
                } catch {
                  // keep the text: statusMessage shows the generic line
                }
              }
              resolve({ status: res.statusCode ?? 0, body: parsed });
            });
            res.on('error', (err) => reject(new ApiError(`${goMethod(method)} ${JSON.stringify(url.href)}: ${err.message}`)));
          },
        );
        req.on('error', (err) => reject(new ApiError(`${goMethod(method)} ${JSON.stringify(url.href)}: ${err.message}`)));
        req.end(payload);
      });
    },
  };
}

/** Reads a kubeconfig (ConfigError naming the file and entry when it is wrong) and returns a client for its current context. */
export async function loadApiClient(kubeconfigFile: string): Promise<ApiClient> {
  return apiClient(await readClientConfig(kubeconfigFile));
}

/** A failed response's one-line message: the metav1.Status message (client-go's StatusError.Error()), else client-go's generic text. */
export function statusMessage(res: ApiResponse): string {
  const body = res.body as { kind?: unknown; message?: unknown } | undefined;
  if (typeof body === 'object' && body !== null && body.kind === 'Status' && typeof body.message === 'string' && body.message !== '') return body.message;
  return `the server responded with the status code ${res.status} but did not return more information`;
}

/** The Status reason of a failed response ("NotFound", "AlreadyExists", ...), or "" when the body is not a Status. */
export function statusReason(res: ApiResponse): string {
  const body = res.body as { kind?: unknown; reason?: unknown } | undefined;
  return typeof body === 'object' && body !== null && body.kind === 'Status' && typeof body.reason === 'string' ? body.reason : '';
}
