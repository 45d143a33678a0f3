// Cases from k8s.io/apiserver v0.34.4 plugin/pkg/authenticator/token/webhook/webhook_v1_test.go
// (TestV1WebhookTokenAuthenticator: user fields and audiences; TestV1WebhookCacheAndRetry: errors not cached,
// answers cached, 500 and 429 retried 5 times, 404 not retried) and webhook_v1beta1_test.go (the v1beta1 body),
// against a local HTTPS webhook that requires a client certificate, as kube's test server does.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readClientConfig } from '../../../../src/kubeconfig/read.js';
import { webhookClient, type Backoff } from '../../../../src/authn/webhook/client.js';
import { cachedWebhookTokenAuthenticator, webhookTokenAuthenticator, type TokenWebhookVersion } from '../../../../src/authn/webhook/token.js';
import type { TokenAuthenticator } from '../../../../src/authn/types.js';
import { startTokenWebhook, type TestTokenWebhook } from '../../../helpers/token-webhook.js';

// kube's testRetryBackoff has 5 ms delays; ours are not slept at all (the sleep is injected), only counted.
const TEST_BACKOFF: Backoff = { durationMs: 5, factor: 1.5, jitter: 0.2, steps: 5 };
const noSleep = async (): Promise<void> => undefined;
const API_AUDS = ['api'];
const TOKEN = 'my-s3cr3t-t0ken';

let hook: TestTokenWebhook;
before(async () => {
  hook = await startTokenWebhook();
});
after(() => hook.close());

async function authenticator(opts: { version?: TokenWebhookVersion; implicit?: readonly string[]; cacheTtlMs?: number } = {}): Promise<TokenAuthenticator> {
  const client = webhookClient(await readClientConfig(hook.kubeconfigFile), { backoff: TEST_BACKOFF, sleep: noSleep });
  const base = { client, version: opts.version ?? 'v1', implicitAudiences: opts.implicit ?? [] };
  return opts.cacheTtlMs === undefined ? webhookTokenAuthenticator(base) : cachedWebhookTokenAuthenticator({ ...base, cacheTtlMs: opts.cacheTtlMs });
}

describe('TestV1WebhookTokenAuthenticator', () => {
  const cases: { description: string; implicit?: string[]; reqAuds?: string[]; status: Record<string, unknown>; authenticated: boolean; user?: object; auds?: string[] }[] = [
    { description: 'successful response should pass through all user info (name only)', status: { authenticated: true, user: { username: 'somebody' } }, authenticated: true, user: { name: 'somebody', uid: '', groups: [], extra: {} } },
    {
      description: 'successful response should pass through all user info',
      status: { authenticated: true, user: { username: 'person@place.com', uid: 'abcd-1234', groups: ['stuff-dev', 'main-eng'], extra: { foo: ['bar', 'baz'] } } },
      authenticated: true,
      user: { name: 'person@place.com', uid: 'abcd-1234', groups: ['stuff-dev', 'main-eng'], extra: { foo: ['bar', 'baz'] } },
    },
    { description: "unauthenticated shouldn't even include extra provided info", status: { authenticated: false, user: { username: 'garbage', uid: 'abcd-1234', groups: ['not-actually-used'] } }, authenticated: false },
    { description: "unauthenticated shouldn't even include extra provided info (empty)", status: { authenticated: false }, authenticated: false },
    { description: 'good audience', implicit: API_AUDS, reqAuds: API_AUDS, status: { authenticated: true, user: { username: 'somebody' } }, authenticated: true, user: { name: 'somebody', uid: '', groups: [], extra: {} }, auds: API_AUDS },
    { description: 'good audience (implicit has another)', implicit: [...API_AUDS, 'other'], reqAuds: API_AUDS, status: { authenticated: true, user: { username: 'somebody' } }, authenticated: true, auds: API_AUDS },
    { description: 'bad audiences', implicit: API_AUDS, reqAuds: ['other'], status: { authenticated: false }, authenticated: false },
    { description: "bad audiences (webhook authenticator hasn't been upgraded to support audience)", implicit: API_AUDS, reqAuds: ['other'], status: { authenticated: true, user: { username: 'somebody' } }, authenticated: false },
    { description: 'audience aware backend', implicit: API_AUDS, reqAuds: API_AUDS, status: { authenticated: true, user: { username: 'somebody' }, audiences: API_AUDS }, authenticated: true, auds: API_AUDS },
    { description: 'audience aware backend, request without audiences', status: { authenticated: true, user: { username: 'somebody' }, audiences: API_AUDS }, authenticated: true },
    { description: 'audience aware backend, answer for another audience', implicit: API_AUDS, reqAuds: API_AUDS, status: { authenticated: true, user: { username: 'somebody' }, audiences: ['other'] }, authenticated: false },
  ];
  for (const version of ['v1', 'v1beta1'] as const) {
    for (const c of cases) {
      test(`${version}: ${c.description}`, async () => {
        const wh = await authenticator({ version, implicit: c.implicit ?? [] });
        hook.answer = { status: c.status };
        const result = await wh.authenticateToken(TOKEN, c.reqAuds);
        // kube: "authentication failed" when err != nil; none of these cases is an error.
        assert.ok(result === null || result.ok, JSON.stringify(result));
        const last = hook.reviews.at(-1)!;
        assert.equal(last.apiVersion, `authentication.k8s.io/${version}`);
        assert.equal(last.kind, 'TokenReview');
        assert.deepEqual(last.spec, { token: TOKEN, ...(c.reqAuds ? { audiences: c.reqAuds } : {}) });
        assert.equal(result !== null && result.ok, c.authenticated);
        if (result?.ok && c.user) assert.deepEqual(result.user, c.user);
        if (result?.ok) assert.deepEqual(result.audiences, c.auds);
      });
    }
  }
});

test('the review body is Go-encoded TokenReview: empty metadata, status with an empty user', async () => {
  const wh = await authenticator({ version: 'v1' });
  hook.answer = { status: { authenticated: false } };
  await wh.authenticateToken(TOKEN);
  assert.deepEqual(hook.reviews.at(-1), { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { token: TOKEN }, status: { user: {} } });
});

test("an answer's error with authenticated false is the authenticator's error; without one it is not this token", async () => {
  const wh = await authenticator();
  hook.answer = { status: { authenticated: false, error: 'token expired' } };
  assert.deepEqual(await wh.authenticateToken(TOKEN), { ok: false, reason: 'token expired' });
  hook.answer = { status: { authenticated: false } };
  assert.equal(await wh.authenticateToken(TOKEN), null);
});

describe('TestV1WebhookCacheAndRetry', () => {
  let wh: TokenAuthenticator;
  before(async () => {
    // "caches successful responses forever (100 days)"
    wh = await authenticator({ cacheTtlMs: 2400 * 3600 * 1000 });
  });
  const cases: { description: string; token: string; allow: boolean; code: number; expectError: boolean; expectOk: boolean; expectCalls: number }[] = [
    { description: 't0k3n, 500 error, retries and fails', token: 't0k3n', allow: false, code: 500, expectError: true, expectOk: false, expectCalls: 5 },
    { description: 't0k3n, 404 error, fails (but no retry)', token: 't0k3n', allow: false, code: 404, expectError: true, expectOk: false, expectCalls: 1 },
    { description: 't0k3n, 200 response, allowed, succeeds with a single call', token: 't0k3n', allow: true, code: 200, expectError: false, expectOk: true, expectCalls: 1 },
    { description: 't0k3n, 500 response, disallowed, but never called because previous 200 response was cached', token: 't0k3n', allow: false, code: 500, expectError: false, expectOk: true, expectCalls: 0 },
    { description: 'an0th3r_t0k3n, 500 response, disallowed, should be called again with retries', token: 'an0th3r_t0k3n', allow: false, code: 500, expectError: true, expectOk: false, expectCalls: 5 },
    { description: 'an0th3r_t0k3n, 429 response, disallowed, should be called again with retries', token: 'an0th3r_t0k3n', allow: false, code: 429, expectError: true, expectOk: false, expectCalls: 5 },
    { description: 'an0th3r_t0k3n, 200 response, allowed, succeeds with a single call', token: 'an0th3r_t0k3n', allow: true, code: 200, expectError: false, expectOk: true, expectCalls: 1 },
    { description: 'an0th3r_t0k3n, 500 response, disallowed, but never called because previous 200 response was cached', token: 'an0th3r_t0k3n', allow: false, code: 500, expectError: false, expectOk: true, expectCalls: 0 },
  ];
  for (const c of cases) {
    test(c.description, async () => {
      hook.answer = { code: c.code, status: c.allow ? { authenticated: true, user: { username: 'realHooman@email.com' } } : { authenticated: false } };
      const before = hook.reviews.length;
      const result = await wh.authenticateToken(c.token);
      assert.equal(result !== null && !result.ok, c.expectError, JSON.stringify(result));
      assert.equal(result?.ok === true, c.expectOk);
      assert.equal(hook.reviews.length - before, c.expectCalls);
    });
  }
});

describe('client-go error texts for a failed call', () => {
  const cases: { description: string; answer: TestTokenWebhook['answer']; reason: string; calls: number }[] = [
    { description: '500 with http.Error text', answer: { code: 500, status: {} }, reason: 'an error on the server ("HTTP Error") has prevented the request from succeeding', calls: 5 },
    { description: '404', answer: { code: 404, status: {} }, reason: 'the server could not find the requested resource', calls: 1 },
    { description: '401', answer: { code: 401, status: {} }, reason: 'the server has asked for the client to provide credentials', calls: 1 },
    { description: '403 keeps the text', answer: { code: 403, text: 'go away' }, reason: 'go away', calls: 1 },
    { description: '503 is not retried', answer: { code: 503, status: {} }, reason: 'the server is currently unable to handle the request', calls: 1 },
    { description: '504 is a Timeout: retried', answer: { code: 504, status: {} }, reason: 'the server was unable to return a response in the time allotted, but may still be processing the request', calls: 5 },
    { description: '429', answer: { code: 429, status: {} }, reason: 'the server has received too many requests and has asked us to try again later', calls: 5 },
    { description: 'a JSON 500 body that is not a Status is "unknown"', answer: { code: 500, contentType: 'application/json', text: '{"a":1}' }, reason: 'an error on the server ("unknown") has prevented the request from succeeding', calls: 5 },
    { description: 'a Status body speaks for itself', answer: { code: 400, contentType: 'application/json', text: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'bad review', reason: 'BadRequest', code: 400 }) }, reason: 'bad review', calls: 1 },
    { description: '418 names its code', answer: { code: 418, status: {} }, reason: 'the server responded with the status code 418 but did not return more information', calls: 1 },
    { description: '503 with Retry-After asks for a delay: client-go retries it 10 times, then the backoff 5 times', answer: { code: 503, text: 'busy', headers: { 'Retry-After': '1' } }, reason: 'the server is currently unable to handle the request', calls: 55 },
  ];
  for (const c of cases) {
    test(c.description, async () => {
      const wh = await authenticator();
      hook.answer = c.answer;
      const before = hook.reviews.length;
      assert.deepEqual(await wh.authenticateToken(TOKEN), { ok: false, reason: c.reason });
      assert.equal(hook.reviews.length - before, c.calls);
    });
  }
  test('a 200 answer that is not JSON', async () => {
    const wh = await authenticator();
    hook.answer = { code: 200, contentType: 'application/json', text: 'nope' };
    const result = await wh.authenticateToken(TOKEN);
    assert.ok(result !== null && !result.ok && result.reason.startsWith("couldn't get version/kind; json parse error: "), JSON.stringify(result));
  });
});
