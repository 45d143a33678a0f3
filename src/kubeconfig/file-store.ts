// The token and password files `kube-auth-mock kubeconfig` mints into. One line per user and kind: minting a
// user again replaces that user's line (its old secret stops working once the server re-reads the file), so a
// file never gathers several live secrets for one user. Every other line is kept byte for byte.
import { randomBytes } from 'node:crypto';
import { open, readFile, realpath, rename, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseCsvRecords } from '../authn/csv-records.js';
import { staticUserLine } from '../authn/static-users.js';
import { issueClient, type Pki } from '../pki/index.js';
import { clientCertOptions, type IdentityStore } from './mint.js';

/**
 * The file's text with `line` as the only record for user `name`: it takes the place of the user's first record
 * (kube's column 2, after encoding/csv's TrimLeadingSpace, as tokenfile.go reads it), the user's other records
 * are dropped, and when the user had none it is appended (after a newline if the text lacked a final one).
 * Lines of other users are kept byte for byte, including lines starting with '#': kube's reader sets no
 * Comment rune, so those are records like any other. A file kube could not parse is a ConfigError naming it.
 */
export function replaceUserLine(text: string, file: string, name: string, line: string): string {
  const lines = text.split(/(?<=\n)/);
  const drop = new Set<number>();
  let at: number | undefined;
  for (const record of parseCsvRecords(text, file)) {
    if (record.fields[1] !== name) continue;
    const first = record.line - 1;
    const last = first + record.fields.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    for (let i = first; i <= last; i++) drop.add(i);
    at ??= first;
  }
  if (at === undefined) return text + (text !== '' && !text.endsWith('\n') ? '\n' : '') + line;
  return lines.map((l, i) => (i === at ? line : drop.has(i) ? '' : l)).join('');
}

/**
 * Records `line` as user `name`'s only line in a token or password file: read, replace, then write a temp file
 * (0600: it holds secrets) and rename it over the file, so the server never reads a half-written file. Writers
 * are serialized by a lock file next to it (O_EXCL), across processes too: two mints of different users at once
 * both keep their lines.
 */
export async function putSecretLine(file: string, name: string, line: string): Promise<void> {
  // Queued by the path as given, before any await, so one process's mints land in the order they were asked.
  await queued(resolve(file), async () => {
    const target = await realpath(file).catch(() => file);
    await withLockFile(target, async () => {
      let existing = '';
      try {
        existing = await readFile(target, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(tmp, replaceUserLine(existing, file, name, line), { mode: 0o600, flag: 'wx' });
        await chmod(tmp, 0o600);
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    });
  });
}

/** In-process writers queue per file, so they never poll the lock file against each other. */
const queues = new Map<string, Promise<void>>();

/** A lock older than this is left by a writer that died (a write takes milliseconds): taken over. */
const STALE_LOCK_MS = 10_000;
const LOCK_GIVE_UP_MS = 30_000;

async function queued(file: string, fn: () => Promise<void>): Promise<void> {
  const previous = queues.get(file) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(fn);
  queues.set(file, run);
  try {
    await run;
  } finally {
    if (queues.get(file) === run) queues.delete(file);
  }
}

async function withLockFile(file: string, fn: () => Promise<void>): Promise<void> {
  const lock = `${file}.lock`;
  const started = Date.now();
  for (;;) {
    try {
      await (await open(lock, 'wx', 0o600)).close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() - started > LOCK_GIVE_UP_MS) throw new Error(`${lock}: held by another writer for ${LOCK_GIVE_UP_MS / 1000}s; remove it if no kube-auth-mock is minting`);
      await delay(20); // another process is writing: it holds the lock for milliseconds.
    }
  }
  try {
    await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/** An identity store over files: the PKI's CA, and the token and password files the server watches. */
export function fileIdentityStore(pki: Pki, files: { tokenFile: string; passwordFile: string }): IdentityStore {
  return {
    issueClientCertificate: async (user) => issueClient(pki, clientCertOptions(user)),
    addToken: (token, user) => putSecretLine(files.tokenFile, user.name, staticUserLine(token, user)),
    addPassword: (password, user) => putSecretLine(files.passwordFile, user.name, staticUserLine(password, user)),
  };
}
