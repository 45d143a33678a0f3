// Starts a server for one test file and stops it after, so every test file leaves nothing running.
import { after, before } from 'node:test';
import request from 'supertest';
import { startServer, type KubeAuthMockServer, type StartServerOptions } from '../../src/index.js';

/** A server for the whole test file: `get()` once started, `ready()` to start it (or wait for it) from any hook. */
export interface TestServer {
  (): KubeAuthMockServer;
  ready(): Promise<KubeAuthMockServer>;
}

/** A server started before the file's tests and stopped after them. */
export function useServer(options: StartServerOptions | (() => Promise<StartServerOptions>) = {}): TestServer {
  let starting: Promise<KubeAuthMockServer> | undefined;
  let server: KubeAuthMockServer | undefined;
  const ready = (): Promise<KubeAuthMockServer> => {
    starting ??= (async () => {
      server = await startServer({ port: 0, ...(typeof options === 'function' ? await options() : options) });
      return server;
    })();
    return starting;
  };
  before(ready);
  after(async () => {
    await server?.stop();
  });
  const get = (): KubeAuthMockServer => {
    if (server === undefined) throw new Error('server not started yet: await server.ready() in a before hook');
    return server;
  };
  return Object.assign(get, { ready });
}

/** A supertest agent for the server that trusts its CA. */
export function client(server: KubeAuthMockServer): request.Agent {
  return request.agent(server.url).ca(server.caCert);
}

/** The credentials in a kubeconfig our server minted: token, basic or certificate. */
export function credentialsOf(kubeconfigYaml: string): { token?: string; username?: string; password?: string; cert?: string; key?: string } {
  const field = (name: string) => new RegExp(`^\\s+${name}: (.+)$`, 'm').exec(kubeconfigYaml)?.[1]?.trim();
  const decode = (v: string | undefined) => (v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8'));
  const out: { token?: string; username?: string; password?: string; cert?: string; key?: string } = {};
  const token = field('token');
  if (token) out.token = token;
  const username = field('username');
  if (username) out.username = username;
  const password = field('password');
  if (password) out.password = password;
  const cert = decode(field('client-certificate-data'));
  if (cert) out.cert = cert;
  const key = decode(field('client-key-data'));
  if (key) out.key = key;
  return out;
}
