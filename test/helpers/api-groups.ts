// The API groups served without a running server: the store and dependencies tests give installApiGroups.
import type { GroupDeps } from '../../src/api/groups/index.js';
import { alwaysAllow } from '../../src/authz/always.js';
import { RbacIndex } from '../../src/authz/rbac/binding-index.js';
import type { ObjectStore } from '../../src/store/object-store.js';

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
