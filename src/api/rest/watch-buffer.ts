// How much of a watch response the client has not taken yet. kube-apiserver's cacher gives each watcher a
// bounded channel and closes a watcher that cannot keep up (staging/src/k8s.io/apiserver/pkg/storage/cacher/
// cache_watcher.go, add: "Forcing %v watcher close due to unresponsiveness"); here the events a watcher has
// not read sit in its response's buffers, so those are bounded in bytes.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The most a watch may have buffered, beyond its initial events, before it is closed: 16 MiB. kube's largest
 * request body is 3 MiB (so its largest object is smaller), and its cacher holds at most a channel of events per
 * watcher; 16 MiB is five of the largest objects, and far above what a client that reads ever leaves behind.
 */
export const WATCH_BUFFER_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Bytes written to a watch and not yet handed to the kernel: the stream that feeds the response (both its
 * sides), and the response's own buffer, which counts the socket's (OutgoingMessage.writableLength).
 */
export function unsentBytes(stream: Duplex, res: ServerResponse): number {
  return stream.writableLength + stream.readableLength + res.writableLength;
}

/** kube's group-resource as the cacher names it: `configmaps`, `roles.rbac.authorization.k8s.io`. */
export function groupResourceString(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

/** The cacher's log line for a watcher closed because it stopped reading (kube's wording, then our byte counts). */
export function unresponsiveWatcherMessage(w: { group: string; resource: string; namespace: string; labelSelector: string; fieldSelector: string; buffered: number; limit: number }): string {
  const key = `/${w.resource}${w.namespace !== '' ? `/${w.namespace}` : ''}`;
  // cacher.go Watch: identifier := fmt.Sprintf("key: %q, labels: %q, fields: %q", key, pred.Label, pred.Field)
  const identifier = `key: ${JSON.stringify(key)}, labels: ${JSON.stringify(w.labelSelector)}, fields: ${JSON.stringify(w.fieldSelector)}`;
  return `Forcing ${groupResourceString(w.group, w.resource)} watcher close due to unresponsiveness: ${identifier}. buffered = ${w.buffered} bytes, limit = ${w.limit} bytes`;
}
