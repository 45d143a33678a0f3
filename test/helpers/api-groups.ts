// The API groups served without a running server: the store and dependencies tests give installApiGroups.
import type { RequestListener } from 'node:http';
import type { GroupDeps } from '../../src/api/groups/index.js';
import type { ApiRegistry } from '../../src/api/registry.js';
import { router } from '../../src/api/router.js';
import { anonymousAuthenticator } from '../../src/authn/anonymous.js';
import { alwaysAllow } from '../../src/authz/always.js';
import { RbacIndex } from '../../src/authz/rbac/binding-index.js';
import { chainListener } from '../../src/server/chain.js';
import type { ObjectStore } from '../../src/store/object-store.js';
import { createLogger } from '../../src/util/log.js';

/** Dependencies that allow everything (an always-allow authorizer, an empty RBAC index, no tokens), with overrides. */
export function permissiveGroupDeps(store: ObjectStore, overrides: Partial<GroupDeps> = {}): GroupDeps {
  return {
    store,
    authorizer: alwaysAllow(),
    ruleResolver: alwaysAllow(),
    rbacIndex: new RbacIndex(),
    tokenReviewAuthenticator: { authenticate: async () => null },
    apiAudiences: [],
    ...overrides,
  };
}

/** The server's filter chain around a registry's router, with everyone anonymous and everything allowed. */
export function permissiveListener(registry: ApiRegistry): RequestListener {
  return chainListener({
    log: createLogger('silent'),
    authenticator: anonymousAuthenticator(),
    challengeHeaders: {},
    authorizer: alwaysAllow(),
    handler: router({ registry, kubernetesVersion: 'v1.33.0', serverAddress: () => '127.0.0.1:6443' }),
  });
}
