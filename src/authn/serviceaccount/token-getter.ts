// What the ServiceAccount validators read of the cluster: kube's ServiceAccountTokenGetter (pkg/serviceaccount/
// jwt.go), with objects instead of errors (undefined: not found), and the one write the legacy validator makes.
import type { KubeObject } from '../../apimachinery/object.js';

/** kube's ServiceAccountTokenGetter: live reads of the objects a token names. */
export interface ServiceAccountTokenGetter {
  getServiceAccount(namespace: string, name: string): KubeObject | undefined;
  getSecret(namespace: string, name: string): KubeObject | undefined;
  getPod(namespace: string, name: string): KubeObject | undefined;
  getNode(name: string): KubeObject | undefined;
  /** The legacy validator's patch of a Secret's labels (its last-used date); a failure is only logged in kube. */
  labelSecret(namespace: string, name: string, uid: string, labels: Record<string, string>): void;
}

/** The error kube's getter returns for a missing object: the live GET's NotFound, `serviceaccounts "x" not found`. */
export function notFoundMessage(resource: string, name: string): string {
  return `${resource} "${name}" not found`;
}
