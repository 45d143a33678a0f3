// Real kubectl traffic for the live view's browser test and its screenshot (scripts/live-view-screenshot.ts): an
// admin's whoami (client certificate in system:masters), a get RBAC allows (jane's token, a RoleBinding), and a
// list refused to a user without rights (a 403).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeAuthMockServer } from '../../src/index.js';
import { runClient, type RunResult } from './clients.js';

/** jane may get ConfigMaps in kube-system: Role configmap-reader, RoleBinding jane-reads-configmaps. */
export const JANE_GETS_CONFIGMAPS = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: configmap-reader, namespace: kube-system}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-reads-configmaps, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: configmap-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]
`;

/** Writes the policy file into a folder (for startServer's policyPaths). */
export async function writeTrafficPolicy(dir: string): Promise<string> {
  const file = join(dir, 'jane-gets-configmaps.yaml');
  await writeFile(file, JANE_GETS_CONFIGMAPS);
  return file;
}

/** The three kubectl runs, each with its own kubeconfig; fails loudly if kubectl did not answer as expected. */
export async function driveKubectl(server: KubeAuthMockServer, kubectl: string, dir: string): Promise<{ whoami: RunResult; get: RunResult; forbidden: RunResult }> {
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, text, { mode: 0o600 });
    return file;
  };
  const admin = await write('admin.kubeconfig', await server.kubeconfig({ user: 'admin', groups: ['system:masters'], auth: 'cert' }));
  const jane = await write('jane.kubeconfig', await server.kubeconfig({ user: 'jane', groups: ['dev'], auth: 'token' }));
  const nobody = await write('nobody.kubeconfig', await server.kubeconfig({ user: 'nobody', auth: 'cert' }));
  const run = (kubeconfig: string, ...args: string[]) => runClient(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args]);
  const whoami = await run(admin, 'auth', 'whoami');
  if (whoami.code !== 0) throw new Error(`kubectl auth whoami failed: ${whoami.stderr}`);
  const get = await run(jane, 'get', 'configmap', 'extension-apiserver-authentication', '-n', 'kube-system');
  if (get.code !== 0) throw new Error(`kubectl get configmap failed: ${get.stderr}`);
  const forbidden = await run(nobody, 'get', 'secrets', '-n', 'default');
  if (forbidden.code === 0) throw new Error('kubectl get secrets as nobody was not refused');
  return { whoami, get, forbidden };
}
