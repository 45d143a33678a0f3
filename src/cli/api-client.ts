// A small JSON client for the CLI's calls to a running server, configured from a kubeconfig's current context as
// client-go's clientcmd reads it and sent through the same transport as the webhooks' (authn/webhook/client.ts
// clientTransport: CA, client certificate, bearer token or basic auth, insecure-skip-tls-verify, tls-server-name,
// proxy-url, and the user's as/as-groups/as-uid/as-user-extra as Impersonate-* headers). Failures are one line: the
// server's metav1.Status message, as client-go's StatusError prints it, or the transport error as Go's url.Error does
// ("Get \"URL\": ...").
import { clientTransport, goCleanPath, webhookUrl, WebhookCallError } from '../authn/webhook/client.js';
import type { ClientConfig } from '../kubeconfig/read.js';
import { loadWebhookKubeconfig } from '../server/token-webhook.js';

/** A response: its HTTP status and its body, parsed when it is JSON (a string otherwise, undefined when empty). */
export interface ApiResponse {
  status: number;
  body: unknown;
  /** The body as sent, for answers printed as they are (explain's text). */
  text: string;
}

/** A client for one server and one identity. */
export interface ApiClient {
  /** The server URL of the kubeconfig's current context. */
  readonly server: string;
  /** Sends a request (a JSON body when given) and resolves with any HTTP status; rejects with ApiError when the server cannot be reached. */
  request(method: string, path: string, body?: unknown, options?: { accept?: string }): Promise<ApiResponse>;
}

/** A failed call, as one line; main.ts prints it after the command's name. */
export class ApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * A client from a configuration already read (tests, or a caller with its own kubeconfig handling). A path is put
 * under the server URL's own path, as client-go's Request.URL joins them.
 */
export function apiClient(config: ClientConfig): ApiClient {
  const transport = clientTransport(config);
  return {
    server: config.server,
    async request(method, path, body, options) {
      let url: URL;
      try {
        url = webhookUrl(config.server);
      } catch {
        throw new ApiError(`parse ${JSON.stringify(config.server)}: invalid URL`);
      }
      const target = new URL(path, 'http://path.invalid');
      url.pathname = goCleanPath(`${url.pathname}/${target.pathname}`);
      url.search = target.search;
      url.hash = '';
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      let answer;
      try {
        answer = await transport.roundTrip({ method, url, headers: { Accept: options?.accept ?? 'application/json', ...(payload ? { 'Content-Type': 'application/json' } : {}) }, ...(payload ? { body: payload } : {}) });
      } catch (err) {
        if (err instanceof WebhookCallError) throw new ApiError(err.message);
        throw err;
      }
      const text = answer.body.toString('utf8');
      let parsed: unknown = text === '' ? undefined : text;
      if (text !== '' && /json/.test(answer.headers['content-type'] ?? '')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text: statusMessage shows the generic line
        }
      }
      return { status: answer.status, body: parsed, text };
    },
  };
}

/**
 * Reads a kubeconfig as client-go builds a REST client from it (the webhooks' loader: ConfigError naming the file and
 * what is wrong, a server that is no URL included) and returns a client for its current context.
 */
export async function loadApiClient(kubeconfigFile: string): Promise<ApiClient> {
  return apiClient(await loadWebhookKubeconfig(kubeconfigFile));
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
