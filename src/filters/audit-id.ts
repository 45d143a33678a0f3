// Source: staging/src/k8s.io/apiserver/pkg/endpoints/filters/audit_init.go (WithAuditInit).
import { randomUUID } from 'node:crypto';
import type { KubeMiddleware } from '../request/state.js';

/** Gives every response an Audit-Id: the client's own Audit-ID header if it sent one, else a new UUID. */
export function auditId(): KubeMiddleware {
  return async (ctx, next) => {
    const given = ctx.get('Audit-ID');
    const id = given !== '' ? given : randomUUID();
    ctx.state.auditId = id;
    ctx.set('Audit-Id', id);
    await next();
  };
}
