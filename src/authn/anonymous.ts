// Source: staging/src/k8s.io/apiserver/pkg/authentication/request/anonymous/anonymous.go.
import { ALL_UNAUTHENTICATED, ANONYMOUS_USER, type RequestAuthenticator } from './types.js';

/** Authenticates every request as system:anonymous; kube puts it last, behind a fail-on-error union. */
export function anonymousAuthenticator(): RequestAuthenticator {
  return {
    async authenticate() {
      return { ok: true, authenticator: 'anonymous', user: { name: ANONYMOUS_USER, uid: '', groups: [ALL_UNAUTHENTICATED], extra: {} } };
    },
  };
}
