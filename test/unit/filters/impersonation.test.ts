// The impersonation filter, through a real Koa app over http: TestImpersonationFilter's table from
// staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation/impersonation_test.go (every row, with its
// impersonateAuthorizer ported as a small fake), then the attributes, messages and header rules of
// impersonation.go that the Go table does not spell out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Koa from 'koa';
import request from 'supertest';
import type { UserInfo } from '../../../src/authn/types.js';
import type { Attributes, AuthorizationResult, Authorizer } from '../../../src/authz/types.js';
import { impersonation, splitServiceAccountUsername, unescapeExtraKey } from '../../../src/filters/impersonation.js';
import { statusErrors } from '../../../src/filters/status-errors.js';
import type { KubeState } from '../../../src/request/state.js';
import { createLogger } from '../../../src/util/log.js';

const allow: AuthorizationResult = { decision: 'allow', reason: '' };

/** impersonation_test.go's impersonateAuthorizer; "tester" gets an error, which a fake signals by throwing. */
const impersonateAuthorizer: Authorizer = {
  async authorize(a: Attributes): Promise<AuthorizationResult> {
    const { name, groups } = a.user;
    if (name === 'system:admin') return allow;
    if (name === 'tester') throw new Error('works on my machine');
    if (name === 'deny-me') return { decision: 'noOpinion', reason: 'denied' };
    const imp = a.verb === 'impersonate';
    if (groups[0] === 'wheel' && imp && a.resource === 'users') return allow;
    if (groups[0] === 'sa-impersonater' && imp && a.resource === 'serviceaccounts') return allow;
    if (groups[0] === 'regular-impersonater' && imp && a.resource === 'users') return allow;
    if (groups[1] === 'group-impersonater' && imp && a.resource === 'groups') return allow;
    if (groups[1] === 'extra-setter-scopes' && imp && a.resource === 'userextras' && a.subresource === 'scopes') return allow;
    if (groups[1] === 'escaped-scopes' || groups[1] === 'almost-escaped-scopes') return allow;
    if (groups[1] === 'extra-setter-particular-scopes' && imp && a.resource === 'userextras' && a.subresource === 'scopes' && a.name === 'scope-a' && a.apiGroup === 'authentication.k8s.io') return allow;
    if (groups[1] === 'extra-setter-project' && imp && a.resource === 'userextras' && a.subresource === 'project' && a.apiGroup === 'authentication.k8s.io') return allow;
    if (groups[0] === 'everything-impersonater' && imp) {
      if (a.resource === 'users' && a.apiGroup === '') return allow;
      if (a.resource === 'uids' && a.name === 'some-uid' && a.apiGroup === 'authentication.k8s.io') return allow;
      if (a.resource === 'groups' && a.apiGroup === '') return allow;
      if (a.resource === 'userextras' && a.subresource === 'scopes' && a.apiGroup === 'authentication.k8s.io') return allow;
    }
    return { decision: 'noOpinion', reason: 'deny by default' };
  },
};

const u = (name: string, groups: string[] = [], extra: Record<string, string[]> = {}, uid = ''): UserInfo => ({ name, uid, groups, extra });

/** superagent sends an array as repeated header lines (node's setHeader); its types only admit a string. */
const lines = (values: string | string[]): string => values as string;

interface Impersonate {
  user?: string | string[];
  groups?: string[];
  extras?: Record<string, string[]>;
  uid?: string;
}

/** What one request through [statusErrors, set user, impersonation, handler] did. */
interface Outcome {
  status: number;
  body: unknown;
  text: string;
  contentType: string;
  /** ctx.state.user after the filter (the original user when it refused). */
  user: UserInfo | undefined;
  impersonator: UserInfo | undefined;
  /** The headers the handler saw, or undefined if it was not reached. */
  handlerHeaders?: { headers: Record<string, unknown>; distinct: Record<string, unknown>; raw: string[] };
  calls: Attributes[];
}

async function run(requestor: UserInfo, imp: Impersonate, authorizer: Authorizer = impersonateAuthorizer, extraHeaders: Record<string, string> = {}): Promise<Outcome> {
  const calls: Attributes[] = [];
  const recording: Authorizer = {
    authorize: async (a) => {
      calls.push(a);
      return authorizer.authorize(a);
    },
  };
  const out: Partial<Outcome> = { calls };
  const app = new Koa<KubeState>();
  app.use(statusErrors(createLogger('silent')));
  app.use(async (ctx, next) => {
    ctx.state.user = requestor;
    try {
      await next();
    } finally {
      out.user = ctx.state.user;
      out.impersonator = ctx.state.impersonator;
    }
  });
  app.use(impersonation(recording));
  app.use((ctx) => {
    out.handlerHeaders = { headers: { ...ctx.req.headers }, distinct: { ...ctx.req.headersDistinct }, raw: [...ctx.req.rawHeaders] };
    ctx.body = 'ok';
  });
  let req = request(app.callback()).get('/api/v1/namespaces/default/pods');
  if (imp.user !== undefined) req = req.set('Impersonate-User', lines(imp.user));
  if (imp.groups !== undefined) req = req.set('Impersonate-Group', lines(imp.groups));
  for (const [key, values] of Object.entries(imp.extras ?? {})) req = req.set(`Impersonate-Extra-${key}`, lines(values));
  if (imp.uid !== undefined) req = req.set('Impersonate-Uid', imp.uid);
  for (const [name, value] of Object.entries(extraHeaders)) req = req.set(name, value);
  const res = await req;
  return { ...(out as Outcome), status: res.status, body: res.status === 200 ? res.text : res.body, text: res.text, contentType: res.headers['content-type'] ?? '' };
}

// TestImpersonationFilter, row for row (kube runs the same table against WithConstrainedImpersonation too).
const rows: { name: string; user: UserInfo; imp: Impersonate; expectedUser: UserInfo; expectedCode: number }[] = [
  { name: 'not-impersonating', user: u('tester'), imp: {}, expectedUser: u('tester'), expectedCode: 200 },
  { name: 'impersonating-error', user: u('tester'), imp: { user: 'anyone' }, expectedUser: u('tester'), expectedCode: 403 },
  { name: 'impersonating-group-without-user', user: u('tester'), imp: { groups: ['some-group'] }, expectedUser: u('tester'), expectedCode: 500 },
  { name: 'impersonating-extra-without-user', user: u('tester'), imp: { extras: { scopes: ['scope-a'] } }, expectedUser: u('tester'), expectedCode: 500 },
  { name: 'impersonating-uid-without-user', user: u('tester'), imp: { uid: 'some-uid' }, expectedUser: u('tester'), expectedCode: 500 },
  { name: 'disallowed-group', user: u('dev', ['wheel']), imp: { user: 'system:admin', groups: ['some-group'] }, expectedUser: u('dev', ['wheel']), expectedCode: 403 },
  {
    name: 'allowed-group',
    user: u('dev', ['wheel', 'group-impersonater']),
    imp: { user: 'system:admin', groups: ['some-group'] },
    expectedUser: u('system:admin', ['some-group', 'system:authenticated']),
    expectedCode: 200,
  },
  {
    name: 'disallowed-userextra-1',
    user: u('dev', ['wheel']),
    imp: { user: 'system:admin', groups: ['some-group'], extras: { scopes: ['scope-a'] } },
    expectedUser: u('dev', ['wheel']),
    expectedCode: 403,
  },
  {
    name: 'disallowed-userextra-2',
    user: u('dev', ['wheel', 'extra-setter-project']),
    imp: { user: 'system:admin', groups: ['some-group'], extras: { scopes: ['scope-a'] } },
    expectedUser: u('dev', ['wheel', 'extra-setter-project']),
    expectedCode: 403,
  },
  {
    name: 'disallowed-userextra-3',
    user: u('dev', ['wheel', 'extra-setter-particular-scopes']),
    imp: { user: 'system:admin', groups: ['some-group'], extras: { scopes: ['scope-a', 'scope-b'] } },
    expectedUser: u('dev', ['wheel', 'extra-setter-particular-scopes']),
    expectedCode: 403,
  },
  {
    name: 'allowed-userextras',
    user: u('dev', ['wheel', 'extra-setter-scopes']),
    imp: { user: 'system:admin', extras: { scopes: ['scope-a', 'scope-b'] } },
    expectedUser: u('system:admin', ['system:authenticated'], { scopes: ['scope-a', 'scope-b'] }),
    expectedCode: 200,
  },
  {
    name: 'percent-escaped-userextras',
    user: u('dev', ['wheel', 'escaped-scopes']),
    imp: { user: 'system:admin', extras: { 'example.com%2fescaped%e1%9b%84scopes': ['scope-a', 'scope-b'] } },
    expectedUser: u('system:admin', ['system:authenticated'], { 'example.com/escapedᛄscopes': ['scope-a', 'scope-b'] }),
    expectedCode: 200,
  },
  {
    name: 'almost-percent-escaped-userextras',
    user: u('dev', ['wheel', 'almost-escaped-scopes']),
    imp: { user: 'system:admin', extras: { 'almost%zzpercent%xxencoded': ['scope-a', 'scope-b'] } },
    expectedUser: u('system:admin', ['system:authenticated'], { 'almost%zzpercent%xxencoded': ['scope-a', 'scope-b'] }),
    expectedCode: 200,
  },
  { name: 'allowed-users-impersonation', user: u('dev', ['regular-impersonater']), imp: { user: 'tester' }, expectedUser: u('tester', ['system:authenticated']), expectedCode: 200 },
  { name: 'disallowed-impersonating', user: u('dev', ['sa-impersonater']), imp: { user: 'tester' }, expectedUser: u('dev', ['sa-impersonater']), expectedCode: 403 },
  {
    name: 'allowed-sa-impersonating',
    user: u('dev', ['sa-impersonater']),
    imp: { user: 'system:serviceaccount:foo:default' },
    expectedUser: u('system:serviceaccount:foo:default', ['system:serviceaccounts', 'system:serviceaccounts:foo', 'system:authenticated']),
    expectedCode: 200,
  },
  { name: 'anonymous-username-prevents-adding-authenticated-group', user: u('system:admin'), imp: { user: 'system:anonymous' }, expectedUser: u('system:anonymous', ['system:unauthenticated']), expectedCode: 200 },
  // These two rows appear in the stored impersonation/impersonation_test.go (the 1.35 constrained-impersonation
  // era) with expectedCode 200, but neither the filter source nor its impersonateAuthorizer allows them: a
  // system:anonymous requestor matches no rule ("deny by default"), and WithImpersonation asks the authorizer
  // even when the requestor names itself. We assert what the source does; see the report.
  {
    name: 'anonymous-username-already-has-unauthenticated-group',
    user: u('system:anonymous', ['system:unauthenticated']),
    imp: { user: 'system:anonymous' },
    expectedUser: u('system:anonymous', ['system:unauthenticated']),
    expectedCode: 403,
  },
  {
    name: 'anonymous-username-adding-unauthenticated-group',
    user: u('system:anonymous', []),
    imp: { user: 'system:anonymous' },
    expectedUser: u('system:anonymous', []),
    expectedCode: 403,
  },
  {
    name: 'unauthenticated-group-prevents-adding-authenticated-group',
    user: u('system:admin'),
    imp: { user: 'unknown', groups: ['system:unauthenticated'] },
    expectedUser: u('unknown', ['system:unauthenticated']),
    expectedCode: 200,
  },
  {
    name: 'unauthenticated-group-prevents-double-adding-authenticated-group',
    user: u('system:admin'),
    imp: { user: 'unknown', groups: ['system:authenticated'] },
    expectedUser: u('unknown', ['system:authenticated']),
    expectedCode: 200,
  },
  {
    name: 'specified-authenticated-group-prevents-double-adding-authenticated-group',
    user: u('dev', ['wheel', 'group-impersonater']),
    imp: { user: 'system:admin', groups: ['some-group', 'system:authenticated'] },
    expectedUser: u('system:admin', ['some-group', 'system:authenticated']),
    expectedCode: 200,
  },
  { name: 'anonymous-user-should-include-unauthenticated-group', user: u('system:admin'), imp: { user: 'system:anonymous' }, expectedUser: u('system:anonymous', ['system:unauthenticated']), expectedCode: 200 },
  {
    name: 'anonymous-user-prevents-double-adding-unauthenticated-group',
    user: u('system:admin'),
    imp: { user: 'system:anonymous', groups: ['system:unauthenticated'] },
    expectedUser: u('system:anonymous', ['system:unauthenticated']),
    expectedCode: 200,
  },
  {
    name: 'allowed-user-impersonation-with-uid',
    user: u('dev', ['everything-impersonater']),
    imp: { user: 'tester', uid: 'some-uid' },
    expectedUser: u('tester', ['system:authenticated'], {}, 'some-uid'),
    expectedCode: 200,
  },
  {
    name: 'disallowed-user-impersonation-with-uid',
    user: u('dev', ['everything-impersonater']),
    imp: { user: 'tester', uid: 'disallowed-uid' },
    expectedUser: u('dev', ['everything-impersonater']),
    expectedCode: 403,
  },
  {
    name: 'allowed-impersonation-with-all-headers',
    user: u('dev', ['everything-impersonater']),
    imp: { user: 'tester', uid: 'some-uid', groups: ['system:authenticated'], extras: { scopes: ['scope-a', 'scope-b'] } },
    expectedUser: u('tester', ['system:authenticated'], { scopes: ['scope-a', 'scope-b'] }, 'some-uid'),
    expectedCode: 200,
  },
];

for (const row of rows) {
  test(`TestImpersonationFilter/${row.name}`, async () => {
    const out = await run(row.user, row.imp);
    assert.equal(out.status, row.expectedCode, JSON.stringify(out.body));
    assert.deepEqual(out.user, row.expectedUser);
    if (row.expectedCode !== 200) {
      assert.equal(out.handlerHeaders, undefined, 'the handler must not run');
      assert.equal(out.impersonator, undefined);
      return;
    }
    const impersonating = Object.keys(row.imp).length > 0;
    assert.deepEqual(out.impersonator, impersonating ? row.user : undefined);
    // kube's doNothingHandler: no Impersonate-* header is left on the request
    const h = out.handlerHeaders!;
    for (const names of [Object.keys(h.headers), Object.keys(h.distinct), h.raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())]) {
      assert.deepEqual(names.filter((n) => n.startsWith('impersonate-')), [], 'impersonation headers must be removed');
    }
  });
}

// ---- Beyond the Go table: what impersonation.go does that the table does not spell out. ----

/** A fake that allows exactly what `allowed` says, with a fixed reason for everything else. */
const allowOnly = (allowed: (a: Attributes) => boolean, reason = ''): Authorizer => ({
  authorize: async (a) => (allowed(a) ? allow : { decision: 'noOpinion', reason }),
});
const allowAll = allowOnly(() => true);
const bob = u('bob', ['system:authenticated']);

const attrs = (over: Partial<Attributes>): Attributes => ({
  user: bob,
  verb: 'impersonate',
  isResourceRequest: true,
  path: '',
  namespace: '',
  apiGroup: '',
  apiVersion: '',
  resource: '',
  subresource: '',
  name: '',
  ...over,
});

test('each part is authorized with the requestor, in kube order: user, groups, extra values, uid', async () => {
  const out = await run(bob, { user: 'jane', groups: ['dev', 'qa'], extras: { scopes: ['a', 'b'] }, uid: 'u-1' }, allowAll);
  assert.equal(out.status, 200);
  assert.deepEqual(out.calls, [
    attrs({ resource: 'users', name: 'jane' }),
    attrs({ resource: 'groups', name: 'dev' }),
    attrs({ resource: 'groups', name: 'qa' }),
    attrs({ apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'userextras', subresource: 'scopes', name: 'a' }),
    attrs({ apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'userextras', subresource: 'scopes', name: 'b' }),
    attrs({ apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'uids', name: 'u-1' }),
  ]);
  assert.deepEqual(out.user, u('jane', ['dev', 'qa', 'system:authenticated'], { scopes: ['a', 'b'] }, 'u-1'));
  assert.deepEqual(out.impersonator, bob);
});

test('a service account user is the serviceaccounts resource in its namespace, core group, and gets its groups', async () => {
  const out = await run(bob, { user: 'system:serviceaccount:kube-system:deployer' }, allowAll);
  assert.deepEqual(out.calls, [attrs({ resource: 'serviceaccounts', namespace: 'kube-system', name: 'deployer' })]);
  assert.deepEqual(out.user, u('system:serviceaccount:kube-system:deployer', ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated']));
});

test('a service account with Impersonate-Group: the groups given replace its fixed ones', async () => {
  const out = await run(bob, { user: 'system:serviceaccount:foo:default', groups: ['dev'] }, allowAll);
  assert.deepEqual(out.user, u('system:serviceaccount:foo:default', ['dev', 'system:authenticated']));
});

test('a name that is not a valid service account name is an ordinary user', async () => {
  const out = await run(bob, { user: 'system:serviceaccount:Foo:default' }, allowAll);
  assert.deepEqual(out.calls, [attrs({ resource: 'users', name: 'system:serviceaccount:Foo:default' })]);
  assert.deepEqual(out.user, u('system:serviceaccount:Foo:default', ['system:authenticated']));
});

const forbiddenCases: { name: string; imp: Impersonate; authorizer: Authorizer; message: string; details: object }[] = [
  {
    name: 'users',
    imp: { user: 'jane' },
    authorizer: allowOnly(() => false),
    message: 'users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    details: { name: 'jane', kind: 'users' },
  },
  {
    name: 'serviceaccounts, namespaced',
    imp: { user: 'system:serviceaccount:foo:default' },
    authorizer: allowOnly(() => false, 'no SA for you'),
    message: 'serviceaccounts "default" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "foo": no SA for you',
    details: { name: 'default', kind: 'serviceaccounts' },
  },
  {
    name: 'groups, after the user was allowed',
    imp: { user: 'jane', groups: ['dev'] },
    authorizer: allowOnly((a) => a.resource === 'users', 'deny by default'),
    message: 'groups "dev" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope: deny by default',
    details: { name: 'dev', kind: 'groups' },
  },
  {
    name: 'userextras, the key as subresource',
    imp: { user: 'jane', extras: { scopes: ['scope-a'] } },
    authorizer: allowOnly((a) => a.resource === 'users'),
    message: 'userextras.authentication.k8s.io "scope-a" is forbidden: User "bob" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
    details: { name: 'scope-a', group: 'authentication.k8s.io', kind: 'userextras' },
  },
  {
    name: 'uids',
    imp: { user: 'jane', uid: 'u-1' },
    authorizer: allowOnly((a) => a.resource === 'users'),
    message: 'uids.authentication.k8s.io "u-1" is forbidden: User "bob" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
    details: { name: 'u-1', group: 'authentication.k8s.io', kind: 'uids' },
  },
  {
    name: 'an authorizer error is a 403 with no reason, not a 500',
    imp: { user: 'jane' },
    authorizer: { authorize: async () => Promise.reject(new Error('works on my machine')) },
    message: 'users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    details: { name: 'jane', kind: 'users' },
  },
  {
    name: 'the message is HTML-sanitized as responsewriters.Forbidden does (a %-decoded extra key)',
    imp: { user: 'jane', extras: { '%3Cb%3E%26': ['x'] } },
    authorizer: allowOnly((a) => a.resource === 'users'),
    message: 'userextras.authentication.k8s.io "x" is forbidden: User "bob" cannot impersonate resource "userextras/&lt;b&gt;&amp;" in API group "authentication.k8s.io" at the cluster scope',
    details: { name: 'x', group: 'authentication.k8s.io', kind: 'userextras' },
  },
];

for (const c of forbiddenCases) {
  test(`refused impersonation of ${c.name}: kube's 403 Status`, async () => {
    const out = await run(bob, c.imp, c.authorizer);
    assert.equal(out.status, 403);
    assert.deepEqual(out.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: c.message, reason: 'Forbidden', details: c.details, code: 403 });
    assert.deepEqual(out.user, bob);
  });
}

test('the first refusal ends the checks', async () => {
  const out = await run(bob, { user: 'jane', groups: ['a', 'b'], uid: 'u' }, allowOnly((a) => a.resource === 'users'));
  assert.equal(out.status, 403);
  assert.deepEqual(out.calls.map((a) => `${a.resource}/${a.name}`), ['users/jane', 'groups/a']);
});

const badRequests: { name: string; imp: Impersonate; message: string }[] = [
  { name: 'a group', imp: { groups: ['some-group'] }, message: 'requested [{Group  some-group    }] without impersonating a user' },
  { name: 'an extra', imp: { extras: { scopes: ['scope-a'] } }, message: 'requested [{UserExtra  scope-a  authentication.k8s.io/v1  scopes}] without impersonating a user' },
  { name: 'a uid', imp: { uid: 'some-uid' }, message: 'requested [{UID  some-uid  authentication.k8s.io/v1  }] without impersonating a user' },
  {
    name: 'groups, extra and uid, with an empty Impersonate-User',
    imp: { user: '', groups: ['a', 'b'], extras: { k: ['v'] }, uid: 'u' },
    message: 'requested [{Group  a    } {Group  b    } {UserExtra  v  authentication.k8s.io/v1  k} {UID  u  authentication.k8s.io/v1  }] without impersonating a user',
  },
];

for (const c of badRequests) {
  test(`${c.name} without a user is kube's plain-text 500 (responsewriters.InternalError), before any authorization`, async () => {
    const out = await run(bob, c.imp, allowAll);
    assert.equal(out.status, 500);
    assert.equal(out.text, `Internal Server Error: "/api/v1/namespaces/default/pods": ${c.message}\n`);
    assert.equal(out.contentType, 'text/plain; charset=utf-8');
    assert.deepEqual(out.calls, []);
  });
}

test('an empty Impersonate-User alone is no impersonation: nothing asked, the header left as it is', async () => {
  const out = await run(bob, { user: '' }, allowAll);
  assert.equal(out.status, 200);
  assert.deepEqual(out.user, bob);
  assert.equal(out.impersonator, undefined);
  assert.deepEqual(out.calls, []);
  assert.equal(out.handlerHeaders?.headers['impersonate-user'], '');
});

test('a repeated Impersonate-User: the first is used (Header.Get)', async () => {
  const out = await run(bob, { user: ['jane', 'john'] }, allowAll);
  assert.deepEqual(out.user, u('jane', ['system:authenticated']));
});

test('extra keys are lower-cased then %-decoded; a value with a comma is one value; other headers stay', async () => {
  const out = await run(bob, { user: 'jane', extras: { 'Example.com%2FPath': ['a, b'], SCOPES: ['x', 'y'] } }, allowAll, { 'X-Other': 'kept' });
  assert.equal(out.status, 200);
  assert.deepEqual(out.user?.extra, { 'example.com/path': ['a, b'], scopes: ['x', 'y'] });
  assert.equal(out.handlerHeaders?.headers['x-other'], 'kept');
});

test('impersonating system:anonymous: system:unauthenticated, never system:authenticated', async () => {
  const out = await run(bob, { user: 'system:anonymous', groups: ['dev'] }, allowAll);
  assert.deepEqual(out.user, u('system:anonymous', ['dev', 'system:unauthenticated']));
});

const unescapes: [string, string][] = [
  ['scopes', 'scopes'],
  ['example.com%2fescaped%e1%9b%84scopes', 'example.com/escapedᛄscopes'],
  ['almost%zzpercent%xxencoded', 'almost%zzpercent%xxencoded'],
  ['trailing%', 'trailing%'],
  ['trailing%4', 'trailing%4'],
  ['%41%42c', 'ABc'],
  ['a+b', 'a+b'],
  ['%2B', '+'],
  ['bad-utf8-%ff', 'bad-utf8-\uFFFD'],
];
for (const [input, want] of unescapes) {
  test(`unescapeExtraKey(${JSON.stringify(input)}) is url.PathUnescape or the key as given`, () => {
    assert.equal(unescapeExtraKey(input), want);
  });
}

const saNames: [string, { namespace: string; name: string } | null][] = [
  ['system:serviceaccount:foo:default', { namespace: 'foo', name: 'default' }],
  ['system:serviceaccount:foo:my.sa-1', { namespace: 'foo', name: 'my.sa-1' }],
  [`system:serviceaccount:${'n'.repeat(63)}:x`, { namespace: 'n'.repeat(63), name: 'x' }],
  [`system:serviceaccount:${'n'.repeat(64)}:x`, null],
  ['system:serviceaccount:foo', null],
  ['system:serviceaccount:foo:bar:baz', null],
  ['system:serviceaccount::bar', null],
  ['system:serviceaccount:foo:', null],
  ['system:serviceaccount:Foo:bar', null],
  ['system:serviceaccount:f.o:bar', null],
  ['system:serviceaccount:foo:-bar', null],
  ['system:serviceaccounts:foo:bar', null],
  ['jane', null],
];
for (const [input, want] of saNames) {
  test(`SplitUsername(${JSON.stringify(input.length > 40 ? `${input.slice(0, 37)}...` : input)})`, () => {
    assert.deepEqual(splitServiceAccountUsername(input), want);
  });
}
