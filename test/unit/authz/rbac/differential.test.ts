// A differential test: random roles, bindings and requests decided by the authorizer (casbin over the binding
// index) and by a plain re-implementation of kube-apiserver's RBAC authorizer written here from its source:
// RuleAllows (plugin/pkg/auth/authorizer/rbac/rbac.go), VerbMatches, APIGroupMatches, ResourceMatches,
// ResourceNameMatches, NonResourceURLMatches (pkg/apis/rbac/v1/evaluation_helpers.go), VisitRulesFor,
// appliesToUser and GetRoleReferenceRules (pkg/registry/rbac/validation/rule.go), MatchesUsername
// (staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go). The values include the awkward
// ones kube's validation lets through (newlines, NULs, empty strings), since a Role's rules are not validated
// beyond non-empty lists. Explain is checked against the same decision.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RbacAuthorizer } from '../../../../src/authz/rbac/authorizer.js';
import { RbacIndex, type BindingLike, type RoleLike, type SubjectLike } from '../../../../src/authz/rbac/binding-index.js';
import { explain } from '../../../../src/authz/rbac/explain.js';
import type { MatchableRule } from '../../../../src/authz/rbac/rules.js';
import type { Attributes } from '../../../../src/authz/types.js';

// kube's evaluation_helpers.go and RuleAllows, as plainly as Go writes them.
function kubeRuleAllows(a: Attributes, rule: MatchableRule): boolean {
  const verbOk = rule.verbs.some((v) => v === '*' || v === a.verb);
  if (a.isResourceRequest) {
    const combined = a.subresource.length > 0 ? `${a.resource}/${a.subresource}` : a.resource;
    const groupOk = (rule.apiGroups ?? []).some((g) => g === '*' || g === a.apiGroup);
    let resourceOk = false;
    for (const r of rule.resources ?? []) {
      if (r === '*' || r === combined) { resourceOk = true; break; }
      if (a.subresource.length === 0) continue;
      if (r.length === a.subresource.length + 2 && r.startsWith('*/') && r.endsWith(a.subresource)) { resourceOk = true; break; }
    }
    const names = rule.resourceNames ?? [];
    const nameOk = names.length === 0 || names.includes(a.name);
    return verbOk && groupOk && resourceOk && nameOk;
  }
  const urlOk = (rule.nonResourceURLs ?? []).some((u) => {
    if (u === '*' || u === a.path) return true;
    let trimmed = u;
    while (trimmed.endsWith('*')) trimmed = trimmed.slice(0, -1);
    return u.endsWith('*') && a.path.startsWith(trimmed);
  });
  return verbOk && urlOk;
}

function kubeMatchesUsername(namespace: string, name: string, username: string): boolean {
  const prefix = 'system:serviceaccount:';
  if (!username.startsWith(prefix)) return false;
  let rest = username.slice(prefix.length);
  if (!rest.startsWith(namespace)) return false;
  rest = rest.slice(namespace.length);
  if (!rest.startsWith(':')) return false;
  return rest.slice(1) === name;
}

function kubeAppliesTo(user: Attributes['user'], subjects: readonly SubjectLike[], namespace: string): number {
  return subjects.findIndex((s) => {
    switch (s.kind) {
      case 'User': return user.name === s.name;
      case 'Group': return user.groups.includes(s.name);
      case 'ServiceAccount': {
        const ns = s.namespace ? s.namespace : namespace;
        return ns.length > 0 && kubeMatchesUsername(ns, s.name, user.name);
      }
      default: return false;
    }
  });
}

/** kube's RBACAuthorizer.Authorize over VisitRulesFor: the binding its reason names when it allows, else its reason. */
function kubeDecide(roles: RoleLike[], bindings: BindingLike[], a: Attributes): { allowedBy?: string; reason: string } {
  const rulesOf = (b: BindingLike, ns: string): readonly MatchableRule[] | string => {
    const { kind, name } = b.roleRef;
    if (kind === 'ClusterRole') return roles.find((r) => r.kind === 'ClusterRole' && r.metadata.name === name)?.rules ?? `clusterrole.rbac.authorization.k8s.io "${name}" not found`;
    if (kind === 'Role') return roles.find((r) => r.kind === 'Role' && r.metadata.namespace === ns && r.metadata.name === name)?.rules ?? `role.rbac.authorization.k8s.io "${name}" not found`;
    return `unsupported role reference kind: "${kind}"`;
  };
  const byName = (x: BindingLike, y: BindingLike): number => (x.metadata.name! < y.metadata.name! ? -1 : 1);
  const walk = [
    ...bindings.filter((b) => b.kind === 'ClusterRoleBinding').sort(byName).map((b) => ({ b, ns: '' })),
    ...(a.namespace === '' ? [] : bindings.filter((b) => b.kind === 'RoleBinding' && b.metadata.namespace === a.namespace).sort(byName).map((b) => ({ b, ns: a.namespace }))),
  ];
  const errors: string[] = [];
  for (const { b, ns } of walk) {
    if (kubeAppliesTo(a.user, b.subjects ?? [], ns) < 0) continue;
    const rules = rulesOf(b, b.kind === 'RoleBinding' ? b.metadata.namespace! : '');
    if (typeof rules === 'string') errors.push(rules);
    else if (rules.some((r) => kubeRuleAllows(a, r))) return { allowedBy: `${b.kind}/${b.metadata.namespace ?? ''}/${b.metadata.name}`, reason: '' };
  }
  // utilerrors.NewAggregate: one message alone, several deduplicated in brackets.
  const unique = [...new Set(errors)];
  return { reason: unique.length === 0 ? '' : `RBAC: ${unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`}` };
}

// A small seeded generator, so a failure repeats.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ['get', 'list', 'create', 'delete', '*', 'get\nlist', 'list\n', '', 'watch', 'get,list', '["get"]'];
const GROUPS = ['', 'apps', '*', 'apps\n', '\napps', 'x\u0000'];
const RESOURCES = ['pods', 'pods/log', '*/scale', '*', 'pods/*', 'deployments/scale', 'pods\npods/log', '*/log', 'x/scale', '*/', 'secrets'];
const NAMES = ['a', 'b', '', 'a\nb', 'a\u0000', 'a"b', 'a\\', 'a,b'];
const URLS = ['/healthz', '/api/*', '*', '/api**', '/healthz\n/api/*', '/', '/api', '/a\u0000'];
const REQ_VERBS = ['get', 'list', 'create', 'delete', 'watch', 'get\nlist', '', 'list\n', 'get,list', '["get"]'];
const REQ_GROUPS = ['', 'apps', 'apps\n', 'x'];
const REQ_RESOURCES = ['pods', 'deployments', 'secrets', 'x', '*', 'pods\npods'];
const REQ_SUBS = ['', '', 'log', 'scale', '', 'status'];
const REQ_NAMES = ['', 'a', 'b', 'a\nb', 'a\u0000', 'c', 'a"b', 'a\\', 'a,b'];
const REQ_PATHS = ['/healthz', '/api', '/api/v1', '/apis', '/', '/healthz\n/api/x', '/a\u0000', ''];
const NAMESPACES = ['', 'dev', 'ops'];
const USERS = ['jane', 'bob', 'system:serviceaccount:dev:builder', 'system:serviceaccount:ops:builder', 'system:serviceaccount:dev:x:y'];
const GROUP_NAMES = ['devs', 'ops', 'system:authenticated', 'system:serviceaccounts:dev'];

test('the authorizer (with its decision cache, across policy edits) and explain agree with kube RuleAllows and VisitRulesFor on random policies and requests', async () => {
  for (let seed = 1; seed <= 60; seed++) {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const some = <T>(xs: readonly T[], max: number): T[] => Array.from({ length: Math.floor(rand() * (max + 1)) }, () => pick(xs));
    const rule = (): MatchableRule =>
      rand() < 0.3
        ? { verbs: some(VERBS, 2), nonResourceURLs: some(URLS, 2) }
        : { verbs: some(VERBS, 2), apiGroups: some(GROUPS, 2), resources: some(RESOURCES, 2), ...(rand() < 0.4 ? { resourceNames: some(NAMES, 2) } : {}) };
    const roles: RoleLike[] = [];
    for (const name of ['r1', 'r2', 'r3']) {
      roles.push({ kind: 'ClusterRole', metadata: { name }, rules: Array.from({ length: 1 + Math.floor(rand() * 3) }, rule) });
      for (const ns of ['dev', 'ops']) if (rand() < 0.6) roles.push({ kind: 'Role', metadata: { namespace: ns, name }, rules: Array.from({ length: 1 + Math.floor(rand() * 3) }, rule) });
    }
    const subject = (): SubjectLike => {
      const kind = pick(['User', 'Group', 'ServiceAccount', 'ServiceAccount', 'Other']);
      if (kind === 'User') return { kind, name: pick(USERS) };
      if (kind === 'Group') return { kind, name: pick(GROUP_NAMES) };
      if (kind === 'ServiceAccount') return { kind, name: pick(['builder', 'x', 'y']), ...(rand() < 0.5 ? { namespace: pick(['dev', 'ops', 'dev:x']) } : {}) };
      return { kind, name: pick(USERS) };
    };
    const bindings: BindingLike[] = [];
    for (let i = 0; i < 6; i++) {
      const subjects = Array.from({ length: 1 + Math.floor(rand() * 2) }, subject);
      const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: pick(['ClusterRole', 'Role', 'Role', 'Thing']), name: pick(['r1', 'r2', 'r3', 'gone']) };
      if (rand() < 0.4) bindings.push({ kind: 'ClusterRoleBinding', metadata: { name: `crb${i}` }, roleRef: { ...roleRef, kind: 'ClusterRole' }, subjects });
      else bindings.push({ kind: 'RoleBinding', metadata: { namespace: pick(['dev', 'ops']), name: `rb${i}` }, roleRef, subjects });
    }
    const index = new RbacIndex();
    for (const o of [...roles, ...bindings]) index.upsert(o);
    const authorizer = new RbacAuthorizer(index);
    for (let r = 0; r < 150; r++) {
      // Now and then the policy changes under the cache: a role rewritten or deleted, a binding deleted.
      if (r % 20 === 19) {
        const which = rand();
        if (which < 0.4 && roles.length > 0) {
          const i = Math.floor(rand() * roles.length);
          roles[i] = { ...roles[i]!, rules: Array.from({ length: 1 + Math.floor(rand() * 3) }, rule) };
          index.upsert(roles[i]!);
        } else if (which < 0.7 && roles.length > 0) {
          index.remove(roles.splice(Math.floor(rand() * roles.length), 1)[0]!);
        } else if (bindings.length > 0) {
          index.remove(bindings.splice(Math.floor(rand() * bindings.length), 1)[0]!);
        }
      }
      const resource = rand() < 0.75;
      const attrs: Attributes = {
        user: { name: pick(USERS), uid: '', groups: some(GROUP_NAMES, 2), extra: {} },
        verb: pick(REQ_VERBS),
        isResourceRequest: resource,
        path: resource ? '' : pick(REQ_PATHS),
        namespace: resource ? pick(NAMESPACES) : '',
        apiGroup: resource ? pick(REQ_GROUPS) : '',
        apiVersion: 'v1',
        resource: resource ? pick(REQ_RESOURCES) : '',
        subresource: resource ? pick(REQ_SUBS) : '',
        name: resource ? pick(REQ_NAMES) : '',
      };
      const kube = kubeDecide(roles, bindings, attrs);
      const want = kube.allowedBy;
      const got = await authorizer.authorize(attrs);
      const where = `seed ${seed} request ${JSON.stringify(attrs)}`;
      assert.equal(got.decision, want === undefined ? 'noOpinion' : 'allow', `${where}: ${got.reason}`);
      if (want === undefined) assert.equal(got.reason, kube.reason, where);
      const e = await explain(index, attrs);
      assert.equal(e.decision, got.decision, where);
      assert.equal(e.reason, got.reason, where);
      const allowing = e.bindings.filter((b) => b.allows);
      assert.equal(allowing.length, want === undefined ? 0 : 1, where);
      if (want !== undefined) {
        const b = allowing[0]!.binding;
        assert.equal(`${b.kind}/${b.namespace ?? ''}/${b.name}`, want, where);
      }
      for (const b of e.bindings) {
        for (const rl of b.rules) {
          if (!rl.evaluated) continue;
          assert.equal(rl.checks.every((c) => c.ok), rl.matched, `${where}: explain's checks disagree with casbin on ${JSON.stringify(rl.rule)}`);
          assert.equal(kubeRuleAllows(attrs, rl.rule), rl.matched, `${where}: ${JSON.stringify(rl.rule)}`);
        }
      }
    }
  }
});

const attrsOf = (name: string, verb: string, extra: Partial<Attributes> = {}): Attributes => ({
  user: { name, uid: '', groups: [], extra: {} }, verb, isResourceRequest: true, path: '', namespace: 'dev', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: '', ...extra,
});

test('a rule value holding a newline is one value: the verb "get\\nlist" grants neither get nor list, and the verb "list\\n" is granted', async () => {
  const index = new RbacIndex();
  index.upsert({ kind: 'Role', metadata: { namespace: 'dev', name: 'odd' }, rules: [{ verbs: ['get\nlist', 'list\n'], apiGroups: [''], resources: ['pods'], resourceNames: ['a\nb'] }] });
  index.upsert({ kind: 'RoleBinding', metadata: { namespace: 'dev', name: 'odd' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'odd' }, subjects: [{ kind: 'User', name: 'jane' }] });
  const authorizer = new RbacAuthorizer(index);
  for (const [verb, name, decision] of [['get', 'a\nb', 'noOpinion'], ['list', 'a\nb', 'noOpinion'], ['get\nlist', 'a', 'noOpinion'], ['get\nlist', 'a\nb', 'allow'], ['list\n', 'a\nb', 'allow']] as const) {
    assert.equal((await authorizer.authorize(attrsOf('jane', verb, { name }))).decision, decision, JSON.stringify({ verb, name }));
  }
});

test('a ServiceAccount subject whose namespace holds a colon applies to the user name it spells, as kube MatchesUsername does', async () => {
  const index = new RbacIndex();
  index.upsert({ kind: 'ClusterRole', metadata: { name: 'pods' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] });
  index.upsert({ kind: 'ClusterRoleBinding', metadata: { name: 'odd-sa' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pods' }, subjects: [{ kind: 'ServiceAccount', namespace: 'dev:x', name: 'y' }] });
  const authorizer = new RbacAuthorizer(index);
  assert.deepEqual(await authorizer.authorize(attrsOf('system:serviceaccount:dev:x:y', 'get')), { decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "odd-sa" of ClusterRole "pods" to ServiceAccount "y/dev:x"' });
  assert.equal((await authorizer.authorize(attrsOf('system:serviceaccount:dev:x', 'get'))).decision, 'noOpinion');
});

test('reasons quote names as Go %q does, and a ClusterRoleBinding to a Role finds no Role (kube GetRoleReferenceRules)', async () => {
  const index = new RbacIndex();
  index.upsert({ kind: 'ClusterRole', metadata: { name: 'pods' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] });
  index.upsert({ kind: 'ClusterRoleBinding', metadata: { name: 'odd-user' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pods' }, subjects: [{ kind: 'User', name: 'jane\u0001\u00e9' }] });
  index.upsert({ kind: 'ClusterRoleBinding', metadata: { name: 'to-role' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r\u007f' }, subjects: [{ kind: 'User', name: 'bob' }] });
  const authorizer = new RbacAuthorizer(index);
  assert.deepEqual(await authorizer.authorize(attrsOf('jane\u0001\u00e9', 'get')), { decision: 'allow', reason: 'RBAC: allowed by ClusterRoleBinding "odd-user" of ClusterRole "pods" to User "jane\\x01\u00e9"' });
  assert.deepEqual(await authorizer.authorize(attrsOf('bob', 'get')), { decision: 'noOpinion', reason: 'RBAC: role.rbac.authorization.k8s.io "r\\x7f" not found' });
});

test('a role edited or deleted while a decision waits for its compilation decides by the role in force when the decision ends', async () => {
  const grants = { kind: 'Role', metadata: { namespace: 'dev', name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] };
  const index = new RbacIndex();
  index.upsert(grants);
  index.upsert({ kind: 'RoleBinding', metadata: { namespace: 'dev', name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'jane' }] });
  const authorizer = new RbacAuthorizer(index);
  const edited = authorizer.authorize(attrsOf('jane', 'get'));
  const explained = explain(index, attrsOf('jane', 'get'));
  index.upsert({ ...grants, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }] });
  assert.equal((await edited).decision, 'noOpinion');
  assert.equal((await explained).decision, 'noOpinion');
  assert.equal((await authorizer.authorize(attrsOf('jane', 'get'))).decision, 'noOpinion');
  assert.equal((await authorizer.authorize(attrsOf('jane', 'list'))).decision, 'allow');
  index.upsert(grants);
  const deleted = authorizer.authorize(attrsOf('jane', 'get'));
  index.remove(grants);
  assert.deepEqual(await deleted, { decision: 'noOpinion', reason: 'RBAC: role.rbac.authorization.k8s.io "r" not found' });
  assert.deepEqual(await authorizer.authorize(attrsOf('jane', 'get')), { decision: 'noOpinion', reason: 'RBAC: role.rbac.authorization.k8s.io "r" not found' });
});
