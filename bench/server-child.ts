// A server process: either kube-auth-mock ("ours", started with startServer) or the bare baseline,
// a plain node:https server that answers every request with the bytes ours answers GET /version with.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request, createServer, type Server } from 'node:https';
import { servingOptions } from '../src/server/tls.js';
import type { AddressInfo, Socket } from 'node:net';
import { parse } from 'yaml';
import { createInMemoryPki, startServer, type KubeAuthMockServer } from '../src/index.js';
import { serve } from './ipc.js';
import { createLogger } from '../src/util/log.js';

/** What GET /version answered: the baseline replays it. */
export interface CapturedResponse {
  status: number;
  /** Raw header pairs, without the ones node's http server adds itself (Date, Connection, Keep-Alive). */
  headers: [string, string][];
  body: string;
}

export interface OursInfo {
  url: string;
  caPem: string;
  servingCertPem: string;
  servingKeyPem: string;
  token: string;
  /** A bound token of the default ServiceAccount of the default namespace (TokenRequest's). */
  serviceAccountToken: string;
  clientCertPem: string;
  clientKeyPem: string;
  version: CapturedResponse;
}

let ours: KubeAuthMockServer | undefined;
let bare: Server | undefined;
const bareSockets = new Set<Socket>();

function fromB64(s: unknown, what: string): string {
  if (typeof s !== 'string' || s === '') throw new Error(`kubeconfig has no ${what}`);
  return Buffer.from(s, 'base64').toString('utf8');
}

interface KubeconfigUser {
  token?: string;
  'client-certificate-data'?: string;
  'client-key-data'?: string;
}

function kubeconfigUser(yaml: string): KubeconfigUser {
  const doc = parse(yaml) as { users?: { user?: KubeconfigUser }[] };
  const user = doc.users?.[0]?.user;
  if (!user) throw new Error('kubeconfig has no user');
  return user;
}

/** GET path once, the way a client would, and keeps status, headers and body. */
function fetchOnce(url: string, path: string, opts: { ca: string; token?: string; cert?: string; key?: string }): Promise<CapturedResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method: 'GET',
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        agent: false,
        headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!;
            if (/^(date|connection|keep-alive|transfer-encoding)$/i.test(name)) continue;
            headers.push([name, res.rawHeaders[i + 1]!]);
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

serve(
  {
    /**
     * Starts kube-auth-mock (RBAC unless told otherwise) with an in-memory PKI and mints a token and a client-certificate
     * identity; with `auditDir`, the audit log is on: every request at the Metadata level, in that folder; with
     * `tlsTrace`, --tls-trace.
     */
    async startOurs(p: { authorizationMode?: string; auditDir?: string; tlsTrace?: boolean } | null): Promise<OursInfo> {
      const pki = await createInMemoryPki();
      let audit = {};
      if (p?.auditDir) {
        const auditPolicyFile = join(p.auditDir, 'audit-policy.yaml');
        await writeFile(auditPolicyFile, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n');
        audit = { auditPolicyFile, auditLogPath: join(p.auditDir, 'audit.log') };
      }
      // --tls-trace logs an event per connection: written as JSON to /dev/null, so its serialisation is paid as in use.
      const trace = p?.tlsTrace === true ? { tlsTrace: true, log: createLogger('json', createWriteStream('/dev/null')) } : {};
      ours = await startServer({ port: 0, pki, ...(p?.authorizationMode ? { authorizationMode: p.authorizationMode } : {}), ...audit, ...trace });
      const tokenUser = kubeconfigUser(await ours.kubeconfig({ user: 'bench-token', groups: ['bench'], auth: 'token' }));
      const certUser = kubeconfigUser(await ours.kubeconfig({ user: 'bench-cert', groups: ['bench'], auth: 'cert' }));
      if (!tokenUser.token) throw new Error('token kubeconfig has no token');
      const clientCertPem = fromB64(certUser['client-certificate-data'], 'client-certificate-data');
      const clientKeyPem = fromB64(certUser['client-key-data'], 'client-key-data');
      const version = await fetchOnce(ours.url, '/version', { ca: ours.caCert, token: tokenUser.token });
      if (version.status !== 200) throw new Error(`GET /version with the token answered ${version.status}: ${version.body}`);
      const viaCert = await fetchOnce(ours.url, '/version', { ca: ours.caCert, cert: clientCertPem, key: clientKeyPem });
      if (viaCert.status !== 200) throw new Error(`GET /version with the client certificate answered ${viaCert.status}: ${viaCert.body}`);
      const serviceAccountToken = await ours.serviceAccountToken('default/default');
      const viaServiceAccount = await fetchOnce(ours.url, '/version', { ca: ours.caCert, token: serviceAccountToken });
      if (viaServiceAccount.status !== 200) throw new Error(`GET /version with the ServiceAccount token answered ${viaServiceAccount.status}: ${viaServiceAccount.body}`);
      return {
        url: ours.url,
        caPem: pki.ca.certPem,
        servingCertPem: pki.serving.certPem,
        servingKeyPem: pki.serving.keyPem,
        token: tokenUser.token,
        serviceAccountToken,
        clientCertPem,
        clientKeyPem,
        version,
      };
    },

    /**
     * Starts the baseline: node:https with the same serving certificate, the same client-CA and the same
     * TLS settings as ours (client certificates requested, not required), answering every request with
     * the captured /version response. Audit-Id gets a fresh UUID per request, as ours does.
     */
    async startBare(p: { servingCertPem: string; servingKeyPem: string; caPem: string; response: CapturedResponse }): Promise<{ url: string }> {
      const body = Buffer.from(p.response.body, 'utf8');
      const auditIndex = p.response.headers.findIndex(([n]) => n.toLowerCase() === 'audit-id');
      const server = createServer(
        servingOptions({ keyPem: p.servingKeyPem, certPem: p.servingCertPem, clientCaPem: p.caPem }),
        (req, res) => {
          // Read (and drop) whatever body the request has, as any server must.
          req.resume();
          const headers = p.response.headers.map(([n, v]): [string, string] => [n, v]);
          if (auditIndex >= 0) headers[auditIndex]![1] = randomUUID();
          res.writeHead(p.response.status, headers.flat());
          res.end(body);
        },
      );
      server.on('secureConnection', (socket: Socket) => {
        bareSockets.add(socket);
        socket.once('close', () => bareSockets.delete(socket));
      });
      server.on('tlsClientError', () => {});
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      bare = server;
      const check = await fetchOnce(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, '/version', { ca: p.caPem });
      if (check.status !== p.response.status || check.body !== p.response.body) throw new Error('the bare server does not answer what ours does');
      return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
    },
  },
  async () => {
    const stops: Promise<void>[] = [];
    if (ours) stops.push(ours.stop());
    if (bare) {
      const b = bare;
      stops.push(new Promise<void>((resolve) => b.close(() => resolve())));
      b.closeIdleConnections();
      for (const s of bareSockets) s.destroy();
    }
    await Promise.all(stops);
  },
);
