// The mock as the parity scenarios see it: started in-process on the fixed set-up, with the options that
// mirror the reference server's flags, and the fixtures created through the API as for the reference.
import { startServer, type KubeAuthMockServer } from '../../src/index.js';
import { applyFixtures, type ParityTarget } from './run.js';
import { VARIANTS, type ParityVariant } from './scenario.js';
import type { ParitySetup } from './setup.js';

/** The authorization mode both servers run with (--authorization-mode). */
export const PARITY_AUTHORIZATION_MODE = 'RBAC';

/** A running mock and the target the scenarios send to. */
export interface ParityMock {
  server: KubeAuthMockServer;
  target: ParityTarget;
}

/**
 * Starts the mock the way the reference is started: the set-up's CA and serving pair (--tls-cert-file, the
 * PKI), --client-ca-file, --token-auth-file, --authorization-mode=RBAC, --anonymous-auth and
 * --enable-bootstrap-token-auth as the variant says, the bootstrap policy (kube-apiserver always loads it), no basic
 * auth (kube has none), then the same fixtures. The ServiceAccount flags of the reference (sa.key, sa.pub, kubeadm's
 * issuer) are the mock's defaults.
 */
export async function startParityMock(setup: ParitySetup, variant: ParityVariant = 'default'): Promise<ParityMock> {
  const server = await startServer({
    port: 0,
    pki: setup.pki,
    clientCaFile: setup.caFile,
    tokenAuthFile: setup.tokenFile,
    authorizationMode: PARITY_AUTHORIZATION_MODE,
    anonymousAuth: VARIANTS[variant].anonymousAuth,
    enableBootstrapTokenAuth: VARIANTS[variant].enableBootstrapTokenAuth ?? false,
    bootstrapPolicy: true,
    watchFiles: false,
  });
  const target: ParityTarget = { url: server.url, caPem: setup.caPem, identities: setup.identities, serviceAccountKeyPem: setup.pki.serviceAccountKey.privateKeyPem };
  try {
    await applyFixtures(target);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { server, target };
}
