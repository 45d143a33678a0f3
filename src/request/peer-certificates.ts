import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { presentedChain } from '../tls/connection-facts.js';

/**
 * The certificate chain the client presented on this connection, leaf first, read once per connection
 * (keep-alive requests reuse it). Certificates are requested, never required, during the handshake, so a
 * bad one reaches the x509 authenticator and gets kube's 401 instead of a broken handshake.
 */
export function peerCertificates(socket: Socket): readonly X509Certificate[] {
  return presentedChain(socket as TLSSocket);
}
