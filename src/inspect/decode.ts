// Certificates, keys and CSRs out of PEM text or DER bytes, with the objects the checks need beside the report items.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { DerError } from '../authn/der.js';
import { certificateFromDer, certificateItems } from './certificate.js';
import { csrFromDer } from './csr.js';
import { keyFromDer, privateKeyFromPem, PRIVATE_KEY_LABELS, PUBLIC_KEY_LABELS, publicKeyFromPem } from './keys.js';
import { derElements, pemBlocks } from './pem.js';
import type { Item } from './types.js';

/** What a file held: the report items in file order, and the parsed objects for the checks. */
export interface Decoded {
  items: Item[];
  certs: X509Certificate[];
  privateKeys: { position: number; key: KeyObject }[];
  publicKeys: { position: number; key: KeyObject }[];
}

const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
const OTHER_NOTES: Readonly<Record<string, string>> = {
  'EC PARAMETERS': 'the curve of the EC key that follows (openssl ecparam writes it); Go skips it',
  'X509 CRL': 'a certificate revocation list; kube-apiserver does not read CRLs',
  'TRUSTED CERTIFICATE': 'an OpenSSL "trusted certificate" with trust settings; Go does not read this label',
};

/** Certificates, keys and CSRs of a PEM text, in order. Throws (PemError or Error) with a one-line reason. */
export function decodePem(text: string, now: Date): Decoded {
  const out: Decoded = { items: [], certs: [], privateKeys: [], publicKeys: [] };
  const certs: { position: number; cert: X509Certificate }[] = [];
  const slots: (Item | 'cert')[] = [];
  pemBlocks(text).forEach((block, i) => {
    const position = i + 1;
    const where = (reason: string): Error => new Error(`PEM block ${position}: ${reason}`);
    try {
      if (block.label === 'CERTIFICATE') {
        certs.push({ position, cert: certificateFromDer(block.der) });
        slots.push('cert');
      } else if (PRIVATE_KEY_LABELS.has(block.label)) {
        const { item, key } = privateKeyFromPem(position, block.label, block.headers, block.der);
        if (key) out.privateKeys.push({ position, key });
        slots.push(item);
      } else if (PUBLIC_KEY_LABELS.has(block.label)) {
        const { item, key } = publicKeyFromPem(position, block.label, block.der);
        out.publicKeys.push({ position, key });
        slots.push(item);
      } else if (CSR_LABELS.has(block.label)) {
        slots.push(readCsr(position, block.der));
      } else {
        slots.push({ kind: 'other', position, label: block.label, note: OTHER_NOTES[block.label] ?? 'a PEM block the inspector does not read' });
      }
    } catch (err) {
      throw where((err as Error).message);
    }
  });
  const certItems = certificateItems(certs.map((c) => c.cert), now, certs.map((c) => c.position));
  let next = 0;
  out.items = slots.map((s) => (s === 'cert' ? certItems[next++]! : s));
  out.certs = certs.map((c) => c.cert);
  return out;
}

function readCsr(position: number, der: Buffer): Item {
  try {
    return csrFromDer(position, der);
  } catch (err) {
    if (err instanceof DerError) throw new Error(`a damaged certificate signing request (${err.message})`);
    throw err;
  }
}

/** DER certificates (one or several end to end), a DER key or a DER CSR; undefined when the bytes are not DER. */
export function decodeDer(bytes: Buffer, now: Date): Decoded | undefined {
  const elements = derElements(bytes);
  if (elements === undefined) return undefined;
  const certs: X509Certificate[] = [];
  for (const der of elements) {
    try {
      certs.push(new X509Certificate(der));
    } catch {
      break;
    }
  }
  if (certs.length === elements.length) return { items: certificateItems(certs, now), certs, privateKeys: [], publicKeys: [] };
  if (elements.length !== 1) return undefined;
  const key = keyFromDer(1, elements[0]!);
  if (key !== undefined) {
    const slot = { position: 1, key: key.key };
    return { items: [key.item], certs: [], privateKeys: key.item.kind === 'private-key' ? [slot] : [], publicKeys: key.item.kind === 'public-key' ? [slot] : [] };
  }
  try {
    return { items: [csrFromDer(1, elements[0]!)], certs: [], privateKeys: [], publicKeys: [] };
  } catch {
    return undefined;
  }
}
