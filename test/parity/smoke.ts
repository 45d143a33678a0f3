// npm run parity:smoke: proves the binaries of `npm run parity:build` run. Starts etcd and kube-apiserver on
// loopback with a fresh PKI and a static token, asks /version through kubectl 1.37 with that token, prints the
// JSON, and stops everything. Needs Go's build output, so it is not part of npm test.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadOrInitPki } from '../../src/pki/index.js';
import { readManifest } from './manifest.js';
import { startReference } from './reference-server.js';

const TOKEN = 'parity-smoke-token';

async function main(): Promise<void> {
  const manifest = await readManifest();
  const dir = await mkdtemp(path.join(tmpdir(), 'kam-parity-smoke-'));
  try {
    const pkiDir = path.join(dir, 'pki');
    await loadOrInitPki(pkiDir);
    const tokenFile = path.join(dir, 'tokens.csv');
    await writeFile(tokenFile, `${TOKEN},smoke-user,smoke-uid\n`, { mode: 0o600 });

    const started = Date.now();
    const server = await startReference({ pkiDir, tokenFile, authorizationMode: 'RBAC', anonymousAuth: false, manifest });
    process.stderr.write(`parity:smoke: kube-apiserver ${manifest.versions.kubernetes} ready at ${server.url} in ${((Date.now() - started) / 1000).toFixed(1)} s (etcd ${manifest.versions.etcd} at ${server.etcdUrl})\n`);
    try {
      // KUBECONFIG at an empty file: the caller's kubeconfig must not add credentials or a context.
      const emptyKubeconfig = path.join(dir, 'empty.kubeconfig');
      await writeFile(emptyKubeconfig, '');
      const { stdout } = await promisify(execFile)(
        manifest.kubectl,
        [`--server=${server.url}`, `--certificate-authority=${server.caFile}`, `--token=${TOKEN}`, 'get', '--raw', '/version'],
        { env: { ...process.env, KUBECONFIG: emptyKubeconfig } },
      );
      process.stderr.write(`parity:smoke: kubectl ${manifest.versions.kubectl} get --raw /version with the static token:\n`);
      process.stdout.write(`${stdout.trimEnd()}\n`);
    } finally {
      await server.stop();
    }
    process.stderr.write('parity:smoke: stopped etcd and kube-apiserver\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`parity:smoke: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
