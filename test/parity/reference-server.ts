// Starts the reference: etcd and the real kube-apiserver built by `npm run parity:build`, on loopback, on
// free ports, in process groups of their own; resolves once /readyz answers ok, and stop() takes everything down
// (both process groups, the temporary folder with etcd's data). Used by the parity recorder and the smoke script.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readManifest, type ParityManifest } from './manifest.js';

export interface StartReferenceOptions {
  /**
   * A PKI folder with kubeadm's file names (what src/pki's loadOrInitPki writes): ca.crt, apiserver.crt,
   * apiserver.key, sa.key, sa.pub, and admin.crt/admin.key (a system:masters client, used to ask /readyz).
   */
  pkiDir: string;
  /** A --token-auth-file (token,user,uid,"group1,group2"). */
  tokenFile: string;
  /** --authorization-mode, e.g. 'RBAC' or 'Node,RBAC'. */
  authorizationMode: string;
  anonymousAuth: boolean;
  /** More kube-apiserver flags, appended last so that they win over ours. */
  extraFlags?: readonly string[];
  /** The binaries; read from the parity cache's manifest.json when omitted. */
  manifest?: ParityManifest;
  /** How long to wait for etcd and kube-apiserver to become ready before giving up (default 180 s). */
  readyTimeoutMs?: number;
  /** Every line either process prints, for callers that want to see or keep the logs. */
  onLog?: (source: 'etcd' | 'kube-apiserver', line: string) => void;
}

export interface ReferenceServer {
  /** https://127.0.0.1:PORT */
  url: string;
  /** The CA that signed the serving certificate (pkiDir/ca.crt). */
  caFile: string;
  etcdUrl: string;
  stop(): Promise<void>;
}

const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local'; // kubeadm's default
const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12'; // kubeadm's default
const LOG_TAIL_LINES = 60;
const STOP_GRACE_MS = 20_000;
const POLL_INTERVAL_MS = 100;

/** Process groups still running, killed if this process exits or is interrupted without stopping them. */
const running = new Set<number>();
/** Temporary folders of servers not yet stopped, removed with them. */
const workDirs = new Set<string>();
let exitHooksInstalled = false;
function killAll(): void {
  for (const group of running) killGroup(group, 'SIGKILL');
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
}
function track(pid: number): void {
  running.add(pid);
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once('exit', killAll);
  // The groups are detached, so a Ctrl-C reaches only us: take them down, then die of the same signal.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A port free at the time of asking; a clash with another process is caught by the retry in startReference. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Proc {
  name: 'etcd' | 'kube-apiserver';
  child: ChildProcess;
  pid: number;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

function launch(name: Proc['name'], binary: string, args: string[], onLog: StartReferenceOptions['onLog']): Proc {
  // detached: a process group of its own, so that stop() can signal the whole group, whatever it forks.
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name} (${binary}) could not be started`);
  const proc: Proc = {
    name,
    child,
    pid: child.pid,
    lines: [],
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  void proc.exited.then((e) => {
    proc.exit = e;
    running.delete(proc.pid);
  });
  track(proc.pid);
  let partial = '';
  const onData = (d: Buffer): void => {
    const text = partial + d.toString();
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      proc.lines.push(line);
      if (proc.lines.length > LOG_TAIL_LINES) proc.lines.shift();
      onLog?.(name, line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('error', (err) => proc.lines.push(`spawn error: ${err.message}`));
  return proc;
}

async function stopProc(proc: Proc): Promise<void> {
  if (proc.exit !== undefined) return;
  killGroup(proc.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const escalated = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      killGroup(proc.pid, 'SIGKILL');
      resolve();
    }, STOP_GRACE_MS);
  });
  await Promise.race([proc.exited, escalated]);
  await proc.exited;
  clearTimeout(timer);
  // The leader is gone; anything left in its group goes too.
  killGroup(proc.pid, 'SIGKILL');
}

/** One GET; resolves with the status, or undefined while nothing answers. */
function probe(url: string, tls?: { ca: Buffer; cert: Buffer; key: Buffer }): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const options = tls !== undefined ? { ca: tls.ca, cert: tls.cert, key: tls.key, timeout: 5000 } : { timeout: 5000 };
    const req = (url.startsWith('https:') ? https : http).get(url, options, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

class EarlyExit extends Error {}

/** Polls url until it answers 200, failing at once if the process exits and at the deadline otherwise. */
async function waitReady(proc: Proc, url: string, deadline: number, tls?: { ca: Buffer; cert: Buffer; key: Buffer }): Promise<void> {
  let last = 'no answer';
  for (;;) {
    if (proc.exit !== undefined) throw new EarlyExit(`${proc.name} exited (${proc.exit.code ?? proc.exit.signal}) before ${url} answered`);
    const answer = await probe(url, tls);
    if (answer?.status === 200) return;
    if (answer !== undefined) last = `${answer.status} ${answer.body.trim().split('\n').filter((l) => l.includes('failed')).join('; ').slice(0, 300)}`;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in time (last: ${last})`);
    // Wait for the next poll or for the process to exit, whichever comes first.
    await Promise.race([new Promise((r) => setTimeout(r, POLL_INTERVAL_MS)), proc.exited]);
  }
}

function tailOf(proc: Proc): string {
  return proc.lines.map((l) => `  ${proc.name}: ${l}`).join('\n');
}

async function startOnce(opts: StartReferenceOptions, manifest: ParityManifest): Promise<ReferenceServer> {
  const pki = (name: string): string => path.resolve(opts.pkiDir, name);
  for (const name of ['ca.crt', 'apiserver.crt', 'apiserver.key', 'sa.key', 'sa.pub', 'admin.crt', 'admin.key']) {
    if (!existsSync(pki(name))) throw new Error(`startReference: ${pki(name)} is missing (pkiDir needs kubeadm's file names)`);
  }
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 180_000);
  const work = await mkdtemp(path.join(tmpdir(), 'kam-parity-'));
  workDirs.add(work);
  const [clientPort, peerPort, securePort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const procs: Proc[] = [];
  const stop = async (): Promise<void> => {
    // kube-apiserver first: it would only log etcd's absence if etcd went first.
    for (const proc of [...procs].reverse()) await stopProc(proc);
    await rm(work, { recursive: true, force: true });
    workDirs.delete(work);
  };
  try {
    const etcd = launch(
      'etcd',
      manifest.etcd,
      [
        '--name=reference',
        `--data-dir=${path.join(work, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=reference=${peerUrl}`,
        // A throwaway data dir: durability buys nothing and fsync costs seconds per run.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      opts.onLog,
    );
    procs.push(etcd);
    await waitReady(etcd, `${etcdUrl}/health`, deadline);

    const apiserver = launch(
      'kube-apiserver',
      manifest.kubeApiserver,
      [
        '--bind-address=127.0.0.1',
        `--secure-port=${securePort}`,
        `--etcd-servers=${etcdUrl}`,
        `--client-ca-file=${pki('ca.crt')}`,
        `--tls-cert-file=${pki('apiserver.crt')}`,
        `--tls-private-key-file=${pki('apiserver.key')}`,
        `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
        `--service-account-key-file=${pki('sa.pub')}`,
        `--service-account-signing-key-file=${pki('sa.key')}`,
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        `--token-auth-file=${path.resolve(opts.tokenFile)}`,
        `--authorization-mode=${opts.authorizationMode}`,
        `--anonymous-auth=${opts.anonymousAuth}`,
        ...(opts.extraFlags ?? []),
      ],
      opts.onLog,
    );
    procs.push(apiserver);
    const [ca, cert, key] = await Promise.all([readFile(pki('ca.crt')), readFile(pki('admin.crt')), readFile(pki('admin.key'))]);
    const url = `https://127.0.0.1:${securePort}`;
    // /readyz turns 200 only after the post-start hooks, RBAC's bootstrap policy among them, have run.
    await waitReady(apiserver, `${url}/readyz`, deadline, { ca, cert, key });
    return { url, caFile: pki('ca.crt'), etcdUrl, stop };
  } catch (err) {
    const tails = procs.map(tailOf).join('\n');
    await stop();
    const message = err instanceof Error ? err.message : String(err);
    const wrapped = err instanceof EarlyExit ? new EarlyExit(`${message}\n${tails}`) : new Error(`${message}\n${tails}`);
    throw wrapped;
  }
}

/** Starts etcd and kube-apiserver; retries with new ports when another process took one of ours meanwhile. */
export async function startReference(opts: StartReferenceOptions): Promise<ReferenceServer> {
  const manifest = opts.manifest ?? (await readManifest());
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts, manifest);
    } catch (err) {
      const portClash = err instanceof EarlyExit && /address already in use/.test(err.message);
      if (!portClash || attempt >= 3) throw err;
    }
  }
}
