// A CONNECT proxy's tunnel for tests of clients that go through one: dial the target named in the request, answer
// 200, then pipe both ways. Either end may go away first (a CLI process exits): the other is closed, nothing throws.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

/** Opens the tunnel for a `connect` event; `head` is what the client sent after its request; returns the upstream socket. */
export function openTunnel(req: IncomingMessage, client: Socket, head: Buffer = Buffer.alloc(0)): Socket {
  const [host, port] = (req.url ?? '').split(':');
  client.on('error', () => client.destroy());
  const up = connect(Number(port), host!, () => {
    client.write('HTTP/1.1 200 Connection established\r\n\r\n');
    if (head.length > 0) up.write(head);
    up.pipe(client);
    client.pipe(up);
  });
  up.on('error', () => up.destroy());
  return up;
}
