// The demo identities a first start creates in the PKI folder: one per way of authenticating.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify, YAMLError } from 'yaml';
import { renderKubeconfig, type KubeconfigCredentials } from '../kubeconfig/kubeconfig.js';
import { putSecretLine } from '../kubeconfig/file-store.js';
import { randomSecret } from '../kubeconfig/mint.js';
import { staticUserLine } from '../authn/static-users.js';
import { ConfigError } from '../util/errors.js';
import { ADMIN_IDENTITY, type StoredPki } from '../pki/index.js';
import { isRecord } from '../apimachinery/json-value.js';

/** The files beside kubeadm's PKI files that hold the static users, named after the flags that read them. */
export const AUTH_FILE_NAMES = Object.freeze({ tokenFile: 'token-auth-file.csv', passwordFile: 'basic-auth-file.csv', kubeconfigDir: 'kubeconfigs' });

/** A demo identity, as the start-up table shows it. */
export interface DemoIdentity {
  user: string;
  groups: readonly string[];
  how: string;
  kubeconfig: string;
}

const TOKEN_DEMO = { name: 'alice', uid: 'alice', groups: ['developers'] };
const BASIC_DEMO = { name: 'bob', uid: 'bob', groups: ['testers'] };

/** The demo identities of a PKI folder, their secrets in the token and password files, their kubeconfigs not yet written. */
export interface PreparedDemoIdentities {
  readonly identities: readonly DemoIdentity[];
  /**
   * Writes the kubeconfigs that are missing and points every kubeconfig in the folder at the server. Called once
   * the server answers: a start-up that fails later must not leave them naming a port where nothing listens.
   */
  publish(server: string): Promise<void>;
}

/**
 * Makes sure the demo identities exist: the token and password files get their demo user on first start
 * (never rewritten later), and each kubeconfig in pki/kubeconfigs is written once, then only has its
 * server URL brought up to date, so a restart on another port keeps them working.
 */
export async function ensureDemoIdentities(pki: StoredPki, server: string): Promise<DemoIdentity[]> {
  const prepared = await prepareDemoIdentities(pki);
  await prepared.publish(server);
  return [...prepared.identities];
}

/**
 * The first half of ensureDemoIdentities, for a server still starting: the secrets go into the files the
 * authenticators are about to read, and every kubeconfig already in the folder is checked to parse.
 */
export async function prepareDemoIdentities(pki: StoredPki): Promise<PreparedDemoIdentities> {
  const tokenFile = join(pki.dir, AUTH_FILE_NAMES.tokenFile);
  const passwordFile = join(pki.dir, AUTH_FILE_NAMES.passwordFile);
  const kubeconfigDir = join(pki.dir, AUTH_FILE_NAMES.kubeconfigDir);
  try {
    await ensurePrivateDir(kubeconfigDir);
  } catch (err) {
    throw new ConfigError({ file: kubeconfigDir, reason: `cannot create the kubeconfig folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'FILE_UNREADABLE' });
  }
  const demos: { user: typeof TOKEN_DEMO; how: string; file: string; credentials: () => Promise<KubeconfigCredentials> }[] = [
    {
      user: { name: ADMIN_IDENTITY.user, uid: '', groups: [...ADMIN_IDENTITY.groups] },
      how: `client certificate (${pki.dir}/admin.crt)`,
      file: join(kubeconfigDir, 'admin.kubeconfig'),
      credentials: async () => ({ kind: 'cert', certPem: pki.admin.certPem, keyPem: pki.admin.keyPem }),
    },
    {
      user: TOKEN_DEMO,
      how: `bearer token (${tokenFile})`,
      file: join(kubeconfigDir, `${TOKEN_DEMO.name}.kubeconfig`),
      credentials: async () => {
        const token = randomSecret();
        await putSecretLine(tokenFile, TOKEN_DEMO.name, staticUserLine(token, TOKEN_DEMO));
        return { kind: 'token', token };
      },
    },
    {
      user: BASIC_DEMO,
      how: `basic auth (${passwordFile})`,
      file: join(kubeconfigDir, `${BASIC_DEMO.name}.kubeconfig`),
      credentials: async () => {
        const password = randomSecret(18);
        await putSecretLine(passwordFile, BASIC_DEMO.name, staticUserLine(password, BASIC_DEMO));
        return { kind: 'basic', username: BASIC_DEMO.name, password };
      },
    },
  ];
  await readKubeconfigs(kubeconfigDir);
  const missing: { demo: (typeof demos)[number]; credentials: KubeconfigCredentials }[] = [];
  for (const demo of demos) {
    if (!existsSync(demo.file)) missing.push({ demo, credentials: await demo.credentials() });
  }
  return {
    identities: demos.map((d) => ({ user: d.user.name, groups: d.user.groups, how: d.how, kubeconfig: d.file })),
    async publish(server) {
      // Read and check every file before writing any, so that a broken one leaves all of them as they were.
      const existing = await readKubeconfigs(kubeconfigDir);
      for (const { demo, credentials } of missing) {
        await writeFile(demo.file, renderKubeconfig({ server, caPem: pki.ca.certPem, userName: demo.user.name, credentials }), { mode: 0o600 });
      }
      await pointKubeconfigsAt(existing, server);
    },
  };
}

/** Folder of credentials (kubeconfigs hold keys, tokens and passwords): 0700 whatever the umask, tightened if an older start left it open. */
const PRIVATE_DIR_MODE = 0o700;

async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (((await stat(dir)).mode & 0o077) !== 0) await chmod(dir, PRIVATE_DIR_MODE);
}

type ParsedKubeconfig = ReturnType<typeof parseKubeconfig> & { file: string };

/** Every *.kubeconfig in the folder, parsed; a file it cannot read or parse stops start-up naming it. */
async function readKubeconfigs(dir: string): Promise<ParsedKubeconfig[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw unreadable(dir, err);
  }
  const parsed: ParsedKubeconfig[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.kubeconfig')) continue;
    const file = join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw unreadable(file, err);
    }
    parsed.push({ file, ...parseKubeconfig(file, text) });
  }
  return parsed;
}

/** Rewrites the server URL of every kubeconfig that points elsewhere. */
async function pointKubeconfigsAt(kubeconfigs: readonly ParsedKubeconfig[], server: string): Promise<void> {
  for (const doc of kubeconfigs) {
    let changed = false;
    for (const entry of doc.clusters) {
      if (entry.cluster.server !== server) {
        entry.cluster.server = server;
        changed = true;
      }
    }
    if (changed) await writeFile(doc.file, stringify(doc.raw), { mode: 0o600 });
  }
}

function unreadable(file: string, err: unknown): ConfigError {
  return new ConfigError({ file, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, code: 'FILE_UNREADABLE' });
}

/**
 * A kubeconfig's clusters, in client-go's shape (clientcmd/api/v1 types.go: clusters is a list of
 * {name, cluster: {server, ...}}); a file that is not YAML, or not that shape, is a ConfigError naming it.
 */
function parseKubeconfig(file: string, text: string): { raw: unknown; clusters: { cluster: { server?: unknown } }[] } {
  const fail = (reason: string, line?: number): never => {
    throw new ConfigError({ file, reason, code: 'KUBECONFIG_INVALID', ...(line !== undefined ? { line } : {}) });
  };
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 100 }) as unknown;
  } catch (err) {
    // The yaml package throws a ReferenceError for a billion laughs; go-yaml's words for it (decode.go).
    if (err instanceof ReferenceError && /alias/i.test(err.message)) return fail('invalid kubeconfig: yaml: document contains excessive aliasing');
    const pos = err instanceof YAMLError ? err.linePos?.[0] : undefined;
    const reason = ((err as Error).message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    return fail(`invalid kubeconfig: ${reason}${pos ? ` (column ${pos.col})` : ''}`, pos?.line);
  }
  if (raw === null || raw === undefined) return { raw, clusters: [] };
  if (!isRecord(raw)) return fail('invalid kubeconfig: not a YAML mapping');
  const clusters = raw.clusters ?? [];
  if (!Array.isArray(clusters)) return fail('invalid kubeconfig: clusters is not a list');
  clusters.forEach((entry, i) => {
    if (!isRecord(entry) || (entry.cluster !== undefined && entry.cluster !== null && !isRecord(entry.cluster))) fail(`invalid kubeconfig: clusters[${i}] is not a named cluster`);
  });
  return { raw, clusters: (clusters as { cluster?: { server?: unknown } }[]).filter((e): e is { cluster: { server?: unknown } } => isRecord(e.cluster)) };
}

/** Token and password files to use when the flags name none: the ones in the PKI folder. */
export function defaultAuthFiles(pkiDir: string): { tokenFile: string; passwordFile: string } {
  return { tokenFile: join(pkiDir, AUTH_FILE_NAMES.tokenFile), passwordFile: join(pkiDir, AUTH_FILE_NAMES.passwordFile) };
}
