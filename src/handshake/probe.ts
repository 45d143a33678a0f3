// Did the server ask for a client certificate? Node's TLS client has no hook for the CertificateRequest message,
// so a second, throw-away connection is made in a child node process with OpenSSL's message trace on
// (TLSSocket.enableTrace writes to the process's stderr, which only a child lets us read), and the trace is
// searched for the message. The probe sends no certificate and no request.
import { execFile } from 'node:child_process';

/** The probe child: connects, completes the handshake, says so on stdout, closes. */
const PROBE = `
const tls = require('node:tls');
const [host, port, servername] = process.argv.slice(1);
const s = tls.connect({ host, port: Number(port), ...(servername ? { servername } : {}), rejectUnauthorized: false, minVersion: 'TLSv1.2', ALPNProtocols: ['h2', 'http/1.1'] }, () => {
  process.stdout.write('HANDSHAKE-DONE\\n');
  s.end();
});
s.enableTrace();
s.on('error', (e) => process.stdout.write('HANDSHAKE-ERROR ' + e.message + '\\n'));
s.setTimeout(10000, () => s.destroy());
`;

/** true: a CertificateRequest was seen; false: the handshake completed without one; undefined: could not tell. */
export function serverRequestsClientCertificate(address: string, port: number, servername: string): Promise<boolean | undefined> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, ['-e', PROBE, address, String(port), servername], { timeout: 15_000, maxBuffer: 8 * 1024 * 1024 }, (_err, stdout, stderr) => {
      const text = String(stderr);
      if (/\bCertificateRequest\b/.test(text)) resolvePromise(true);
      else resolvePromise(String(stdout).includes('HANDSHAKE-DONE') && /\bServerHello\b/.test(text) ? false : undefined);
    });
  });
}
