// RBAC as a running server holds it: the bootstrap policy and the policy files written into the object
// store (so kubectl sees and edits them like any RBAC object), the index kept up to date from the store's
// changes, ClusterRole aggregation done as kube-controller-manager does, and policy files re-read when
// they change (a bad edit keeps the last good policy and logs why). Files are parsed on a worker thread
// (policy-off-thread.ts), so a large one never holds up requests.
import type { KubeObject } from '../../apimachinery/object.js';
import { Reloader, type FileReloadLog } from '../../util/watched-file.js';
import { staleAggregations, type AggregatableClusterRole } from './aggregation.js';
import { RbacAuthorizer } from './authorizer.js';
import { RbacIndex, type BindingLike, type RoleLike } from './binding-index.js';
import { loadBootstrapPolicy } from './bootstrap.js';
import { loadPolicyFilesOffThread, PolicyLoadAborted } from './policy-off-thread.js';
import { RBAC_KINDS, type RbacKind, type RbacObject } from './types.js';

/** What RBAC needs of the object store. */
export interface RbacStore {
  list(kind: RbacKind): KubeObject[];
  /** Creates the object, or replaces the stored one of the same kind, namespace and name. */
  put(obj: RbacObject): void;
  remove(kind: RbacKind, namespace: string, name: string): void;
  onChange(listener: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject) => void): () => void;
}

const keyOf = (o: { kind: string; metadata: { namespace?: string; name?: string } }): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** The running RBAC: its index and authorizer, and a close() that stops watching files and the store. */
export interface LivePolicy {
  index: RbacIndex;
  authorizer: RbacAuthorizer;
  /** Re-reads the policy files now (the watcher calls this); resolves once applied or refused. */
  reload(): Promise<void>;
  close(): void;
}

/**
 * Starts RBAC over a store: loads the bootstrap policy (unless turned off) and the policy files into it,
 * and keeps the index in step with every later change, whoever makes it.
 */
export async function startLivePolicy(store: RbacStore, opts: { policyPaths: readonly string[]; bootstrap?: boolean; watch?: boolean; log: FileReloadLog }): Promise<LivePolicy> {
  const index = new RbacIndex();
  const authorizer = new RbacAuthorizer(index);
  let aggregating = false;
  // While many objects are written at once (start-up, a policy file reload), aggregation waits for the end.
  let batch = false;

  const reaggregate = (): void => {
    // The store's change events call back into here; one pass at a time, repeated until nothing is stale.
    if (aggregating || batch) return;
    aggregating = true;
    try {
      for (let pass = 0; pass < 16; pass++) {
        const stale = staleAggregations(store.list('ClusterRole') as unknown as AggregatableClusterRole[]);
        if (stale.length === 0) break;
        for (const { name, rules } of stale) {
          const current = store.list('ClusterRole').find((r) => r.metadata.name === name);
          if (current) store.put({ ...(current as unknown as RbacObject), rules } as RbacObject);
        }
      }
    } finally {
      aggregating = false;
    }
  };

  const unsubscribe = store.onChange((type, obj) => {
    if (!(RBAC_KINDS as readonly string[]).includes(obj.kind)) return;
    if (type === 'DELETED') index.remove(obj);
    else index.upsert(obj as unknown as RoleLike | BindingLike);
    if (obj.kind === 'ClusterRole') reaggregate();
  });
  for (const kind of RBAC_KINDS) for (const obj of store.list(kind)) index.upsert(obj as unknown as RoleLike | BindingLike);

  const inBatch = (write: () => void): void => {
    batch = true;
    try {
      write();
    } finally {
      batch = false;
    }
    reaggregate();
  };
  if (opts.bootstrap !== false) {
    const bootstrap = await loadBootstrapPolicy();
    inBatch(() => {
      for (const obj of bootstrap) store.put(obj);
    });
  }

  // Objects that came from policy files, so a reload can remove what a file no longer holds.
  let fromFiles = new Map<string, RbacObject>();
  const apply = (objects: readonly RbacObject[]): void =>
    inBatch(() => {
      const next = new Map(objects.map((o) => [keyOf(o), o]));
      for (const [key, old] of fromFiles) if (!next.has(key)) store.remove(old.kind, old.metadata.namespace ?? '', old.metadata.name ?? '');
      for (const obj of objects) store.put(obj);
      fromFiles = next;
    });
  if (opts.policyPaths.length > 0) apply((await loadPolicyFilesOffThread(opts.policyPaths)).objects);

  // Aborted by close(): a reload still reading ends with its worker, and nothing is applied after close.
  const closing = new AbortController();
  const reloadOnce = async (): Promise<boolean> => {
    if (closing.signal.aborted) return false;
    opts.log.info('RBAC policy files changed; reloading');
    try {
      const loaded = await loadPolicyFilesOffThread(opts.policyPaths, { signal: closing.signal });
      if (closing.signal.aborted) return false;
      apply(loaded.objects);
      opts.log.info(`RBAC policy reloaded from ${loaded.files.length} file(s)`);
      return true;
    } catch (err) {
      if (err instanceof PolicyLoadAborted) return false;
      opts.log.warn(`${(err as Error).message}; keeping the last good RBAC policy`);
      return false;
    }
  };
  const reloader = new Reloader(reloadOnce);
  // Editors write in bursts: one reload, 50 ms after the last event.
  if (opts.watch !== false) await reloader.watch(opts.policyPaths, { settleMs: 50 });

  return {
    index,
    authorizer,
    async reload() {
      await reloader.reload();
    },
    close() {
      closing.abort();
      unsubscribe();
      reloader.close();
    },
  };
}
