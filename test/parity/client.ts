// Sends one scenario request as one of the set-up's identities, the same way to either server: node:https,
// a fresh connection per request (no pooling, so a refused body cannot leak into the next request), the
// cluster CA trusted, and a fixed User-Agent that is not curl's (kube pretty-prints JSON for curl).
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestBody } from './scenario.js';
import type { Credential } from './setup.js';

/** What the server answered, before normalising. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request ready to send. */
export interface Outgoing {
  method: string;
  path: string;
  headers?: Readonly<Record<string, string | readonly string[]>>;
  body?: RequestBody;
}

export const PARITY_USER_AGENT = 'kube-auth-mock-parity/1';

/** The bytes of a request body. */
export function bodyBytes(body: RequestBody): Buffer {
  if ('json' in body) return Buffer.from(JSON.stringify(body.json));
  if ('text' in body) return Buffer.from(body.text);
  if ('bytes' in body) return Buffer.from(body.bytes, 'base64');
  return Buffer.from(body.repeat.repeat(body.count));
}

/** Sends `req` to `baseUrl` with `credential`; resolves with the answer, rejects only when no answer came. */
export function send(baseUrl: string, caPem: string, credential: Credential, req: Outgoing): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const headers: Record<string, string | string[]> = { 'User-Agent': PARITY_USER_AGENT, Accept: 'application/json' };
  if (credential.token !== undefined) headers.Authorization = `Bearer ${credential.token}`;
  const payload = req.body === undefined ? undefined : bodyBytes(req.body);
  if (req.body !== undefined && 'json' in req.body) headers['Content-Type'] = 'application/json';
  // The scenario's own headers win, whatever their case: an explicit Authorization replaces the identity's token.
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = typeof value === 'string' ? value : [...value];
  }
  if (payload !== undefined) headers['Content-Length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const r = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers,
        ca: caPem,
        cert: credential.cert?.certPem,
        key: credential.cert?.keyPem,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    // A server may answer (413, 401) before it has read a large body and then close: the answer is what
    // counts, so a write error only fails the request when no answer came before the connection closed.
    let answered = false;
    let failure: Error | undefined;
    r.on('response', () => (answered = true));
    r.on('error', (err: Error) => (failure ??= err));
    r.on('close', () => {
      if (!answered) reject(failure ?? new Error(`${req.method} ${req.path}: the connection closed without an answer`));
    });
    r.end(payload);
  });
}
