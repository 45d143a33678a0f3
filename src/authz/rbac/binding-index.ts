// Bindings indexed by subject and namespace, so a decision looks only at the bindings that name the
// requesting user, its groups or its service account: its cost does not grow with unrelated bindings.
// kube-apiserver walks every binding (pkg/registry/rbac/validation/rule.go, VisitRulesFor); the subjects
// that apply are the same (appliesToUser there).
import type { UserInfo } from '../../authn/types.js';
import { RoleEvaluator } from './role-evaluator.js';
import type { MatchableRule } from './rules.js';
import { goQuote } from '../../apimachinery/validation.js';

/** The fields of an RBAC subject the index reads. */
export interface SubjectLike {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

/** The fields of a RoleBinding or ClusterRoleBinding the index reads. */
export interface BindingLike {
  kind: string;
  metadata: { name?: string; namespace?: string };
  roleRef: { kind: string; name: string; apiGroup?: string };
  subjects?: SubjectLike[];
}

/** The fields of a Role or ClusterRole the index reads. */
export interface RoleLike {
  kind: string;
  metadata: { name?: string; namespace?: string };
  rules?: MatchableRule[] | null;
}

/** A role in force: its rules at once, and its casbin evaluator as soon as it is compiled. */
export interface CompiledRole {
  role: RoleLike;
  rules: readonly MatchableRule[];
  /** Compiled on first use (most bootstrap roles are never asked); a decision that meets it uncompiled waits for it and decides again, so it never sees a stale role. */
  readonly evaluator: Promise<RoleEvaluator>;
  /** The evaluator once compiled, so that decisions over compiled roles (all but the first) need not await. */
  readonly compiledEvaluator: RoleEvaluator | undefined;
}

/** A binding that applies to a user, with the subject that made it apply (for kube's reason text). */
export interface ApplicableBinding {
  binding: BindingLike;
  subject: SubjectLike;
}

const SA_PREFIX = 'system:serviceaccount:';

/** The index keys of a subject; a ServiceAccount without a namespace takes the binding's, and applies nowhere on a cluster binding. */
function subjectKey(subject: SubjectLike, bindingNamespace: string): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `u:${subject.name}`;
    case 'Group':
      return `g:${subject.name}`;
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns === '' ? undefined : `sa:${ns}:${subject.name}`;
    }
    default:
      return undefined;
  }
}

/**
 * The keys a user is found under: its name, each group, and its service account when it is one. kube's
 * MatchesUsername (staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go) holds when the user
 * name is exactly "system:serviceaccount:" + namespace + ":" + name, wherever the colons fall (a subject's
 * namespace is not validated and may hold one), so the key is the name's remainder as it is.
 */
export function userKeys(user: Pick<UserInfo, 'name' | 'groups'>): string[] {
  const keys = [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)];
  if (user.name.startsWith(SA_PREFIX)) keys.push(`sa:${user.name.slice(SA_PREFIX.length)}`);
  return keys;
}

const nameOf = (o: { metadata: { name?: string } }): string => o.metadata.name ?? '';
const nsOf = (o: { metadata: { namespace?: string } }): string => o.metadata.namespace ?? '';

/** Adds a binding under each of its subjects' keys. */
function addToIndex(index: Map<string, Map<string, BindingLike>>, binding: BindingLike, namespace: string): void {
  for (const subject of binding.subjects ?? []) {
    const key = subjectKey(subject, namespace);
    if (key === undefined) continue;
    let byName = index.get(key);
    if (byName === undefined) index.set(key, (byName = new Map()));
    byName.set(nameOf(binding), binding);
  }
}

function removeFromIndex(index: Map<string, Map<string, BindingLike>>, binding: BindingLike, namespace: string): void {
  for (const subject of binding.subjects ?? []) {
    const key = subjectKey(subject, namespace);
    if (key === undefined) continue;
    const byName = index.get(key);
    if (byName?.get(nameOf(binding)) === binding) byName.delete(nameOf(binding));
    if (byName?.size === 0) index.delete(key);
  }
}

/**
 * The RBAC objects in force, kept up to date from store events: roles compiled to casbin evaluators,
 * bindings indexed by subject (cluster-wide) and by namespace and subject. `version` changes with every
 * change, so decisions can be cached against it.
 */
export class RbacIndex {
  private readonly roles = new Map<string, CompiledRole>();
  private readonly clusterRoles = new Map<string, CompiledRole>();
  private readonly roleBindings = new Map<string, BindingLike>();
  private readonly clusterRoleBindings = new Map<string, BindingLike>();
  private readonly clusterIndex = new Map<string, Map<string, BindingLike>>();
  private readonly namespaceIndex = new Map<string, Map<string, Map<string, BindingLike>>>();
  private changes = 0;

  /** Changes with every applied event. */
  get version(): number {
    return this.changes;
  }

  /** Adds or replaces a Role or ClusterRole or a binding; takes effect at once. */
  upsert(obj: RoleLike | BindingLike): void {
    if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
      const role = obj as RoleLike;
      const rules = role.rules ?? [];
      let evaluator: Promise<RoleEvaluator> | undefined;
      let compiledEvaluator: RoleEvaluator | undefined;
      const compiled: CompiledRole = {
        role,
        rules,
        get evaluator() {
          evaluator ??= RoleEvaluator.compile(rules).then((e) => (compiledEvaluator = e));
          return evaluator;
        },
        get compiledEvaluator() {
          return compiledEvaluator;
        },
      };
      if (obj.kind === 'Role') this.roles.set(`${nsOf(role)}/${nameOf(role)}`, compiled);
      else this.clusterRoles.set(nameOf(role), compiled);
    } else if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
      this.remove(obj);
      const binding = obj as BindingLike;
      if (obj.kind === 'ClusterRoleBinding') {
        this.clusterRoleBindings.set(nameOf(binding), binding);
        addToIndex(this.clusterIndex, binding, '');
      } else {
        const ns = nsOf(binding);
        this.roleBindings.set(`${ns}/${nameOf(binding)}`, binding);
        let index = this.namespaceIndex.get(ns);
        if (index === undefined) this.namespaceIndex.set(ns, (index = new Map()));
        addToIndex(index, binding, ns);
      }
    }
    this.changes++;
  }

  /** Removes an object of any RBAC kind. */
  remove(obj: { kind: string; metadata: { name?: string; namespace?: string } }): void {
    const name = nameOf(obj);
    const ns = nsOf(obj);
    switch (obj.kind) {
      case 'Role':
        this.roles.delete(`${ns}/${name}`);
        break;
      case 'ClusterRole':
        this.clusterRoles.delete(name);
        break;
      case 'ClusterRoleBinding': {
        const old = this.clusterRoleBindings.get(name);
        if (old) removeFromIndex(this.clusterIndex, old, '');
        this.clusterRoleBindings.delete(name);
        break;
      }
      case 'RoleBinding': {
        const old = this.roleBindings.get(`${ns}/${name}`);
        const index = this.namespaceIndex.get(ns);
        if (old && index) removeFromIndex(index, old, ns);
        if (index?.size === 0) this.namespaceIndex.delete(ns);
        this.roleBindings.delete(`${ns}/${name}`);
        break;
      }
    }
    this.changes++;
  }

  /** A Role by namespace and name. */
  role(namespace: string, name: string): CompiledRole | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  /** A ClusterRole by name. */
  clusterRole(name: string): CompiledRole | undefined {
    return this.clusterRoles.get(name);
  }

  /** Every ClusterRole (for aggregation). */
  allClusterRoles(): CompiledRole[] {
    return [...this.clusterRoles.values()];
  }

  /**
   * The bindings that apply to a user: ClusterRoleBindings, then (for a namespaced request) the
   * namespace's RoleBindings, each sorted by name (kube's order is its cache's; ours is stable).
   */
  applicable(user: Pick<UserInfo, 'name' | 'groups'>, namespace: string): { cluster: ApplicableBinding[]; namespaced: ApplicableBinding[] } {
    const keys = new Set(userKeys(user));
    const collect = (index: Map<string, Map<string, BindingLike>> | undefined, bindingNamespace: string): ApplicableBinding[] => {
      if (index === undefined) return [];
      const found = new Map<string, BindingLike>();
      for (const key of keys) for (const [name, binding] of index.get(key) ?? []) found.set(name, binding);
      return [...found.values()]
        .sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0))
        .map((binding) => ({
          binding,
          // kube names the first of the binding's subjects that applies (appliesTo).
          subject: (binding.subjects ?? []).find((s) => {
            const key = subjectKey(s, bindingNamespace);
            return key !== undefined && keys.has(key);
          })!,
        }));
    };
    return { cluster: collect(this.clusterIndex, ''), namespaced: namespace === '' ? [] : collect(this.namespaceIndex.get(namespace), namespace) };
  }

  /** The role a binding refers to, or kube's not-found error text. */
  roleFor(binding: BindingLike): CompiledRole | string {
    const { kind, name } = binding.roleRef;
    if (kind === 'ClusterRole') return this.clusterRoles.get(name) ?? `clusterrole.rbac.authorization.k8s.io ${goQuote(name)} not found`;
    // A ClusterRoleBinding has no namespace to find a Role in: kube's GetRole(ctx, "", name) finds none.
    if (kind === 'Role') return (binding.kind === 'RoleBinding' ? this.roles.get(`${nsOf(binding)}/${name}`) : undefined) ?? `role.rbac.authorization.k8s.io ${goQuote(name)} not found`;
    return `unsupported role reference kind: ${goQuote(kind)}`;
  }
}
