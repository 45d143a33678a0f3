// The certificate inspector's public surface: the typed report (inspectInput), its text (renderInspectReport), and
// describeCertificatePem for the live view, which shows one certificate or chain when it is clicked.
import { decodePem } from './decode.js';
import { PemError } from './pem.js';
import { renderItem } from './render.js';

export { inspectInput, type InspectOptions } from './inspect.js';
export { renderInspectReport } from './render.js';
export { MAX_INPUT_BYTES, readFailure, readFileLimited, readStreamLimited } from './read-limited.js';
export { durationWords, relativeWords, validity, type Validity, type ValidityState } from './time-words.js';
export type * from './types.js';

/**
 * The text explanation of the certificates in a PEM text (one, or a chain): every field in words and what
 * kube-apiserver would make of the leaf as a client certificate. A PEM that holds no certificate, or a damaged one,
 * is one line saying so; it never throws.
 */
export function describeCertificatePem(pem: string, now: Date = new Date()): string {
  try {
    const decoded = decodePem(pem, now);
    const certs = decoded.items.filter((i) => i.kind === 'certificate');
    if (certs.length === 0) return 'not a certificate: the PEM holds no CERTIFICATE block\n';
    return `${certs.flatMap((c) => renderItem('', c)).join('\n')}\n`;
  } catch (err) {
    if (err instanceof PemError || err instanceof Error) return `not a certificate: ${err.message}\n`;
    throw err;
  }
}
