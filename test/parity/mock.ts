// The mock as the parity scenarios see it: started in-process on the fixed set-up, with the options that
// mirror the reference server's flags, and the fixtures created through the API as for the reference.
import { startServer, type KubeAuthMockServer } from '../../src/index.js';
import { targetWithFixtures, type ParityTarget } from './run.js';
import type { ParityVariant } from './scenario.js';
import type { ParitySetup } from './setup.js';
import { prepareVariant } from './variants.js';

/** A running mock and the target the scenarios send to. */
export interface ParityMock {
  server: KubeAuthMockServer;
  target: ParityTarget;
  /** stops the server and what its variant runs beside it */
  stop(): Promise<void>;
}

/**
 * Starts the mock the way the reference is started: the set-up's CA and serving pair (--tls-cert-file, the
 * PKI), --client-ca-file, --token-auth-file, --authorization-mode=RBAC and --anonymous-auth unless the variant
 * says otherwise, the variant's other flags (variants.ts), the bootstrap policy (kube-apiserver always loads it),
 * no basic auth (kube has none), then the same fixtures. The ServiceAccount flags of the reference (sa.key, sa.pub,
 * kubeadm's issuer) are the mock's defaults.
 */
export async function startParityMock(setup: ParitySetup, variant: ParityVariant = 'default'): Promise<ParityMock> {
  const env = await prepareVariant(setup, variant);
  let server: KubeAuthMockServer;
  try {
    server = await startServer({
      port: 0,
      pki: setup.pki,
      clientCaFile: setup.caFile,
      tokenAuthFile: setup.tokenFile,
      authorizationMode: env.authorizationMode,
      bootstrapPolicy: true,
      watchFiles: false,
      ...env.mockOptions,
    });
  } catch (err) {
    await env.stop();
    throw err;
  }
  const stop = async (): Promise<void> => {
    await server.stop();
    await env.stop();
  };
  const target = await targetWithFixtures(server.url, setup, env, stop);
  return { server, target, stop };
}
