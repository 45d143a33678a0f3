// What an API group declares, and what serving it needs. A group is one file (core.ts, rbac.ts, ...) holding a
// table of its stored kinds, each entry one kind: its ResourceType (storage, defaults, validation), its Table
// printer, its own admission (kube's registry wrappers, such as RBAC's policybased storage) and its own Delete.
// Protobuf needs no entry: the codec maps apiVersion and kind to the message of the group's generated.proto under
// src/api/codec/proto/, as kube's scheme maps Go types. Source: pkg/controlplane/apiserver and
// pkg/registry/<group>/rest/storage_<group>.go (one RESTStorageProvider per group).
import type { RequestAuthenticator } from '../../authn/types.js';
import type { RbacIndex } from '../../authz/rbac/binding-index.js';
import type { Authorizer, RuleResolver } from '../../authz/types.js';
import type { ObjectStore } from '../../store/object-store.js';
import type { ResourceType } from '../../store/types.js';
import type { ApiRegistry, ServedResource } from '../registry.js';
import type { TokenRequestConfig } from './core/serviceaccount-token.js';
import type { AdmitHook, DeleteStorage, WatchLog } from '../rest/resource.js';
import type { Printer } from '../rest/table.js';

/** What the API groups need from the server, handed to every group's install. */
export interface GroupDeps {
  /** The object store, with every group's kinds registered (createApiStore). */
  store: ObjectStore;
  /** The server's authorizer: the access reviews, RBAC's escalate and bind checks, and a PUT that creates. */
  authorizer: Authorizer;
  /** The rules behind SelfSubjectRulesReview. */
  ruleResolver: RuleResolver;
  /** RBAC's index: the rules a user holds, for RBAC's escalation checks. */
  rbacIndex: RbacIndex;
  /** The server's request authenticator, which TokenReview asks about a request carrying only the token. */
  tokenReviewAuthenticator: RequestAuthenticator;
  /** --api-audiences: what TokenReview assumes when a review names no audience. */
  apiAudiences: readonly string[];
  /** The ServiceAccount token signer and its settings, for TokenRequest; unset, serviceaccounts/token is not served. */
  tokenRequest?: TokenRequestConfig;
  /** Where open watches register their close, for a clean stop. */
  openWatches?: Set<() => void>;
  /** Where a watch closed for not reading is reported. */
  log?: WatchLog;
}

/** One stored kind of a group: an entry of the group's table. */
export interface KindEntry {
  /** Storage: names, scope, the strategy's defaults, preparation and validation, field selectors. */
  type: ResourceType;
  /** kubectl's columns (pkg/printers/internalversion); unset, kube's default convertor (Name, Created At). */
  printer?: Printer;
  /** The kind's own checks before a write, built from the server's dependencies. */
  admission?: (deps: GroupDeps) => AdmitHook;
  /** The kind's own Delete (kube's REST.Delete override); unset, the store's. */
  delete?: DeleteStorage;
  /** Subresources served beside the kind (serviceaccounts/token), listed after it in discovery. */
  subresources?: (deps: GroupDeps) => ServedResource[];
}

/** An API group: its stored kinds at one version, what it runs over the store, and what else it serves. */
export interface ApiGroup {
  /** The group's name; "" is the core group, served at /api. */
  name: string;
  /** The kinds kept in the object store and served over REST, at this version. */
  stored?: { version: string; kinds: readonly KindEntry[] };
  /**
   * Runs once every group's kinds are in the store (the core group creates the initial namespaces and starts the
   * namespace controller, which needs every namespaced kind).
   */
  startStorage?(store: ObjectStore, kinds: readonly ResourceType[]): void;
  /** Serves what is not stored (the review APIs), after the stored kinds. */
  install?(registry: ApiRegistry, deps: GroupDeps): void;
}
