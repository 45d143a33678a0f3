// ServiceAccount tokens (issue 9): TokenRequest and its validation, the issued JWT (decoded by the normaliser),
// who a token is (SelfSubjectReview with the token as bearer, TokenReview as admin), revocation through lookup,
// tokens signed by hand with the set-up's sa.key (times, claims, signatures, malformed, oversized), legacy
// secret-based tokens, and issuer discovery. kube: pkg/registry/core/serviceaccount/storage/token.go,
// pkg/serviceaccount/{claims,jwt,legacy,openidmetadata}.go, pkg/routes/openidmetadata.go (k8s.io/kubernetes v1.34.4).
//
// kube-apiserver caches a successful token authentication for 10 s (token + audiences), so a token used before
// its ServiceAccount or bound object is deleted still works for a while there: the revocation scenarios never use a
// token before revoking it. No kube-controller-manager runs beside the reference: no `default` ServiceAccounts, and
// legacy token Secrets get their token from the scenario itself.
import { decodeJws, hs256, keyIdOf, publicPemOf, resign, signJws, strangerKeyPem, unsigned } from '../jws.js';
import type { CaptureContext, JsonValue, ParityRequest, ScenarioGroup, UnrecordedRequest } from '../scenario.js';
import { TOKEN_REVIEW, typed, whoami } from './common.js';

type JsonObject = { [key: string]: JsonValue };

const NS = 'parity';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const SAS = `/api/v1/namespaces/${NS}/serviceaccounts`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const SECRETS = `/api/v1/namespaces/${NS}/secrets`;
const NODES = '/api/v1/nodes';
const DISCOVERY = '/.well-known/openid-configuration';
const JWKS = '/openid/v1/jwks';
const JWK_SET = 'application/jwk-set+json';
/** UIDs no object has. */
const OTHER_UID = (n: number): string => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;

const tokenPath = (sa: string, ns = NS): string => `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`;
const tokenRequest = (spec: JsonObject = {}, metadata?: JsonObject) => typed('authentication.k8s.io/v1', 'TokenRequest', { ...(metadata ? { metadata } : {}), spec });
const boundTo = (kind: string, name: string, extra: JsonObject = {}): JsonObject => ({ boundObjectRef: { kind, apiVersion: 'v1', name, ...extra } });

const createSa = (name: string, capture?: UnrecordedRequest['capture']): UnrecordedRequest => ({ method: 'POST', path: SAS, as: 'admin', body: typed('v1', 'ServiceAccount', { metadata: { name } }), capture });
const deleteSa = (name: string): UnrecordedRequest => ({ method: 'DELETE', path: `${SAS}/${name}`, as: 'admin' });
const createPod = (name: string, sa: string, nodeName?: string, capture?: UnrecordedRequest['capture']): UnrecordedRequest => ({
  method: 'POST',
  path: PODS,
  as: 'admin',
  body: typed('v1', 'Pod', { metadata: { name }, spec: { serviceAccountName: sa, ...(nodeName ? { nodeName } : {}), automountServiceAccountToken: false, containers: [{ name: 'c', image: 'busybox' }] } }),
  capture,
});
/** Deleted at once: no kubelet would ever finish a graceful delete of a pod with a nodeName. */
const deletePod = (name: string): UnrecordedRequest => ({ method: 'DELETE', path: `${PODS}/${name}?gracePeriodSeconds=0`, as: 'admin' });
const createNode = (name: string): UnrecordedRequest => ({ method: 'POST', path: NODES, as: 'admin', body: typed('v1', 'Node', { metadata: { name } }) });
const deleteNode = (name: string): UnrecordedRequest => ({ method: 'DELETE', path: `${NODES}/${name}`, as: 'admin' });
const createSecret = (name: string, extra: JsonObject = {}): UnrecordedRequest => ({ method: 'POST', path: SECRETS, as: 'admin', body: typed('v1', 'Secret', { metadata: { name }, type: 'Opaque', ...extra }) });
const deleteSecret = (name: string): UnrecordedRequest => ({ method: 'DELETE', path: `${SECRETS}/${name}`, as: 'admin' });

/** A set-up TokenRequest as admin whose token (and whatever `more` computes from it) later requests use. */
const issue = (sa: string, name: string, spec: JsonObject = {}, more: Record<string, Derived> = {}): UnrecordedRequest => ({
  method: 'POST',
  path: tokenPath(sa),
  as: 'admin',
  body: tokenRequest(spec),
  capture: { [name]: 'status.token', ...Object.fromEntries(Object.entries(more).map(([k, derive]) => [k, (body: JsonValue, ctx: CaptureContext) => derive(tokenOf(body), ctx)])) },
});
/** A token computed from the real one a TokenRequest gave, with the set-up's key at hand. */
type Derived = (token: string, ctx: CaptureContext) => string;

function tokenOf(body: JsonValue): string {
  const status = body !== null && typeof body === 'object' && !Array.isArray(body) ? body.status : undefined;
  const token = status !== null && typeof status === 'object' && !Array.isArray(status) ? status?.token : undefined;
  if (typeof token !== 'string') throw new Error('the answer has no status.token');
  return token;
}

/** The real token with its claims edited, signed again with sa.key under its own header. */
const edited = (edit: (claims: JsonObject) => JsonObject): Derived => (token, ctx) => resign(token, ctx.serviceAccountKeyPem, edit);
/** The real token's claims under another header, signed with sa.key. */
const underHeader = (header: (ctx: CaptureContext) => JsonObject): Derived => (token, ctx) => resign(token, ctx.serviceAccountKeyPem, (c) => c, header(ctx));
const iatOf = (claims: JsonObject): number => {
  if (typeof claims.iat !== 'number') throw new Error('the token has no iat');
  return claims.iat;
};
const without = (key: string) => (claims: JsonObject): JsonObject => Object.fromEntries(Object.entries(claims).filter(([k]) => k !== key));

/** A TokenReview of `token` (a `{{name}}`) as admin, with spec.audiences when given. */
const review = (token: string, audiences?: string[]): ParityRequest => ({ method: 'POST', path: TOKEN_REVIEW, as: 'admin', body: typed('authentication.k8s.io/v1', 'TokenReview', { spec: { token, ...(audiences ? { audiences } : {}) } }) });
/** kubectl auth whoami with `token` (a `{{name}}`) as the only credential. */
const whoamiWith = (token: string): ParityRequest => ({ ...whoami('anonymous'), headers: { Authorization: `Bearer ${token}` } });
/** A TokenRequest of the scenario as admin. */
const request = (spec: JsonObject = {}, options: { sa?: string; metadata?: JsonObject; capture?: ParityRequest['capture'] } = {}): ParityRequest => ({ method: 'POST', path: tokenPath(options.sa ?? 'builder'), as: 'admin', body: tokenRequest(spec, options.metadata), capture: options.capture });
/** A huge token's echo in a TokenReview, kept as its length (the snapshot would otherwise hold its padding). */
const tokenLengthOnly = (body: JsonValue): JsonValue => {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || body.spec === null || typeof body.spec !== 'object' || Array.isArray(body.spec)) return body;
  const token = body.spec.token;
  return { ...body, spec: { ...body.spec, token: typeof token === 'string' ? `<${token.length} chars>` : token ?? null } };
};

/** A legacy token's claims (pkg/serviceaccount/legacy.go LegacyClaims), for a Secret and a ServiceAccount. */
const legacyClaims = (secret: string, sa: string, uid: string): JsonObject => ({
  iss: 'kubernetes/serviceaccount',
  'kubernetes.io/serviceaccount/namespace': NS,
  'kubernetes.io/serviceaccount/secret.name': secret,
  'kubernetes.io/serviceaccount/service-account.name': sa,
  'kubernetes.io/serviceaccount/service-account.uid': uid,
  sub: `system:serviceaccount:${NS}:${sa}`,
});
const legacyToken = (claims: JsonObject, ctx: CaptureContext): string => signJws({ alg: 'RS256', kid: keyIdOf(ctx.serviceAccountKeyPem) }, claims, ctx.serviceAccountKeyPem);
const uidOf = (body: JsonValue): string => {
  const metadata = body !== null && typeof body === 'object' && !Array.isArray(body) ? body.metadata : undefined;
  const uid = metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata) ? metadata?.uid : undefined;
  if (typeof uid !== 'string') throw new Error('the answer has no metadata.uid');
  return uid;
};
/** Captures on a ServiceAccount's creation: legacy tokens for it, each for its own Secret (`edit` changes the claims). */
const legacyTokensFor = (sa: string, tokens: Record<string, { secret: string; edit?: (claims: JsonObject) => JsonObject }>): UnrecordedRequest['capture'] =>
  Object.fromEntries(Object.entries(tokens).map(([name, { secret, edit }]) => [name, (body: JsonValue, ctx: CaptureContext) => legacyToken((edit ?? ((c) => c))(legacyClaims(secret, sa, uidOf(body))), ctx)]));
/** A Secret of type kubernetes.io/service-account-token for `sa` whose data.token is the captured `{{token}}` (as the token controller would write it). */
const legacySecret = (name: string, sa: string, token: string | undefined, labels?: Record<string, string>): UnrecordedRequest => ({
  method: 'POST',
  path: SECRETS,
  as: 'admin',
  body: typed('v1', 'Secret', {
    metadata: { name, annotations: { 'kubernetes.io/service-account.name': sa }, ...(labels ? { labels } : {}) },
    type: 'kubernetes.io/service-account-token',
    ...(token ? { stringData: { token } } : {}),
  }),
});
/** A Secret's labels only: its data holds a token signed at run time. */
const secretLabels = (name: string): ParityRequest => ({
  method: 'GET',
  path: `${SECRETS}/${name}`,
  as: 'admin',
  select: (body) => (body !== null && typeof body === 'object' && !Array.isArray(body) && body.metadata !== null && typeof body.metadata === 'object' && !Array.isArray(body.metadata) ? { labels: body.metadata.labels ?? null } : body),
});

export const serviceaccounts: ScenarioGroup = {
  group: 'serviceaccounts',
  scenarios: [
    // TokenRequest
    {
      name: 'token-request-default',
      description: 'TokenRequest with an empty spec: the answer (spec defaulted, the token decoded), then who the token is, as bearer and in a TokenReview',
      setup: [createSa('builder')],
      requests: [request({}, { capture: { token: 'status.token' } }), whoamiWith('{{token}}'), review('{{token}}')],
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'token-request-expiration',
      description: 'expirationSeconds: 599, 0 and -1 are under the 10 minutes minimum, 600 and 2^32 are fine, 2^32+1 is too long',
      setup: [createSa('builder')],
      requests: [599, 600, 0, -1, 2 ** 32, 2 ** 32 + 1].map((expirationSeconds) => request({ expirationSeconds })),
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'token-request-audiences',
      description: 'audiences given (not the API audience): the token is refused as bearer, TokenReview intersects spec.audiences; [] is defaulted, [""] kept',
      setup: [createSa('builder')],
      requests: [
        request({ audiences: ['https://example.com', 'other'], expirationSeconds: 1200 }, { capture: { token: 'status.token' } }),
        whoamiWith('{{token}}'),
        review('{{token}}'),
        review('{{token}}', ['other']),
        review('{{token}}', ['other', 'https://example.com', 'third']),
        request({ audiences: [] }),
        request({ audiences: [''] }),
      ],
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'token-request-bound-pod',
      description: 'a token bound to a Pod on an existing Node: pod and node claims, the user extra pod-name/pod-uid/node-name/node-uid; the uid when given must match',
      setup: [createSa('builder'), createNode('parity-node-1'), createPod('builder-pod', 'builder', 'parity-node-1', { podUid: 'metadata.uid' })],
      requests: [
        request(boundTo('Pod', 'builder-pod'), { capture: { token: 'status.token' } }),
        whoamiWith('{{token}}'),
        review('{{token}}'),
        request(boundTo('Pod', 'builder-pod', { uid: '{{podUid}}' })),
        request(boundTo('Pod', 'builder-pod', { uid: OTHER_UID(2) })),
        request({ boundObjectRef: { kind: 'Pod', name: 'builder-pod' } }),
      ],
      cleanup: [deletePod('builder-pod'), deleteNode('parity-node-1'), deleteSa('builder')],
    },
    {
      name: 'token-request-bound-pod-node-claims',
      description: 'a Pod without nodeName gets no node claim; a Pod whose nodeName names no Node gets the node name only',
      setup: [createSa('builder'), createPod('unscheduled-pod', 'builder'), createPod('lost-pod', 'builder', 'parity-node-gone')],
      requests: [request(boundTo('Pod', 'unscheduled-pod')), request(boundTo('Pod', 'lost-pod'), { capture: { token: 'status.token' } }), whoamiWith('{{token}}')],
      cleanup: [deletePod('unscheduled-pod'), deletePod('lost-pod'), deleteSa('builder')],
    },
    {
      name: 'token-request-bound-pod-refused',
      description: "binding to a Pod of another ServiceAccount (400), to a missing Pod (404), to a Pod with an empty name (400)",
      setup: [createSa('builder'), createSa('other'), createPod('other-pod', 'other')],
      requests: [request(boundTo('Pod', 'other-pod')), request(boundTo('Pod', 'no-such-pod')), request(boundTo('Pod', ''))],
      cleanup: [deletePod('other-pod'), deleteSa('other'), deleteSa('builder')],
    },
    {
      name: 'token-request-extended-expiration',
      description: "a pod-bound token of the kubelet's 3607 s lasts a year with a warnafter claim (--service-account-extend-token-expiration)",
      setup: [createSa('builder'), createPod('builder-pod', 'builder')],
      requests: [request({ expirationSeconds: 3607, ...boundTo('Pod', 'builder-pod') }, { capture: { token: 'status.token' } }), whoamiWith('{{token}}')],
      cleanup: [deletePod('builder-pod'), deleteSa('builder')],
    },
    {
      name: 'token-request-bound-secret',
      description: 'a token bound to a Secret: its secret claim, no extra beyond the credential id; uid mismatch 409, missing Secret 404',
      setup: [createSa('builder'), createSecret('bound-secret')],
      requests: [
        request(boundTo('Secret', 'bound-secret'), { capture: { token: 'status.token' } }),
        whoamiWith('{{token}}'),
        request(boundTo('Secret', 'bound-secret', { uid: OTHER_UID(3) })),
        request(boundTo('Secret', 'no-such-secret')),
      ],
      cleanup: [deleteSecret('bound-secret'), deleteSa('builder')],
    },
    {
      name: 'token-request-bound-node',
      description: 'a token bound to a Node: its node claim and the node extra; uid mismatch 409, missing Node 404',
      setup: [createSa('builder'), createNode('parity-node-2')],
      requests: [
        request(boundTo('Node', 'parity-node-2'), { capture: { token: 'status.token' } }),
        whoamiWith('{{token}}'),
        request(boundTo('Node', 'parity-node-2', { uid: OTHER_UID(4) })),
        request(boundTo('Node', 'no-such-node')),
      ],
      cleanup: [deleteNode('parity-node-2'), deleteSa('builder')],
    },
    {
      name: 'token-request-unsupported-kind',
      description: 'binding to a ConfigMap, to an apps/v1 Deployment, to no kind: 400',
      setup: [createSa('builder')],
      requests: [request(boundTo('ConfigMap', 'x')), request({ boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'x' } }), request({ boundObjectRef: { apiVersion: 'v1', name: 'x' } })],
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'token-request-metadata',
      description: "metadata.uid not the ServiceAccount's (emulated 1.33: a Warning, the uid echoed), metadata.name (422) and metadata.namespace (400) not the URL's",
      setup: [createSa('builder')],
      requests: [request({}, { metadata: { uid: OTHER_UID(1) } }), request({}, { metadata: { name: 'someone' } }), request({}, { metadata: { namespace: 'default' } })],
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'token-request-missing',
      description: 'TokenRequest for a ServiceAccount that does not exist, and in a namespace that does not exist: 404',
      requests: [request({}, { sa: 'nobody' }), { method: 'POST', path: tokenPath('builder', 'no-such-ns'), as: 'admin', body: tokenRequest() }],
    },
    {
      name: 'token-request-forbidden',
      description: 'TokenRequest by users without create on serviceaccounts/token: alice, and the ServiceAccount itself with its own token',
      setup: [createSa('builder'), issue('builder', 'token')],
      requests: [
        { method: 'POST', path: tokenPath('builder'), as: 'alice', body: tokenRequest() },
        { method: 'POST', path: tokenPath('builder'), as: 'anonymous', headers: { Authorization: 'Bearer {{token}}' }, body: tokenRequest() },
      ],
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'token-request-methods-and-bodies',
      description: 'GET, PUT and DELETE on the token subresource (405); a TokenReview body, wrong field types, an empty body (400); no apiVersion/kind and dryRun (201)',
      setup: [createSa('builder')],
      requests: [
        { method: 'GET', path: tokenPath('builder'), as: 'admin' },
        { method: 'PUT', path: tokenPath('builder'), as: 'admin', body: tokenRequest() },
        { method: 'DELETE', path: tokenPath('builder'), as: 'admin' },
        { method: 'POST', path: tokenPath('builder'), as: 'admin', body: typed('authentication.k8s.io/v1', 'TokenReview', { spec: {} }) },
        request({ expirationSeconds: '600' }),
        request({ audiences: 'x' }),
        { method: 'POST', path: tokenPath('builder'), as: 'admin', headers: { 'Content-Type': 'application/json' } },
        { method: 'POST', path: tokenPath('builder'), as: 'admin', body: { json: { spec: {} } } },
        { method: 'POST', path: `${tokenPath('builder')}?dryRun=All`, as: 'admin', body: tokenRequest() },
      ],
      cleanup: [deleteSa('builder')],
    },

    // Who a token is
    {
      name: 'token-review-audiences',
      description: "TokenReview of a token for the API audience with spec.audiences naming another (error) and naming the API's (authenticated); a token without RBAC is forbidden, not unauthorized",
      setup: [createSa('builder'), issue('builder', 'token')],
      requests: [
        review('{{token}}', ['something-else']),
        review('{{token}}', [ISSUER]),
        { method: 'GET', path: `${PODS}`, as: 'anonymous', headers: { Authorization: 'Bearer {{token}}' } },
        { method: 'POST', path: TOKEN_REVIEW, as: 'anonymous', headers: { Authorization: 'Bearer {{token}}' }, body: typed('authentication.k8s.io/v1', 'TokenReview', { spec: { token: '{{token}}' } }) },
      ],
      cleanup: [deleteSa('builder')],
    },

    // Revocation: each token is first used after its ServiceAccount or bound object went away.
    {
      name: 'revoked-serviceaccount-deleted',
      description: 'a token whose ServiceAccount was deleted: TokenReview error, whoami 401',
      setup: [createSa('doomed'), issue('doomed', 'token'), deleteSa('doomed')],
      requests: [review('{{token}}'), whoamiWith('{{token}}')],
    },
    {
      name: 'revoked-serviceaccount-recreated',
      description: 'a token whose ServiceAccount was deleted and created again under the same name (a new uid)',
      setup: [createSa('phoenix'), issue('phoenix', 'token'), deleteSa('phoenix'), createSa('phoenix')],
      requests: [review('{{token}}')],
      cleanup: [deleteSa('phoenix')],
    },
    {
      name: 'revoked-bound-pod',
      description: 'a pod-bound token after its Pod was deleted, and after a Pod of that name was created again',
      setup: [createSa('builder'), createPod('doomed-pod', 'builder'), issue('builder', 'gone', boundTo('Pod', 'doomed-pod')), createPod('reborn-pod', 'builder'), issue('builder', 'reborn', boundTo('Pod', 'reborn-pod')), deletePod('doomed-pod'), deletePod('reborn-pod'), createPod('reborn-pod', 'builder')],
      requests: [review('{{gone}}'), review('{{reborn}}')],
      cleanup: [deletePod('reborn-pod'), deleteSa('builder')],
    },
    {
      name: 'bound-pod-terminating',
      description: 'a token bound to a Pod being deleted gracefully (deletionTimestamp ahead) still works',
      setup: [createSa('builder'), createPod('terminating-pod', 'builder', 'parity-node-3'), issue('builder', 'token', boundTo('Pod', 'terminating-pod')), { method: 'DELETE', path: `${PODS}/terminating-pod`, as: 'admin' }],
      requests: [review('{{token}}')],
      cleanup: [deletePod('terminating-pod'), deleteSa('builder')],
    },
    {
      name: 'revoked-bound-secret-and-node',
      description: 'tokens bound to a Secret and to a Node after the object was deleted',
      setup: [createSa('builder'), createSecret('doomed-secret'), createNode('parity-node-doomed'), issue('builder', 'secret', boundTo('Secret', 'doomed-secret')), issue('builder', 'node', boundTo('Node', 'parity-node-doomed')), deleteSecret('doomed-secret'), deleteNode('parity-node-doomed')],
      requests: [review('{{secret}}'), review('{{node}}')],
      cleanup: [deleteSa('builder')],
    },

    // Tokens signed by hand with sa.key, from a real one (times relative to its iat; kube allows 60 s of leeway).
    {
      name: 'signed-times',
      description: 'exp, nbf and iat: expired, not yet valid, issued in the future, each beyond and within the 60 s leeway; no exp at all',
      setup: [
        createSa('builder'),
        issue('builder', 'token', {}, {
          control: edited((c) => c),
          expired: edited((c) => ({ ...c, exp: iatOf(c) - 120, iat: iatOf(c) - 3720, nbf: iatOf(c) - 3720 })),
          expiredInLeeway: edited((c) => ({ ...c, exp: iatOf(c) - 30, iat: iatOf(c) - 3630, nbf: iatOf(c) - 3630 })),
          notYetValid: edited((c) => ({ ...c, nbf: iatOf(c) + 600 })),
          notYetValidInLeeway: edited((c) => ({ ...c, nbf: iatOf(c) + 30 })),
          issuedInFuture: edited((c) => ({ ...c, iat: iatOf(c) + 600 })),
          noExp: edited(without('exp')),
        }),
      ],
      requests: ['control', 'expired', 'expiredInLeeway', 'notYetValid', 'notYetValidInLeeway', 'issuedInFuture', 'noExp'].map((t) => review(`{{${t}}}`)).concat([whoamiWith('{{expired}}')]),
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'signed-claims',
      description: 'claims: no kubernetes.io claim, another issuer, another audience, aud as a string, no aud, a sub of another account, a ServiceAccount uid not the real one',
      setup: [
        createSa('builder'),
        issue('builder', 'token', {}, {
          noKubeClaim: edited(without('kubernetes.io')),
          otherIssuer: edited((c) => ({ ...c, iss: 'https://evil.example' })),
          otherAudience: edited((c) => ({ ...c, aud: ['https://evil.example'] })),
          audString: edited((c) => ({ ...c, aud: ISSUER })),
          noAud: edited(without('aud')),
          otherSub: edited((c) => ({ ...c, sub: `system:serviceaccount:${NS}:other` })),
          otherUid: edited((c) => {
            const kube = c['kubernetes.io'] as JsonObject;
            return { ...c, 'kubernetes.io': { ...kube, serviceaccount: { ...(kube.serviceaccount as JsonObject), uid: OTHER_UID(9) } } };
          }),
        }),
      ],
      requests: ['noKubeClaim', 'otherIssuer', 'otherAudience', 'audString', 'noAud', 'otherSub', 'otherUid'].map((t) => review(`{{${t}}}`)),
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'signed-keys-and-algorithms',
      description: 'signatures: no kid, an unknown kid, a key no server knows (with our kid, its own, none), alg none, HS256 keyed with sa.pub, RS384, a PS256 header on an RS256 signature, tampered signature or claims, an empty signature',
      setup: [
        createSa('builder'),
        issue('builder', 'token', {}, {
          noKid: underHeader(() => ({ alg: 'RS256' })),
          unknownKid: underHeader(() => ({ alg: 'RS256', kid: 'unknown-kid' })),
          strangerOurKid: (t, ctx) => resign(t, strangerKeyPem(), (c) => c, { alg: 'RS256', kid: keyIdOf(ctx.serviceAccountKeyPem) }),
          strangerOwnKid: (t) => resign(t, strangerKeyPem(), (c) => c, { alg: 'RS256', kid: keyIdOf(strangerKeyPem()) }),
          strangerNoKid: (t) => resign(t, strangerKeyPem(), (c) => c, { alg: 'RS256' }),
          algNone: (t) => unsigned(t),
          algNoneWithKid: (t, ctx) => unsigned(t, { alg: 'none', kid: keyIdOf(ctx.serviceAccountKeyPem) }),
          hmacWithPublicKey: (t, ctx) => hs256(t, publicPemOf(ctx.serviceAccountKeyPem), { alg: 'HS256', kid: keyIdOf(ctx.serviceAccountKeyPem) }),
          rs384: underHeader((ctx) => ({ alg: 'RS384', kid: keyIdOf(ctx.serviceAccountKeyPem) })),
          ps256Header: (t, ctx) => {
            const [, claims, signature] = t.split('.');
            return `${Buffer.from(JSON.stringify({ alg: 'PS256', kid: keyIdOf(ctx.serviceAccountKeyPem) })).toString('base64url')}.${claims}.${signature}`;
          },
          tamperedSignature: (t) => `${t.slice(0, -4)}${t.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
          tamperedClaims: (t) => {
            const [header, , signature] = t.split('.');
            const claims = decodeJws(t).claims;
            return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:parity:other' })).toString('base64url')}.${signature}`;
          },
          emptySignature: (t) => `${t.split('.').slice(0, 2).join('.')}.`,
        }),
      ],
      requests: ['noKid', 'unknownKid', 'strangerOurKid', 'strangerOwnKid', 'strangerNoKid', 'algNone', 'algNoneWithKid', 'hmacWithPublicKey', 'rs384', 'ps256Header', 'tamperedSignature', 'tamperedClaims', 'emptySignature']
        .map((t) => review(`{{${t}}}`))
        .concat([whoamiWith('{{algNone}}')]),
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'malformed-tokens',
      description: 'tokens that are no JWS: two or four segments, segments that are not base64url or not JSON, garbage, padding; an unsigned token with our issuer',
      setup: [
        createSa('builder'),
        issue('builder', 'token', {}, {
          twoSegments: (t) => t.split('.').slice(0, 2).join('.'),
          fourSegments: (t) => `${t}.xyz`,
          headerNotBase64: (t) => `!!!.${t.split('.').slice(1).join('.')}`,
          headerNotJson: (t) => `${Buffer.from('not json').toString('base64url')}.${t.split('.').slice(1).join('.')}`,
          claimsNotBase64: (t) => {
            const [h, , s] = t.split('.');
            return `${h}.@@@.${s}`;
          },
          claimsNotJson: (t) => {
            const [h, , s] = t.split('.');
            return `${h}.${Buffer.from('not json').toString('base64url')}.${s}`;
          },
          claimsArray: (t) => {
            const [h, , s] = t.split('.');
            return `${h}.${Buffer.from('[1,2]').toString('base64url')}.${s}`;
          },
          padded: (t) => {
            const [h, c, s] = t.split('.');
            return `${h}=.${c}.${s}`;
          },
        }),
      ],
      requests: [
        // The echo of a token cut from a real one holds that token's run-time parts: kept as its length.
        ...['twoSegments', 'fourSegments', 'headerNotBase64', 'headerNotJson', 'claimsNotBase64', 'claimsNotJson', 'claimsArray', 'padded'].map((t) => ({ ...review(`{{${t}}}`), select: tokenLengthOnly })),
        review('abc.def.ghi'),
        review(`eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: ISSUER })).toString('base64url')}.garbage`),
        whoamiWith('abc.def.ghi'),
      ],
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'oversized-tokens',
      description: 'tokens of 400 kB and 1.4 MB, validly signed (authenticated in a TokenReview) or not; as bearer: under 1 MiB of headers fine, over it 431; a 3.5 MB TokenReview 413',
      setup: [
        createSa('builder'),
        issue('builder', 'token', {}, {
          big: edited((c) => ({ ...c, padding: 'x'.repeat(300_000) })),
          bigBadSignature: (t, ctx) => {
            const big = resign(t, ctx.serviceAccountKeyPem, (c) => ({ ...c, padding: 'x'.repeat(300_000) }));
            return `${big.slice(0, -4)}${big.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
          },
          huge: edited((c) => ({ ...c, padding: 'x'.repeat(1_100_000) })),
        }),
      ],
      requests: [
        { ...review('{{big}}'), select: tokenLengthOnly },
        { ...review('{{bigBadSignature}}'), select: tokenLengthOnly },
        whoamiWith('{{big}}'),
        whoamiWith('{{bigBadSignature}}'),
        { ...review('{{huge}}'), select: tokenLengthOnly },
        whoamiWith('{{huge}}'),
        { ...review('a'.repeat(2_000_000)), select: tokenLengthOnly },
        { ...review('a'.repeat(3_500_000)), select: tokenLengthOnly },
      ],
      cleanup: [deleteSa('builder')],
    },

    // Legacy secret-based tokens: the token controller does not run beside the reference, so the scenario signs the
    // token (legacy claims, sa.key) and writes it into the Secret itself.
    {
      name: 'legacy-token',
      description: 'a legacy token in its Secret: who it is (no extra), audiences, and the last-used label the server sets on first use',
      setup: [createSa('builder', legacyTokensFor('builder', { token: { secret: 'builder-token' } })), legacySecret('builder-token', 'builder', '{{token}}')],
      requests: [secretLabels('builder-token'), whoamiWith('{{token}}'), review('{{token}}'), review('{{token}}', ['something-else']), secretLabels('builder-token')],
      cleanup: [deleteSecret('builder-token'), deleteSa('builder')],
    },
    {
      name: 'legacy-token-invalid-since',
      description: 'a legacy token whose Secret has the kubernetes.io/legacy-token-invalid-since label (any value) is refused, and still marked used',
      setup: [
        createSa('builder', legacyTokensFor('builder', { past: { secret: 'invalid-past' }, future: { secret: 'invalid-future' }, garbage: { secret: 'invalid-garbage' } })),
        legacySecret('invalid-past', 'builder', '{{past}}', { 'kubernetes.io/legacy-token-invalid-since': '2020-01-01' }),
        legacySecret('invalid-future', 'builder', '{{future}}', { 'kubernetes.io/legacy-token-invalid-since': '2099-01-01' }),
        legacySecret('invalid-garbage', 'builder', '{{garbage}}', { 'kubernetes.io/legacy-token-invalid-since': 'garbage' }),
      ],
      requests: [review('{{past}}'), whoamiWith('{{past}}'), review('{{future}}'), review('{{garbage}}'), secretLabels('invalid-past')],
      cleanup: [deleteSecret('invalid-past'), deleteSecret('invalid-future'), deleteSecret('invalid-garbage'), deleteSa('builder')],
    },
    {
      name: 'legacy-token-lookup',
      description: "legacy tokens checked against the store: no token in the Secret yet, another token in it, the Secret missing, the ServiceAccount's uid not the claim's",
      setup: [
        createSa('builder', legacyTokensFor('builder', { empty: { secret: 'empty-token' }, mismatch: { secret: 'mismatch-token' }, missing: { secret: 'no-such-secret' }, otherUid: { secret: 'uid-token', edit: (c) => ({ ...c, 'kubernetes.io/serviceaccount/service-account.uid': OTHER_UID(11) }) } })),
        legacySecret('empty-token', 'builder', undefined),
        legacySecret('mismatch-token', 'builder', 'something-else'),
        legacySecret('uid-token', 'builder', '{{otherUid}}'),
      ],
      requests: [review('{{empty}}'), review('{{mismatch}}'), review('{{missing}}'), review('{{otherUid}}')],
      cleanup: [deleteSecret('empty-token'), deleteSecret('mismatch-token'), deleteSecret('uid-token'), deleteSa('builder')],
    },
    {
      name: 'legacy-token-serviceaccount-gone',
      description: 'a legacy token whose ServiceAccount was deleted, then created again (a new uid), its Secret still there',
      setup: [createSa('legacy-sa', legacyTokensFor('legacy-sa', { token: { secret: 'legacy-sa-token' } })), legacySecret('legacy-sa-token', 'legacy-sa', '{{token}}'), deleteSa('legacy-sa')],
      requests: [review('{{token}}'), { method: 'POST', path: SAS, as: 'admin', body: typed('v1', 'ServiceAccount', { metadata: { name: 'legacy-sa' } }) }, review('{{token}}')],
      cleanup: [deleteSecret('legacy-sa-token'), deleteSa('legacy-sa')],
    },
    {
      name: 'legacy-token-claims',
      description: 'legacy claims: a sub of another account, no secret.name; accepted: an exp in the past, an aud, a Secret of type Opaque',
      setup: [
        createSa('builder', legacyTokensFor('builder', {
          otherSub: { secret: 'sub-token', edit: (c) => ({ ...c, sub: `system:serviceaccount:${NS}:other` }) },
          noSecretName: { secret: 'x', edit: without('kubernetes.io/serviceaccount/secret.name') },
          expired: { secret: 'expired-token', edit: (c) => ({ ...c, exp: 1_600_000_000 }) },
          withAud: { secret: 'aud-token', edit: (c) => ({ ...c, aud: [ISSUER] }) },
          opaque: { secret: 'opaque-token' },
        })),
        legacySecret('sub-token', 'builder', '{{otherSub}}'),
        legacySecret('expired-token', 'builder', '{{expired}}'),
        legacySecret('aud-token', 'builder', '{{withAud}}'),
        createSecret('opaque-token', { stringData: { token: '{{opaque}}' } }),
      ],
      requests: [review('{{otherSub}}'), review('{{noSecretName}}'), review('{{expired}}'), review('{{withAud}}'), review('{{opaque}}')],
      cleanup: [deleteSecret('sub-token'), deleteSecret('expired-token'), deleteSecret('aud-token'), deleteSecret('opaque-token'), deleteSa('builder')],
    },
    {
      name: 'legacy-token-secret-validation',
      description: 'a Secret of type kubernetes.io/service-account-token needs the service-account.name annotation (422); naming a missing ServiceAccount is accepted',
      requests: [
        { method: 'POST', path: SECRETS, as: 'admin', body: typed('v1', 'Secret', { metadata: { name: 'no-annotation' }, type: 'kubernetes.io/service-account-token' }) },
        { method: 'POST', path: SECRETS, as: 'admin', body: typed('v1', 'Secret', { metadata: { name: 'ghost-token', annotations: { 'kubernetes.io/service-account.name': 'ghost' } }, type: 'kubernetes.io/service-account-token' }) },
      ],
      cleanup: [deleteSecret('no-annotation'), deleteSecret('ghost-token')],
    },

    // Issuer discovery
    {
      name: 'discovery-openid-configuration',
      description: 'the discovery document for admin and for a ServiceAccount; refused to anonymous and to jane (the default binding names system:serviceaccounts); Accept, HEAD, a trailing slash',
      setup: [createSa('builder'), issue('builder', 'token')],
      requests: [
        { method: 'GET', path: DISCOVERY, as: 'admin' },
        { method: 'GET', path: DISCOVERY, as: 'anonymous', headers: { Authorization: 'Bearer {{token}}', Accept: '*/*' } },
        { method: 'GET', path: DISCOVERY, as: 'anonymous' },
        { method: 'GET', path: DISCOVERY, as: 'jane' },
        { method: 'GET', path: DISCOVERY, as: 'bad-token' },
        { method: 'GET', path: DISCOVERY, as: 'admin', headers: { Accept: JWK_SET } },
        { method: 'HEAD', path: DISCOVERY, as: 'admin' },
        { method: 'GET', path: `${DISCOVERY}/`, as: 'admin' },
      ],
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'discovery-jwks',
      description: 'the JWKS: application/jwk-set+json only (Accept: application/json is a 406), for admin and a ServiceAccount, refused to anonymous, POST 405',
      setup: [createSa('builder'), issue('builder', 'token')],
      requests: [
        { method: 'GET', path: JWKS, as: 'admin', headers: { Accept: JWK_SET } },
        { method: 'GET', path: JWKS, as: 'admin', headers: { Accept: '*/*' } },
        { method: 'GET', path: JWKS, as: 'admin' },
        { method: 'GET', path: JWKS, as: 'admin', headers: { Accept: 'application/json, */*' } },
        { method: 'GET', path: JWKS, as: 'anonymous', headers: { Authorization: 'Bearer {{token}}', Accept: JWK_SET } },
        { method: 'GET', path: JWKS, as: 'anonymous', headers: { Accept: JWK_SET } },
        { method: 'GET', path: JWKS, as: 'anonymous', headers: { Accept: 'text/html' } },
        { method: 'POST', path: JWKS, as: 'admin', body: { json: {} } },
      ],
      cleanup: [deleteSa('builder')],
    },
    {
      name: 'discovery-anonymous-binding',
      description: 'issuer discovery for anonymous once system:unauthenticated is bound to system:service-account-issuer-discovery',
      setup: [
        {
          method: 'POST',
          path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
          as: 'admin',
          body: typed('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { metadata: { name: 'parity-anonymous-issuer-discovery' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:service-account-issuer-discovery' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' }] }),
        },
      ],
      requests: [
        { method: 'GET', path: DISCOVERY, as: 'anonymous' },
        { method: 'GET', path: JWKS, as: 'anonymous', headers: { Accept: JWK_SET } },
      ],
      cleanup: [{ method: 'DELETE', path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/parity-anonymous-issuer-discovery', as: 'admin' }],
    },
  ],
};
