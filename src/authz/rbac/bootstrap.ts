// kube-apiserver's bootstrap RBAC policy: the default ClusterRoles and ClusterRoleBindings of
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy, shipped as YAML in policies/bootstrap/.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyFiles } from './policy-files.js';
import { aggregateClusterRoles } from './aggregation.js';
import type { RbacObject } from './types.js';

/**
 * The absolute path of policies/bootstrap. This module is three folders below the package root both as source
 * (src/authz/rbac) and built (dist/authz/rbac), and the package ships policies/.
 */
export function bootstrapPolicyDir(): string {
  return resolve(fileURLToPath(new URL('../../../policies/bootstrap/', import.meta.url)));
}

let cached: Promise<RbacObject[]> | undefined;

/**
 * kube's default ClusterRoles and ClusterRoleBindings, read once from policies/bootstrap and returned as a
 * running cluster shows them: validated, defaulted, and with admin, edit and view aggregated (see
 * aggregateClusterRoles in aggregation.ts). Each call returns a fresh copy; a failed read is not cached.
 */
export async function loadBootstrapPolicy(): Promise<RbacObject[]> {
  cached ??= loadPolicyFiles([bootstrapPolicyDir()]).then(
    (loaded) => aggregateClusterRoles(loaded.objects),
    (err: unknown) => {
      cached = undefined;
      throw err;
    },
  );
  return structuredClone(await cached);
}
