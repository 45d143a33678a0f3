// A watcher that stops reading is closed once its buffer is full, as kube-apiserver's cacher closes a watcher
// that cannot keep up (staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go: "Forcing ... watcher
// close due to unresponsiveness"), instead of buffering every event for it without limit (issue 6 item 5).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get as httpGet, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { configMapType } from '../../src/api/groups/core/configmaps.js';
import { createApiStore, installApiGroups } from '../../src/api/groups/index.js';
import { ApiRegistry } from '../../src/api/registry.js';
import { WATCH_BUFFER_LIMIT_BYTES } from '../../src/api/rest/watch-buffer.js';
import { permissiveGroupDeps, permissiveListener } from '../helpers/api-groups.js';

const store = createApiStore();
const warnings: string[] = [];
const warned: ((msg: string) => void)[] = [];
let server: Server;
let base: string;

before(async () => {
  const registry = new ApiRegistry();
  installApiGroups(
    registry,
    permissiveGroupDeps(store, {
      log: {
        warn: (msg) => {
          warnings.push(msg);
          for (const w of warned.splice(0)) w(msg);
        },
      },
    }),
  );
  server = createServer(permissiveListener(registry));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

const KiB = 1024;
const EVENT_DATA = 'x'.repeat(900 * KiB);
let serial = 0;
/** A 900 KiB ConfigMap written and deleted: two events of 900 KiB for each watcher. */
function createAndDelete(): void {
  const name = `big-${serial++}`;
  store.create(configMapType, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { payload: EVENT_DATA } });
  store.delete(configMapType, 'default', name);
}

function openWatch(path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => httpGet(`${base}${path}`, { agent: false }, resolve).on('error', reject));
}

test('a watcher that stops reading is closed once its buffer passes the limit, and says so in the log', async () => {
  const watchersBefore = store.debugCounts().watchers;
  // The response is never read: the client's socket stops reading once its buffers are full.
  const res = await openWatch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0');
  assert.equal(store.debugCounts().watchers, watchersBefore + 1);
  const closed = new Promise<string>((resolve) => warned.push(resolve));
  let done = false;
  void closed.then(() => (done = true));
  // Kernel socket buffers take some MiB first; past them, the server's buffer grows until the limit.
  const most = Math.ceil((WATCH_BUFFER_LIMIT_BYTES + 64 * 1024 * KiB) / (2 * EVENT_DATA.length));
  let pairs = 0;
  for (; pairs < most && !done; pairs++) {
    createAndDelete();
    // Let the server flush what the socket will take (an event-loop turn, not a timer).
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(done, `no watcher was closed after ${pairs} create/delete pairs of 900 KiB`);
  const msg = await closed;
  assert.match(msg, /^Forcing configmaps watcher close due to unresponsiveness: key: "\/configmaps\/default", labels: "", fields: ""\. buffered = \d+ bytes, limit = \d+ bytes$/);
  // The buffer held at most the limit and the one event that passed it.
  const buffered = Number(/buffered = (\d+)/.exec(msg)![1]);
  assert.ok(buffered > WATCH_BUFFER_LIMIT_BYTES && buffered <= WATCH_BUFFER_LIMIT_BYTES + EVENT_DATA.length + 4 * KiB, `buffered ${buffered}`);
  assert.equal(store.debugCounts().watchers, watchersBefore, 'the store no longer feeds the watcher');
  // Reading now gets what was already on its way, then the cut connection: fewer events than were written.
  let lines = 0;
  res.on('data', (chunk: Buffer) => (lines += chunk.toString('latin1').split('\n').length - 1));
  const cut = new Promise<Error | undefined>((resolve) => {
    res.once('error', resolve);
    res.once('end', () => resolve(undefined));
  });
  // The chunked response never got its last chunk: node reports the cut as 'aborted'.
  assert.equal((await cut)?.message, 'aborted');
  assert.ok(lines < 2 * pairs, `read ${lines} of ${2 * pairs} events`);
});

test('a watcher that keeps reading is never closed, whatever the volume', async () => {
  const res = await openWatch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0');
  let lines = 0;
  let waiting: (() => void) | undefined;
  res.on('data', (chunk: Buffer) => {
    lines += chunk.toString('latin1').split('\n').length - 1;
    waiting?.();
  });
  const before = warnings.length;
  const pairs = Math.ceil((2 * WATCH_BUFFER_LIMIT_BYTES) / (2 * EVENT_DATA.length));
  for (let i = 0; i < pairs; i++) {
    createAndDelete();
    // The next write waits for the client to have read both events of this one.
    while (lines < 2 * (i + 1)) await new Promise<void>((resolve) => (waiting = resolve));
  }
  assert.deepEqual(warnings.slice(before), [], 'no watcher was closed as too slow');
  assert.equal(lines, 2 * pairs);
  res.destroy();
});
