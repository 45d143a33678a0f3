// RSA keys for the built-in PKI. Generation always goes through node:crypto (OpenSSL on the
// libuv threadpool, ~0.1-0.3 s per 2048-bit key) and never through node-forge's JavaScript
// keygen, which takes seconds. A small per-process pool hides even that cost from test
// processes that start many in-memory servers.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** A key pair in both forms the rest of the code needs: KeyObjects for node:crypto/TLS and PEM for files and kubeconfigs. */
export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#1 ("RSA PRIVATE KEY") for keys made here, as kubeadm writes them; whatever was on disk for loaded keys. */
  privateKeyPem: string;
  /** SPKI ("PUBLIC KEY"), the form kube-apiserver's --service-account-key-file reads. */
  publicKeyPem: string;
}

/** The modulus size kubeadm uses, and the only size the pool keeps ready. */
export const DEFAULT_KEY_BITS = 2048;

/** How many pooled keys to keep ready: one in-memory PKI takes three (CA, serving, ServiceAccount). */
const POOL_SIZE = 2;

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 1024 || bits > 16384) {
    throw new RangeError(`RSA key size must be an integer between 1024 and 16384 bits, got ${bits}`);
  }
}

function fromPems(privateKeyPem: string, publicKeyPem: string): KeyPair {
  return {
    privateKey: createPrivateKey(privateKeyPem),
    publicKey: createPublicKey(publicKeyPem),
    privateKeyPem,
    publicKeyPem,
  };
}

/** Generates a fresh RSA key pair off the main thread; several calls at once run in parallel on the threadpool. */
export function generateRsaKey(bits: number = DEFAULT_KEY_BITS): Promise<KeyPair> {
  checkBits(bits);
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: bits,
        publicExponent: 0x10001,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      },
      (err, publicKeyPem, privateKeyPem) => {
        if (err) reject(err);
        else resolve(fromPems(privateKeyPem, publicKeyPem));
      },
    );
  });
}

/** Wraps a private key read from disk so loaded and generated keys look the same; throws if the PEM is not a private key. */
export function keyPairFromPrivateKeyPem(privateKeyPem: string): KeyPair {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    privateKeyPem,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

// --- the pool -----------------------------------------------------------------------------
//
// Background refills run in a worker thread because a pending generateKeyPair() request on
// the main thread keeps the process alive and cannot be unref'd, while a Worker can: an idle
// test process exits even if the pool is half-way through a refill. The worker is ref'd only
// while someone awaits one of its keys, so a waiter is never left behind by an exiting loop.

// Plain CommonJS run with `eval`, so it works the same from src/ under tsx and from dist/.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { generateKeyPair } = require('node:crypto');
parentPort.on('message', (bits) => {
  generateKeyPair('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }, (err, publicKeyPem, privateKeyPem) => {
    parentPort.postMessage(err ? { error: String(err && err.message) } : { privateKeyPem, publicKeyPem });
  });
});
`;

type WorkerReply = { privateKeyPem: string; publicKeyPem: string } | { error: string };

interface Waiter {
  resolve: (key: KeyPair) => void;
  /** Called when the worker cannot deliver; the waiter then generates its own key. */
  fallback: () => void;
}

const ready: KeyPair[] = [];
const waiters: Waiter[] = [];
let pending = 0;
let worker: Worker | undefined;

function refWhileWaited(): void {
  if (!worker) return;
  if (waiters.length > 0) worker.ref();
  else worker.unref();
}

function dropWorker(w: Worker): void {
  if (worker !== w) return;
  worker = undefined;
  pending = 0;
  for (const waiter of waiters.splice(0)) waiter.fallback();
}

function ensureWorker(): Worker | undefined {
  if (worker) return worker;
  let w: Worker;
  try {
    // execArgv [] keeps loaders such as tsx out of the worker: it runs plain JavaScript.
    w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], stdout: false, stderr: false });
  } catch {
    return undefined;
  }
  w.on('message', (reply: WorkerReply) => {
    pending = Math.max(0, pending - 1);
    if ('error' in reply) {
      const waiter = waiters.shift();
      waiter?.fallback();
    } else {
      const key = fromPems(reply.privateKeyPem, reply.publicKeyPem);
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(key);
      else ready.push(key);
    }
    refill();
    refWhileWaited();
  });
  w.on('error', () => dropWorker(w));
  w.on('exit', () => dropWorker(w));
  // After the listeners: adding a 'message' listener re-refs the worker's port.
  w.unref();
  worker = w;
  return w;
}

// Keys generated at once: one per core, so that a key someone waits for does not share the CPU with
// surplus pool keys (RSA keygen is all CPU); the pool fills up one batch after the other.
const IN_FLIGHT = Math.max(1, availableParallelism());

/** Asks the worker for keys until the pool will hold POOL_SIZE unclaimed ones, at most IN_FLIGHT at a time. */
function refill(): void {
  const wanted = Math.min(POOL_SIZE - (ready.length + pending - waiters.length), IN_FLIGHT - pending);
  if (wanted <= 0) return;
  const w = ensureWorker();
  if (!w) return;
  for (let i = 0; i < wanted; i++) {
    w.postMessage(DEFAULT_KEY_BITS);
    pending++;
  }
}

/** Returns a pooled key when one is ready (refilling in the background), otherwise the soonest one available; other sizes are generated on demand. */
export function takeKey(bits: number = DEFAULT_KEY_BITS): Promise<KeyPair> {
  checkBits(bits);
  if (bits !== DEFAULT_KEY_BITS) return generateRsaKey(bits);
  const key = ready.shift();
  refill();
  if (key) return Promise.resolve(key);
  // Keys already being generated for the pool are not yet promised to anyone: wait for one
  // rather than start another and compete with the refill for the CPU.
  if (worker && pending > waiters.length) {
    return new Promise((resolve, reject) => {
      waiters.push({
        resolve,
        fallback: () => generateRsaKey(bits).then(resolve, reject),
      });
      refWhileWaited();
      // This claim used up an unpromised key: top the pool up again.
      refill();
    });
  }
  return generateRsaKey(bits);
}
