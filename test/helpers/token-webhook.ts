// A TokenReview webhook for tests, shaped as kube's own test server (k8s.io/apiserver v0.34.4
// plugin/pkg/authenticator/token/webhook/webhook_v1_test.go NewV1TestServer): HTTPS on 127.0.0.1 with its own CA,
// a client certificate required and verified against that CA, POST on one path only (404 "unexpected path"
// elsewhere), http.Error's text/plain answers for a status the test asks for, and a kubeconfig pointing at it.
import { createServer, type Server } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueClientCert, issueServingCert, type IssuedCert } from '../../src/pki/issue.js';

export const WEBHOOK_PATH = '/testserver';

/** What the webhook answers: a status for the review (and the HTTP code, 200 unless set), or a raw answer. */
export type WebhookAnswer =
  | { code?: number; status: Record<string, unknown> }
  | { code: number; contentType?: string; text: string; headers?: Record<string, string> };

export interface TestTokenWebhook {
  /** The server URL with the webhook path. */
  url: string;
  /** A kubeconfig (kube's format, current context set) with the CA and the client certificate, written to a temp file. */
  kubeconfigFile: string;
  kubeconfigYaml: string;
  ca: IssuedCert;
  client: IssuedCert;
  /** Every review body received, in order. */
  reviews: Record<string, unknown>[];
  /** The answer for the next reviews; a function sees the review. */
  answer: WebhookAnswer | ((review: Record<string, unknown>) => WebhookAnswer);
  close(): Promise<void>;
}

const sendJson = (res: import('node:http').ServerResponse, code: number, body: unknown): void => {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
};

/** Go's http.Error: text/plain, nosniff, the text and a newline. */
const httpError = (res: import('node:http').ServerResponse, code: number, text: string, headers: Record<string, string> = {}, contentType = 'text/plain; charset=utf-8'): void => {
  res.writeHead(code, { 'Content-Type': contentType, 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(`${text}\n`);
};

export async function startTokenWebhook(options: { answer?: TestTokenWebhook['answer']; clientCa?: IssuedCert } = {}): Promise<TestTokenWebhook> {
  const ca = await createCa({ commonName: 'webhook-test-ca' });
  const serving = await issueServingCert(ca, { sans: ['127.0.0.1', 'localhost'], commonName: 'webhook' });
  const clientCa = options.clientCa ?? ca;
  const client = await issueClientCert(clientCa, { user: 'kube-apiserver' });
  const state = { answer: options.answer ?? ({ status: { authenticated: false } } as WebhookAnswer) };
  const reviews: Record<string, unknown>[] = [];
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST') return httpError(res, 405, `unexpected method: ${req.method}`);
      if (req.url !== WEBHOOK_PATH) return httpError(res, 404, `unexpected path: ${req.url}`);
      let review: Record<string, unknown>;
      try {
        review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch (err) {
        return httpError(res, 400, `failed to decode body: ${(err as Error).message}`);
      }
      reviews.push(review);
      const answer = typeof state.answer === 'function' ? state.answer(review) : state.answer;
      if ('text' in answer) return httpError(res, answer.code, answer.text, answer.headers, answer.contentType);
      if (answer.code !== undefined && (answer.code < 200 || answer.code >= 300)) return httpError(res, answer.code, 'HTTP Error');
      sendJson(res, answer.code ?? 200, { kind: 'TokenReview', apiVersion: review.apiVersion, status: answer.status });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const url = `https://127.0.0.1:${address.port}${WEBHOOK_PATH}`;
  const dir = await mkdtemp(join(tmpdir(), 'token-webhook-'));
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  // The kubeconfig of kube's docs (Webhook Token Authentication): clusters, users, a context, current-context.
  const kubeconfigYaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: name-of-remote-authn-service',
    '    cluster:',
    `      certificate-authority-data: ${b64(ca.certPem)}`,
    `      server: ${url}`,
    'users:',
    '  - name: name-of-api-server',
    '    user:',
    `      client-certificate-data: ${b64(client.certPem)}`,
    `      client-key-data: ${b64(client.keyPem)}`,
    'current-context: webhook',
    'contexts:',
    '- context:',
    '    cluster: name-of-remote-authn-service',
    '    user: name-of-api-server',
    '  name: webhook',
    '',
  ].join('\n');
  const kubeconfigFile = join(dir, 'webhook.kubeconfig');
  await writeFile(kubeconfigFile, kubeconfigYaml);
  const hook: TestTokenWebhook = {
    url,
    kubeconfigFile,
    kubeconfigYaml,
    ca,
    client,
    reviews,
    get answer() {
      return state.answer;
    },
    set answer(a) {
      state.answer = a;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  return hook;
}
