// The live view's filter (src/ui/capture.ts) in a bare Koa chain: RBAC's explanation of a request, which walks every
// binding, is made after the response is written, never on the API's response path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Koa from 'koa';
import request from 'supertest';
import type { Explanation } from '../../../src/authz/rbac/explain.js';
import type { KubeState } from '../../../src/request/state.js';
import { liveViewCapture, MAX_EXPLANATION_CHARS } from '../../../src/ui/capture.js';
import { LiveRecorder } from '../../../src/ui/recorder.js';

test('RBAC explains a request only once its response is written: the client never waits for the live view', async () => {
  const recorder = new LiveRecorder();
  let responseEndedWhenExplained: boolean | undefined;
  let res: import('node:http').ServerResponse | undefined;
  const explanation: Explanation = { user: { name: 'jane', groups: [] }, request: { verb: 'get', isResourceRequest: false, path: '/x', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' }, bindings: [], decision: 'noOpinion', reason: '' };
  const app = new Koa<KubeState>();
  app.use(
    liveViewCapture({
      recorder,
      explain: (attrs) => {
        responseEndedWhenExplained = res?.writableEnded;
        assert.equal(attrs.user.name, 'jane');
        return Promise.resolve(explanation);
      },
    }),
  );
  app.use((ctx) => {
    res = ctx.res;
    ctx.state.requestInfo = { isResourceRequest: false, path: '/x', verb: 'get', apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] } as unknown as NonNullable<KubeState['requestInfo']>;
    ctx.state.user = { name: 'jane', uid: '', groups: [], extra: {} };
    ctx.state.authorization = { decision: 'forbid', reason: 'forbidden', authorizerReason: '' };
    ctx.body = 'ok';
  });
  const recorded = new Promise<void>((resolve) => recorder.subscribe(() => resolve()));
  await request(app.callback()).get('/x').expect(200, 'ok');
  await recorded;
  assert.equal(responseEndedWhenExplained, true, 'explain ran after the response was written');
  assert.equal(recorder.history()[0]?.authorization?.explainable, true);
});

test('an explanation that cannot be rendered is reported on the row, never an unhandled rejection that ends the server', async () => {
  const recorder = new LiveRecorder();
  const app = new Koa<KubeState>();
  // A malformed explanation: rendering it and reading its bindings both throw.
  app.use(liveViewCapture({ recorder, explain: () => Promise.resolve({} as Explanation) }));
  app.use((ctx) => {
    ctx.state.requestInfo = { isResourceRequest: false, path: '/x', verb: 'get', apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] } as unknown as NonNullable<KubeState['requestInfo']>;
    ctx.state.user = { name: 'jane', uid: '', groups: [], extra: {} };
    ctx.state.authorization = { decision: 'forbid', reason: 'forbidden', authorizerReason: '' };
    ctx.body = 'ok';
  });
  const rejections: unknown[] = [];
  const onRejection = (err: unknown): void => void rejections.push(err);
  process.on('unhandledRejection', onRejection);
  try {
    const recorded = new Promise<void>((resolve) => recorder.subscribe(() => resolve()));
    await request(app.callback()).get('/x').expect(200, 'ok');
    await recorded;
    const text = await recorder.find(1)!.explanation!;
    assert.match(text, /^RBAC could not explain this request: /);
    // Let any stray rejection surface before looking.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(rejections, []);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});

test('only a refusal keeps its explanation for the page, cut to MAX_EXPLANATION_CHARS; an allow keeps none (its rule is on the row)', async () => {
  const recorder = new LiveRecorder();
  const app = new Koa<KubeState>();
  let decision: 'allow' | 'forbid' = 'forbid';
  const huge: Explanation = { user: { name: `jane${'x'.repeat(400_000)}`, groups: [] }, request: { verb: 'get', isResourceRequest: false, path: '/x', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' }, bindings: [], decision: 'noOpinion', reason: '' };
  app.use(liveViewCapture({ recorder, explain: () => Promise.resolve(huge) }));
  app.use((ctx) => {
    ctx.state.requestInfo = { isResourceRequest: false, path: '/x', verb: 'get', apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] } as unknown as NonNullable<KubeState['requestInfo']>;
    ctx.state.user = { name: 'jane', uid: '', groups: [], extra: {} };
    ctx.state.authorization = decision === 'allow' ? { decision, reason: '', authorizerReason: '' } : { decision, reason: 'forbidden', authorizerReason: '' };
    ctx.body = 'ok';
  });
  for (const d of ['forbid', 'allow'] as const) {
    decision = d;
    const recorded = new Promise<void>((resolve) => {
      const stop = recorder.subscribe(() => (stop(), resolve()));
    });
    await request(app.callback()).get('/x').expect(200);
    await recorded;
  }
  const [refused, allowed] = [recorder.find(1)!, recorder.find(2)!];
  assert.equal(refused.request.authorization?.explainable, true);
  const text = await refused.explanation!;
  assert.ok(text.length < MAX_EXPLANATION_CHARS + 200, `${text.length}`);
  assert.match(text, /more characters: ask kube-auth-mock's \/debug\/explain/);
  assert.equal(allowed.request.authorization?.explainable, false);
  assert.equal(allowed.explanation, undefined);
});
