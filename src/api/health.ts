// Source: staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go (handleRootHealth).
import type { KubeContext } from '../request/state.js';

/** The checks each endpoint reports; a mock has nothing that can fail, but lists kube's names so scripts that grep them work. */
const CHECKS: Record<'healthz' | 'livez' | 'readyz', string[]> = {
  healthz: ['ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer'],
  livez: ['ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer'],
  readyz: ['ping', 'log', 'etcd', 'informer-sync', 'poststarthook/start-apiserver-admission-initializer', 'shutdown'],
};

/** The health paths kube lists at `/`: each endpoint and each of its checks. */
export function healthPaths(): string[] {
  return Object.entries(CHECKS).flatMap(([endpoint, checks]) => [`/${endpoint}`, ...checks.map((c) => `/${endpoint}/${c}`)]);
}

/** Serves /healthz, /livez, /readyz, their ?verbose form and each /{endpoint}/{check}; false when the path is not one of them. */
export function serveHealth(ctx: KubeContext): boolean {
  const match = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(ctx.path);
  if (match === null) return false;
  const endpoint = match[1] as keyof typeof CHECKS;
  const check = match[2];
  ctx.set('Cache-Control', 'no-cache, private');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.type = 'text/plain; charset=utf-8';
  if (check !== undefined) {
    if (!CHECKS[endpoint].includes(check)) return false;
    ctx.body = 'ok';
    return true;
  }
  const excluded = new Set(ctx.request.URL.searchParams.getAll('exclude'));
  if (ctx.request.URL.searchParams.has('verbose')) {
    const lines = CHECKS[endpoint].map((c) => (excluded.has(c) ? `[+]${c} excluded: ok` : `[+]${c} ok`));
    ctx.body = `${lines.join('\n')}\n${endpoint} check passed\n`;
  } else {
    ctx.body = 'ok';
  }
  return true;
}
