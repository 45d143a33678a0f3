// The live view's recording (src/ui): what a credential becomes on the page (never its secret), an authenticator's
// answer in words, the ring of recent requests and its listeners, and the rule text behind an RBAC allow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowingRule, impersonationRequested, ruleText } from '../../../src/ui/capture.js';
import { boundedRequest, credentialsOfAuthorization, describeToken, liveStep, MAX_EVENT_BYTES, MAX_FRAGMENT_SECRET, scrub, type LiveRequest } from '../../../src/ui/event.js';
import { LiveRecorder } from '../../../src/ui/recorder.js';
import { allowedHosts } from '../../../src/ui/server.js';
import { PAGE_HTML, PAGE_SCRIPT } from '../../../src/ui/page.js';
import type { Explanation } from '../../../src/authz/rbac/explain.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const credentialCases: { name: string; header: string | undefined; want: unknown; secrets: string[] }[] = [
  { name: 'no header', header: undefined, want: undefined, secrets: [] },
  { name: 'an opaque static token', header: 'Bearer abc123-static', want: { kind: 'bearer-token', tokenKind: 'opaque' }, secrets: ['abc123-static'] },
  { name: 'a JWT (ServiceAccount token)', header: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', want: { kind: 'bearer-token', tokenKind: 'jwt' }, secrets: ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'] },
  { name: 'a bootstrap token (cluster-bootstrap BootstrapTokenPattern)', header: 'Bearer abcdef.0123456789abcdef', want: { kind: 'bearer-token', tokenKind: 'bootstrap' }, secrets: ['abcdef.0123456789abcdef'] },
  { name: 'basic auth: the user name, never the password', header: basic('bob', 's3cret-pw'), want: { kind: 'basic', username: 'bob' }, secrets: [Buffer.from('bob:s3cret-pw').toString('base64'), 's3cret-pw'] },
];

for (const c of credentialCases) {
  test(`credentials: ${c.name}`, () => {
    const { credential, secrets } = credentialsOfAuthorization(c.header);
    if (c.want === undefined) assert.equal(credential, undefined);
    else {
      const { sha256Prefix, ...rest } = credential as { sha256Prefix?: string };
      assert.deepEqual(rest, c.want);
      if (sha256Prefix !== undefined) assert.match(sha256Prefix, /^[0-9a-f]{8}$/);
    }
    assert.deepEqual(secrets, c.secrets);
    for (const secret of c.secrets) assert.ok(!JSON.stringify(credential).includes(secret));
  });
}

test('describeToken: the same token always gives the same 8-digit prefix of its SHA-256', () => {
  assert.equal(describeToken('abc').sha256Prefix, 'ba7816bf');
});

test('scrub and liveStep: a reason that quotes the credential is redacted; no answer is "not-mine"', () => {
  assert.equal(scrub('token "tok-1234" is unknown', ['tok-1234']), 'token "[redacted]" is unknown');
  assert.equal(scrub('short', ['ab']), 'short', 'too short to be a credential worth redacting');
  assert.deepEqual(liveStep({ authenticator: 'token-file', result: null }, []), { authenticator: 'token-file', outcome: 'not-mine', detail: '' });
  assert.deepEqual(liveStep({ authenticator: 'webhook', result: { ok: false, reason: 'bad tok-1234' } }, ['tok-1234']), { authenticator: 'webhook', outcome: 'failed', detail: 'bad [redacted]' });
  assert.deepEqual(liveStep({ authenticator: 'x509', result: { ok: true, authenticator: 'x509', user: { name: 'jane', uid: '', groups: [], extra: {} } } }, []), { authenticator: 'x509', outcome: 'authenticated', detail: 'jane' });
});

const row = (id: number): LiveRequest => ({ id, time: '', method: 'GET', uri: `/${id}`, userAgent: '', remote: '', tls: null, clientChain: [], credentials: [{ kind: 'none' }], authentication: { steps: [] }, response: { status: 200 } });

test('recorder: keeps the latest N, oldest first, and finds them by id', () => {
  const recorder = new LiveRecorder(3);
  for (let i = 0; i < 5; i++) recorder.record({ request: row(recorder.allocateId()), clientChainPem: [] });
  assert.deepEqual(recorder.history().map((r) => r.id), [3, 4, 5]);
  assert.equal(recorder.find(2), undefined);
  assert.equal(recorder.find(4)?.request.uri, '/4');
  assert.throws(() => new LiveRecorder(0), RangeError);
});

test('recorder: listeners are told each request until they unsubscribe; one that throws does not stop the others', () => {
  const recorder = new LiveRecorder();
  const seen: number[] = [];
  recorder.subscribe(() => {
    throw new Error('page went away');
  });
  const stop = recorder.subscribe((r) => seen.push(r.id));
  recorder.record({ request: row(1), clientChainPem: [] });
  stop();
  recorder.record({ request: row(2), clientChainPem: [] });
  assert.deepEqual(seen, [1]);
  assert.equal(recorder.listenerCount, 1);
});

const explanation = (reasonBinding: string): Explanation => ({
  user: { name: 'jane', groups: [] },
  request: { verb: 'list', isResourceRequest: true, path: '', namespace: 'dev', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', name: '' },
  bindings: [
    {
      description: reasonBinding,
      binding: { kind: 'RoleBinding', name: 'jane-reads', namespace: 'dev' },
      role: { kind: 'Role', name: 'pod-reader', found: true },
      allows: true,
      rules: [
        { rule: { verbs: ['create'], apiGroups: [''], resources: ['pods'] }, evaluated: true, matched: false, checks: [] },
        { rule: { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }, evaluated: true, matched: true, checks: [] },
      ],
    },
  ],
  decision: 'allow',
  reason: `RBAC: allowed by ${reasonBinding}`,
});

test('allowingRule: the binding, role and matched rule, only when they are what the decision named', () => {
  const d = 'RoleBinding "jane-reads/dev" of Role "pod-reader" to User "jane"';
  assert.deepEqual(allowingRule(explanation(d), `RBAC: allowed by ${d}`), { binding: 'RoleBinding dev/jane-reads', role: 'Role pod-reader', rule: 'verbs=[get,list] apiGroups=[""] resources=[pods]' });
  assert.deepEqual(allowingRule(explanation(d), ''), {}, 'allowed by another authorizer: no RBAC rule is claimed');
  assert.equal(ruleText({ verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] }), 'verbs=[get] nonResourceURLs=[/healthz,/version]');
});


test('the page script is valid JavaScript (a quoting slip in the TS string would leave the page blank)', () => {
  assert.doesNotThrow(() => new Function(PAGE_SCRIPT));
  assert.match(PAGE_HTML, /<script src="\/app\.js"><\/script>/);
});

test('impersonationRequested: every value of a repeated header as sent (a comma inside one stays), extras by key', () => {
  assert.deepEqual(
    impersonationRequested({ 'impersonate-user': ['jane'], 'impersonate-group': ['dev', 'qa, ops'], 'impersonate-extra-scopes': ['view'], accept: ['*/*'] }),
    ['User: jane', 'Group: dev', 'Group: qa, ops', 'Extra scopes: view'],
  );
});

test('credentials: the bearer token is the one kube reads ("Bearer a b" is "a"; UTF-8 bytes decoded), hashed and scrubbed as such', () => {
  const { credential, secrets } = credentialsOfAuthorization('Bearer tok-abcdef-0123 trailing');
  assert.deepEqual(credential, describeToken('tok-abcdef-0123'), 'the hash is of the token the authenticators saw');
  assert.ok(secrets.includes('tok-abcdef-0123'));
  assert.equal(scrub('token "tok-abcdef-0123" unknown', secrets), 'token "[redacted]" unknown');
  // node:http gives header bytes one char each (latin1); the authenticators decode the token from UTF-8.
  const utf8 = credentialsOfAuthorization(Buffer.from('Bearer tökén-geheim-42', 'utf8').toString('latin1'));
  assert.ok(utf8.secrets.includes('tökén-geheim-42'));
  assert.equal(scrub('webhook: tökén-geheim-42 is revoked', utf8.secrets), 'webhook: [redacted] is revoked');
});

test('scrub: a part of a token, or the token as JSON quotes it, is redacted too (a webhook error quoting its review)', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  assert.equal(scrub('an error on the server ("unknown token eyJhbGciOiJSUzI1NiJ9.eyJzdWIi...") has prevented', [token]), 'an error on the server ("unknown token [redacted]...") has prevented');
  assert.equal(scrub('bad signature c2lnbmF0dXJlLXNpZ25hdHVyZQ', [token]), 'bad signature [redacted]');
  const quoted = 'abc"def\\ghi-secret';
  assert.equal(scrub(`{"spec":{"token":${JSON.stringify(quoted)}}}`, [quoted]), '{"spec":{"token":"[redacted]"}}');
  assert.equal(scrub('User "jane" cannot list pods', [token]), 'User "jane" cannot list pods', 'nothing else is touched');
});

test('boundedRequest: one request with a huge path, User-Agent and thousands of groups is one small row; decisions are never cut', () => {
  const huge: LiveRequest = {
    ...row(1),
    uri: `/api/${'a'.repeat(900 * 1024)}`,
    userAgent: 'u'.repeat(100_000),
    user: { name: 'n'.repeat(50_000), groups: Array.from({ length: 5000 }, (_, i) => `group-${i}-${'g'.repeat(200)}`), uid: '', extra: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, ['v'.repeat(1000)]])) },
    impersonation: { requested: Array.from({ length: 3000 }, (_, i) => `Group: g${i}`) },
    authorization: { decision: 'forbid', reason: 'r'.repeat(100_000), explainable: true },
    response: { status: 403, reason: 'Forbidden', message: 'm'.repeat(300_000) },
  };
  const b = boundedRequest(huge);
  assert.ok(Buffer.byteLength(JSON.stringify(b)) <= MAX_EVENT_BYTES, `${Buffer.byteLength(JSON.stringify(b))}`);
  assert.ok(b.uri.startsWith('/api/aaaa'));
  assert.match(b.uri, /\.\.\. \[\d+ more characters\]$/);
  assert.equal(b.authorization?.decision, 'forbid');
  assert.equal(b.authorization?.explainable, true);
  assert.equal(b.response.status, 403);
  assert.equal(b.response.reason, 'Forbidden');
  assert.match(b.user!.groups.at(-1)!, /^\.\.\. \[\d+ more\]$/);
  const small = row(2);
  assert.deepEqual(boundedRequest(small), small, 'an ordinary request is kept whole');
});

test('credentials: an Authorization header no authenticator reads is said so, never shown as a bearer token', () => {
  const cases: [string, string][] = [
    ['Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEF', 'Negotiate'],
    ['Bearer  two-spaces-token-123', 'Bearer'], // kube's bearertoken.go ignores it, with a warning
    ['Bearer', 'Bearer without a value'],
    ['s3cret-token-without-scheme', 'not a known scheme'],
    ['s3cret-token-part1 s3cret-part2', 'not a known scheme'],
  ];
  for (const [header, scheme] of cases) {
    const { credential, secrets } = credentialsOfAuthorization(header);
    assert.deepEqual(credential, { kind: 'unread-authorization', scheme }, header);
    for (const word of header.split(' ').filter((w) => w.length >= 10)) assert.equal(scrub(`said ${word}`, secrets), 'said [redacted]', header);
  }
});

test('boundedRequest measures bytes: a row of three-byte characters is held to MAX_EVENT_BYTES too', () => {
  const wide = '語'.repeat(200_000);
  const b = boundedRequest({ ...row(1), uri: wide, userAgent: wide, authentication: { steps: [], failure: wide }, user: { name: wide, uid: wide, groups: Array.from({ length: 6 }, () => wide), extra: { k: [wide, wide] } }, response: { status: 401, message: wide } });
  assert.ok(Buffer.byteLength(JSON.stringify(b)) <= MAX_EVENT_BYTES, `${Buffer.byteLength(JSON.stringify(b))} bytes`);
  assert.equal(b.response.status, 401);
});

test('allowedHosts: the bound address or localhost with the port; on port 80 also without it, as browsers send it', () => {
  assert.deepEqual([...allowedHosts('127.0.0.1', 8080)].sort(), ['127.0.0.1:8080', 'localhost:8080']);
  assert.deepEqual([...allowedHosts('::1', 8080)].sort(), ['[::1]:8080', 'localhost:8080']);
  assert.deepEqual([...allowedHosts('127.0.0.1', 80)].sort(), ['127.0.0.1', '127.0.0.1:80', 'localhost', 'localhost:80']);
});

test('scrub: a 1 MiB token (the API takes that much header) is redacted whole, and by fragments of its first MAX_FRAGMENT_SECRET characters', () => {
  const huge = `${'T0123456789'.repeat(MAX_FRAGMENT_SECRET / 8)}${'x'.repeat(1024 * 1024)}`;
  const { credential, secrets } = credentialsOfAuthorization(`Bearer ${huge}`);
  assert.equal(credential?.kind, 'bearer-token');
  assert.equal(scrub(`token ${huge} unknown`, secrets), 'token [redacted] unknown');
  assert.equal(scrub(`token ${huge.slice(0, 12_000)}...`, secrets), 'token [redacted]...', 'a quoted beginning');
  const jwt = `${'h'.repeat(40)}.${'p'.repeat(400)}.${'s'.repeat(300)}`;
  assert.equal(scrub(`bad ${'s'.repeat(20)}`, [jwt]), 'bad [redacted]');
});
