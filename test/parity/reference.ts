// The reference kube-apiserver for recording: test/parity/reference-server.ts starts etcd and kube-apiserver from
// the build's manifest (npm run parity:build) with the mock's flags (test/parity/mock.ts), and the fixtures are
// created through the API as on the mock. Only the recorders use it; the replay never starts Go binaries.
import { startReference } from './reference-server.js';
import { targetWithFixtures, type ParityTarget } from './run.js';
import type { ParityVariant } from './scenario.js';
import type { ParitySetup } from './setup.js';
import { prepareVariant } from './variants.js';

/** A running reference server with the fixtures created, and how to stop it. */
export interface ParityReference {
  target: ParityTarget;
  stop(): Promise<void>;
}

/** Starts kube-apiserver on the set-up with the mock's flags (test/parity/mock.ts) for the variant and creates the fixtures. */
export async function startParityReference(setup: ParitySetup, variant: ParityVariant = 'default'): Promise<ParityReference> {
  const env = await prepareVariant(setup, variant);
  const extraFlags = ['--emulated-version=1.33', ...env.referenceFlags];
  let running: Awaited<ReturnType<typeof startReference>>;
  try {
    running = await startReference({ pkiDir: setup.pkiDir, tokenFile: setup.tokenFile, authorizationMode: env.authorizationMode, anonymousAuth: env.anonymousAuth, extraFlags });
  } catch (err) {
    await env.stop();
    throw err;
  }
  const stop = async (): Promise<void> => {
    await running.stop();
    await env.stop();
  };
  const target = await targetWithFixtures(running.url, setup, env, stop);
  return { target, stop };
}
