// The adapter to the reference kube-apiserver: test/parity/reference-server.ts (written with the Go build,
// `npm run parity:build`) starts etcd and kube-apiserver from the build's manifest. It is loaded at run time
// so that the replay, which never needs Go, does not depend on it; its contract is ReferenceModule below.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PARITY_AUTHORIZATION_MODE } from './mock.js';
import { applyFixtures, type ParityTarget } from './run.js';
import { VARIANTS, type ParityVariant } from './scenario.js';
import type { ParitySetup } from './setup.js';

/** What startReference takes: the set-up's files and the flags that differ between set-ups. */
export interface ReferenceOptions {
  /** kubeadm's file names: ca.crt (--client-ca-file), apiserver.crt/.key (--tls-cert-file/--tls-private-key-file), sa.key/sa.pub */
  pkiDir: string;
  tokenFile: string;
  authorizationMode: string;
  anonymousAuth: boolean;
  extraFlags?: string[];
}

/** The module test/parity/reference-server.ts. */
export interface ReferenceModule {
  startReference(opts: ReferenceOptions): Promise<{ url: string; stop(): Promise<void> }>;
}

async function loadReferenceModule(): Promise<ReferenceModule> {
  const file = fileURLToPath(new URL('./reference-server.ts', import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} does not exist: it comes with the reference build (npm run parity:build)`);
  const mod = (await import(pathToFileURL(file).href)) as Partial<ReferenceModule>;
  if (typeof mod.startReference !== 'function') throw new Error(`${file} does not export startReference(opts)`);
  return mod as ReferenceModule;
}

/** A running reference server with the fixtures created, and how to stop it. */
export interface ParityReference {
  target: ParityTarget;
  stop(): Promise<void>;
}

/** Starts kube-apiserver on the set-up with the mock's flags (test/parity/mock.ts) for the variant and creates the fixtures. */
export async function startParityReference(setup: ParitySetup, variant: ParityVariant = 'default'): Promise<ParityReference> {
  const { startReference } = await loadReferenceModule();
  const running = await startReference({ pkiDir: setup.pkiDir, tokenFile: setup.tokenFile, authorizationMode: PARITY_AUTHORIZATION_MODE, anonymousAuth: VARIANTS[variant].anonymousAuth, extraFlags: ['--emulated-version=1.33'] });
  const target: ParityTarget = { url: running.url, caPem: setup.caPem, identities: setup.identities };
  try {
    await applyFixtures(target);
  } catch (err) {
    await running.stop();
    throw err;
  }
  return { target, stop: () => running.stop() };
}
