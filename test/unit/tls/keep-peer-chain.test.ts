// keepPeerChain (src/tls/connection-facts.ts) wraps node's internal TLS handle from inside the server's 'keylog' emit.
// A node whose handle has another shape must not crash the server there, and the log must say why chains through an
// intermediate may then be refused: one warning per server, not one per connection.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { keepPeerChain } from '../../../src/tls/connection-facts.js';

function serverWithWarnings(): { emitKeylog: (socket: object) => void; warnings: string[] } {
  const server = new EventEmitter();
  const warnings: string[] = [];
  keepPeerChain(server as unknown as TlsServer, (message) => warnings.push(message));
  return { emitKeylog: (socket) => server.emit('keylog', Buffer.from('line'), socket as TLSSocket), warnings };
}

test('a socket without a native handle: one warning per server, however many connections', () => {
  const { emitKeylog, warnings } = serverWithWarnings();
  emitKeylog({});
  emitKeylog({ _handle: null });
  emitKeylog({ _handle: {} });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^cannot keep client certificate chains readable \(the TLS socket has no native handle with getPeerX509Certificate\); a client certificate signed through an intermediate may be refused$/);
});

test('a frozen handle: the keylog emit does not throw, and the server warns once', () => {
  const { emitKeylog, warnings } = serverWithWarnings();
  const handle = Object.freeze({ getPeerX509Certificate: () => undefined });
  // ES modules are strict: assigning to a frozen object's property throws a TypeError, which must stay inside.
  assert.doesNotThrow(() => emitKeylog({ _handle: handle }));
  assert.doesNotThrow(() => emitKeylog({ _handle: handle }));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^cannot keep client certificate chains readable \(the native handle refused the wrapper: /);
});

test('a handle of the expected shape: every read after the first hands over the first one, no warning', () => {
  const { emitKeylog, warnings } = serverWithWarnings();
  let reads = 0;
  const first = { first: true };
  const handle = { getPeerX509Certificate: () => (reads++ === 0 ? first : { later: true }) };
  emitKeylog({ _handle: handle });
  assert.equal(handle.getPeerX509Certificate(), first);
  assert.equal(handle.getPeerX509Certificate(), first);
  assert.equal(reads, 1);
  assert.deepEqual(warnings, []);
});
