// Runs kubectl scenarios against a server, reference or mock alike: kubeconfigs for the set-up's identities
// written once, each command run with a fresh cache folder and a bare environment, its output normalised line by
// line; and the snapshots' files and their comparison. Shared by the recorder and the replay.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderKubeconfig } from '../../src/index.js';
import { newestKubectl } from '../helpers/clients.js';
import { send } from './client.js';
import type { Difference } from './compare.js';
import { KUBECTL_IDENTITIES, kubectlScenarioId, type KubectlCommand, type KubectlIdentity, type KubectlScenario } from './kubectl-scenario.js';
import type { ParityTarget } from './run.js';
import type { JsonValue, UnrecordedRequest } from './scenario.js';

/** One kubectl the scenarios run: its minor version ("1.33"), the snapshots' folder name, and its binary. */
export interface ParityKubectl {
  version: string;
  path: string;
}

/** The gcloud SDK's release the scenarios are recorded with, beside the real kubectl on PATH. */
const GCLOUD_KUBECTL = 'kubectl.1.33';

/**
 * kubectl 1.33 (the gcloud SDK's kubectl.1.33 beside the real kubectl) and kubectl of the newest release (built
 * by `npm run parity:build -- kubectl`). Either missing is an error: the replay never skips a client.
 */
export function parityKubectls(): ParityKubectl[] {
  const real = realpathSync(execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim());
  const gcloud = join(dirname(real), GCLOUD_KUBECTL);
  if (!existsSync(gcloud)) {
    const there = readdirSync(dirname(real)).filter((f) => /^kubectl\.1\.\d+$/.test(f));
    throw new Error(`${gcloud} is missing (beside ${real}: ${there.join(', ') || 'no kubectl.1.NN'}): install the gcloud SDK's kubectl versions`);
  }
  const newest = newestKubectl();
  return [
    { version: GCLOUD_KUBECTL.slice('kubectl.'.length), path: gcloud },
    { version: newest.name.slice('kubectl.'.length), path: newest.path },
  ];
}

/** Where kubectl runs: a temporary folder holding the kubeconfigs, the caches and a HOME of its own. */
export interface KubectlWorkspace {
  dir: string;
  target: ParityTarget;
  kubeconfigs: Readonly<Record<KubectlIdentity, string>>;
  /** removes the folder */
  remove(): Promise<void>;
}

/** Writes one kubeconfig per identity for `target` (CA and credentials embedded) into a fresh temporary folder. */
export async function createKubectlWorkspace(target: ParityTarget): Promise<KubectlWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'kam-parity-kubectl-'));
  const kubeconfigs = {} as Record<KubectlIdentity, string>;
  for (const as of KUBECTL_IDENTITIES) {
    const credential = target.identities[as];
    const credentials = credential.cert !== undefined ? { kind: 'cert' as const, ...credential.cert } : { kind: 'token' as const, token: credential.token ?? '' };
    const file = join(dir, `${as}.kubeconfig`);
    // One cluster and context name for every identity: kubectl prints neither, but they should not vary anyway.
    await writeFile(file, renderKubeconfig({ server: target.url, caPem: target.caPem, userName: as, credentials, clusterName: 'parity' }), { mode: 0o600 });
    kubeconfigs[as] = file;
  }
  return { dir, target, kubeconfigs, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A command's result as a snapshot keeps it: exit code and both streams, line by line, normalised. */
export interface KubectlResult {
  exitCode: number;
  stdout: string[];
  stderr: string[];
}

/** The command as a snapshot shows it: enough to review it, and to notice a scenario edited since recording. */
export interface KubectlCommandSummary {
  as: KubectlIdentity;
  args: string[];
  stdin?: string;
}

/** One snapshot file: test/parity/snapshots/kubectl/<kubectl version>/<name>.json. */
export interface KubectlSnapshot {
  scenario: string;
  description: string;
  /** the kubectl minor version, the snapshot's folder */
  kubectl: string;
  commands: { command: KubectlCommandSummary; result: KubectlResult }[];
}

const KUBECTL_TIMEOUT_MS = 60_000;
let runs = 0;

/** Runs kubectl with a bare environment (HOME in the workspace, so no kuberc or ~/.kube is read); resolves with the raw result. */
function runKubectl(kubectl: ParityKubectl, ws: KubectlWorkspace, cmd: KubectlCommand): Promise<{ code: number; stdout: string; stderr: string }> {
  const cacheDir = join(ws.dir, `cache-${++runs}`);
  const args = ['--kubeconfig', ws.kubeconfigs[cmd.as], '--cache-dir', cacheDir, ...cmd.args];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: ws.dir, KUBECACHEDIR: cacheDir, LANG: 'C', TZ: 'UTC' };
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl.path, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), KUBECTL_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === null) reject(new Error(`kubectl.${kubectl.version} ${cmd.args.join(' ')}: killed by ${signal} (time limit ${KUBECTL_TIMEOUT_MS} ms)`));
      else resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(cmd.stdin ?? '');
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks in kubectl's text what changes from run to run and server to server without being behaviour: the
 * workspace's path, the server's address, klog's time and pid prefix, UIDs, times, resource versions,
 * certificate fingerprints, ages in tables (maskTableAges), and the versions `kubectl version` prints (client and server are
 * builds: the reference is v1.34 emulating 1.33, the mock v1.33, and gcloud's kubectl.1.33 moves its patch).
 */
export function normalizeKubectlText(text: string, ws: Pick<KubectlWorkspace, 'dir' | 'target'>): string[] {
  const server = new URL(ws.target.url);
  const lines = text
    .replace(new RegExp(escapeRegExp(ws.dir), 'g'), '<tmp>')
    .replace(new RegExp(escapeRegExp(server.host), 'g'), '<server>')
    .split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return maskTableAges(lines).map((line) =>
    line
      .replace(/^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6}\s+\d+ /, '<klog> ')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uid>')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, '<time>')
      .replace(/(resourceVersion"?:\s*)"\d+"/g, '$1"<resourceVersion>"')
      .replace(/X509SHA256=[0-9a-f]+/gi, 'X509SHA256=<fingerprint>')
      .replace(/^(Client Version|Server Version|Kustomize Version): .*$/, '$1: <version>')
      .replace(/between client \(\d+\.\d+\) and server \(\d+\.\d+\)/, 'between client (<version>) and server (<version>)'),
  );
}

/** A table's column starts: its header's words, where one space joins the words of a title ("CREATED AT"). */
function columnStarts(header: string): number[] {
  return [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => m.index);
}

/** kubectl's tabwriter (pkg/printers GetNewTabWriter): cells padded by 3 spaces to at least 6 characters. */
function layOut(rows: readonly string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(6, ...rows.map((r) => r[i]!.length + 3)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('').trimEnd());
}

function cellsOf(lines: readonly string[]): string[][] {
  const starts = columnStarts(lines[0] ?? '');
  return lines.map((line) => starts.map((start, i) => line.slice(start, starts[i + 1] ?? line.length).trim()));
}

/**
 * A table (header first) whose rows were filtered, laid out again as kubectl would lay out those rows alone:
 * column widths come from every row printed, so rows the scenario leaves out (the real server's other
 * resources) must not widen the columns. Trailing spaces are dropped.
 */
export function realignTable(lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : layOut(cellsOf(lines));
}

const AGE = /^(\d+[smhdy](\d+[smh])?|<invalid>)$/;

/**
 * A kubectl table with an AGE column gets `<age>` in it and is laid out again: an age's width ("9s", "119s")
 * sets the column's width, which would otherwise shift the columns after it from run to run.
 */
function maskTableAges(lines: string[]): string[] {
  const header = lines[0];
  if (header === undefined || !/^NAME\b/.test(header)) return lines;
  const titles: string[] = header.match(/\S+(?: \S+)*/g) ?? [];
  const age = titles.indexOf('AGE');
  if (age < 0) return lines;
  const rows = cellsOf(lines).map((r, n) => (n > 0 && AGE.test(r[age]!) ? r.map((c, i) => (i === age ? '<age>' : c)) : r));
  return layOut(rows);
}

function describeFailure(what: string, req: UnrecordedRequest, status: number, body: Buffer): Error {
  return new Error(`${what} ${req.method} ${req.path} as ${req.as}: ${status} ${body.toString('utf8').slice(0, 500)}`);
}

/** Runs one scenario with one kubectl: set-up (must succeed), the commands, clean-up (always, statuses ignored). */
export async function runKubectlScenario(ws: KubectlWorkspace, kubectl: ParityKubectl, scenario: KubectlScenario): Promise<KubectlSnapshot> {
  const id = kubectlScenarioId(scenario);
  const { target } = ws;
  const commands: KubectlSnapshot['commands'] = [];
  try {
    for (const req of scenario.setup ?? []) {
      const res = await send(target.url, target.caPem, target.identities[req.as], req);
      const ok = req.okStatuses ? req.okStatuses.includes(res.status) : res.status >= 200 && res.status < 300;
      if (!ok) throw describeFailure(`${id}: set-up`, req, res.status, res.body);
    }
    for (const cmd of scenario.commands) {
      const raw = await runKubectl(kubectl, ws, cmd);
      let stdout = normalizeKubectlText(raw.stdout, ws);
      if (cmd.keepStdout) stdout = realignTable(stdout.filter(cmd.keepStdout));
      const command: KubectlCommandSummary = { as: cmd.as, args: [...cmd.args] };
      if (cmd.stdin !== undefined) command.stdin = cmd.stdin;
      commands.push({ command, result: { exitCode: raw.code, stdout, stderr: normalizeKubectlText(raw.stderr, ws) } });
    }
  } finally {
    for (const req of scenario.cleanup ?? []) await send(target.url, target.caPem, target.identities[req.as], req).catch(() => undefined);
  }
  return { scenario: id, description: scenario.description, kubectl: kubectl.version, commands };
}

export const KUBECTL_SNAPSHOT_DIR = fileURLToPath(new URL('./snapshots/kubectl/', import.meta.url));

export function kubectlSnapshotFile(version: string, name: string): string {
  return join(KUBECTL_SNAPSHOT_DIR, version, `${name}.json`);
}

export async function readKubectlSnapshot(version: string, name: string): Promise<KubectlSnapshot | undefined> {
  const file = kubectlSnapshotFile(version, name);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as KubectlSnapshot;
}

export async function writeKubectlSnapshot(snapshot: KubectlSnapshot): Promise<void> {
  const file = kubectlSnapshotFile(snapshot.kubectl, snapshot.scenario.slice(snapshot.scenario.indexOf('/') + 1));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(snapshot, null, 2)}\n`);
}

/** Every `<version>/<name>` that has a snapshot file. */
export async function listKubectlSnapshots(): Promise<string[]> {
  if (!existsSync(KUBECTL_SNAPSHOT_DIR)) return [];
  const out: string[] = [];
  for (const version of await readdir(KUBECTL_SNAPSHOT_DIR, { withFileTypes: true })) {
    if (!version.isDirectory()) continue;
    for (const f of await readdir(join(KUBECTL_SNAPSHOT_DIR, version.name))) if (f.endsWith('.json')) out.push(`${version.name}/${f.slice(0, -'.json'.length)}`);
  }
  return out.sort();
}

function diffLines(expected: readonly string[], actual: readonly string[], path: string, out: Difference[]): void {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    if (expected[i] !== actual[i]) out.push({ path: `${path}[${i}]`, expected: expected[i], actual: actual[i], kind: 'value' });
  }
}

/** Every difference, line by line, between a snapshot (kube-apiserver) and the mock's run of the same scenario. */
export function compareKubectlSnapshots(expected: KubectlSnapshot, actual: KubectlSnapshot): Difference[] {
  const out: Difference[] = [];
  for (let i = 0; i < Math.max(expected.commands.length, actual.commands.length); i++) {
    const e = expected.commands[i];
    const a = actual.commands[i];
    const at = `commands[${i}]`;
    if (e === undefined || a === undefined || JSON.stringify(e.command) !== JSON.stringify(a.command)) {
      out.push({ path: `${at}.command`, expected: (e?.command as unknown as JsonValue) ?? undefined, actual: (a?.command as unknown as JsonValue) ?? undefined, kind: 'scenario-changed' });
      continue;
    }
    if (e.result.exitCode !== a.result.exitCode) out.push({ path: `${at}.exitCode`, expected: e.result.exitCode, actual: a.result.exitCode, kind: 'value' });
    diffLines(e.result.stdout, a.result.stdout, `${at}.stdout`, out);
    diffLines(e.result.stderr, a.result.stderr, `${at}.stderr`, out);
  }
  return out;
}
