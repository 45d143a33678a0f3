// WithAuthentication clears the front proxy's identity headers from every authenticated request, the standard
// X-Remote-* ones always and the --requestheader-* ones when configured, so nothing after it (a handler, a proxied
// request) sees them. Source: staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go (withAuthentication,
// standardRequestHeaderConfig) and headerrequest/requestheader.go (ClearAuthenticationHeaders).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Koa from 'koa';
import request from 'supertest';
import type { RequestAuthenticator } from '../../../src/authn/types.js';
import type { RequestHeaderNames } from '../../../src/authn/request-header.js';
import { authentication } from '../../../src/filters/authentication.js';
import { statusErrors } from '../../../src/filters/status-errors.js';
import type { KubeState } from '../../../src/request/state.js';
import { createLogger } from '../../../src/util/log.js';

const someone: RequestAuthenticator = { authenticate: async () => ({ ok: true, authenticator: 'test', user: { name: 'someone', uid: '', groups: [], extra: {} } }) };
const custom: RequestHeaderNames = { usernameHeaders: ['X-Proxy-User'], uidHeaders: ['X-Proxy-Uid'], groupHeaders: ['X-Proxy-Group'], extraHeaderPrefixes: ['X-Proxy-Extra-'] };

/** The header names a handler behind the filter still sees, in every view node:http keeps. */
function app(requestHeaders?: RequestHeaderNames) {
  const a = new Koa<KubeState>();
  a.use(statusErrors(createLogger('silent')));
  a.use(authentication({ authenticator: someone, challengeHeaders: {}, log: createLogger('silent'), ...(requestHeaders ? { requestHeaders } : {}) }));
  a.use((ctx) => {
    const raw = ctx.req.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase());
    ctx.body = { headers: Object.keys(ctx.req.headers).filter((h) => h.startsWith('x-')).sort(), distinct: Object.keys(ctx.req.headersDistinct).filter((h) => h.startsWith('x-')).sort(), raw: raw.filter((h) => h.startsWith('x-')).sort() };
  });
  return a.callback();
}

const send = (r: request.Test) =>
  r.set('X-Remote-User', 'u').set('X-Remote-Uid', 'i').set('X-Remote-Group', 'g').set('X-Remote-Extra-Scopes', 's').set('X-Proxy-User', 'u').set('X-Proxy-Extra-A', 'a').set('X-Other', 'kept');

const cases: { name: string; requestHeaders?: RequestHeaderNames; want: string[] }[] = [
  { name: 'without --requestheader-*: the standard X-Remote-* headers are cleared, others kept', want: ['x-other', 'x-proxy-extra-a', 'x-proxy-user'] },
  { name: 'with custom --requestheader-* names: those are cleared too', requestHeaders: custom, want: ['x-other'] },
];

for (const c of cases) {
  test(`WithAuthentication: ${c.name}`, async () => {
    const res = await send(request(app(c.requestHeaders)).get('/'));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { headers: c.want, distinct: c.want, raw: c.want });
  });
}
