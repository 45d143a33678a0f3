// Where `npm run parity:build` puts the reference binaries, and the manifest that names them: the one
// contract between the build and whatever runs the binaries (the smoke script, the recorder).
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** The manifest the build writes to `${cache}/manifest.json`; the recorder reads exactly these keys. */
export interface ParityManifest {
  kubeApiserver: string;
  etcd: string;
  kubectl: string;
  versions: { kubernetes: string; etcd: string; kubectl: string };
}

/** The cache folder, outside the repository so that nothing built is ever committed. */
export function parityCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['KAM_PARITY_CACHE'];
  return path.resolve(fromEnv !== undefined && fromEnv !== '' ? fromEnv : path.join(homedir(), '.cache', 'kube-auth-mock', 'parity'));
}

/** Where the build puts one binary ("kube-apiserver", "etcd", "kubectl"), whether or not it has been built. */
export function builtBinaryPath(binary: string, cacheDir: string = parityCacheDir()): string {
  return path.join(cacheDir, 'bin', binary);
}

/** The manifest's path in the cache folder. */
export function manifestPath(cacheDir: string = parityCacheDir()): string {
  return path.join(cacheDir, 'manifest.json');
}

function isString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

/** Reads and checks the manifest; the error says to run the build, since that is the only fix. */
export async function readManifest(cacheDir: string = parityCacheDir()): Promise<ParityManifest> {
  const file = manifestPath(cacheDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${file} cannot be read (${code ?? String(err)}): run npm run parity:build first`);
  }
  const data = JSON.parse(text) as Record<string, unknown>;
  const versions = data['versions'] as Record<string, unknown> | undefined;
  if (
    !isString(data['kubeApiserver']) || !isString(data['etcd']) || !isString(data['kubectl']) ||
    versions === undefined || !isString(versions['kubernetes']) || !isString(versions['etcd']) || !isString(versions['kubectl'])
  ) {
    throw new Error(`${file} lacks kubeApiserver, etcd, kubectl or versions.{kubernetes,etcd,kubectl}: run npm run parity:build again`);
  }
  return {
    kubeApiserver: data['kubeApiserver'],
    etcd: data['etcd'],
    kubectl: data['kubectl'],
    versions: { kubernetes: versions['kubernetes'], etcd: versions['etcd'], kubectl: versions['kubectl'] },
  };
}
