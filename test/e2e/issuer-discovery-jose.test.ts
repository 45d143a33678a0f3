// An external verifier of ServiceAccount tokens: npm's jose, fed only by our discovery document and the JWKS it
// points to (createRemoteJWKSet over HTTPS, trusting the server's CA), verifies a token signed with the PKI's sa.key
// the way kube signs (header alg and kid from keyIDFromPublicKey, pkg/serviceaccount/jwt.go; bound-token claims,
// pkg/serviceaccount/claims.go). The verifier reads anonymously through a binding of
// system:service-account-issuer-discovery to system:unauthenticated, as kube's documentation suggests for public
// issuers; kube's own bootstrap binding names system:serviceaccounts only (see test/http/issuer-discovery.test.ts).
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { after, test } from 'node:test';
import * as jose from 'jose';
import { createInMemoryPki, type Pki } from '../../src/index.js';
import { keyIdFromPublicKey } from '../../src/authn/serviceaccount/key-id.js';
import { tempDir } from '../helpers/clients.js';
import { PUBLIC_ISSUER_DISCOVERY } from '../helpers/policies.js';
import { useServer } from '../helpers/server.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

let pki: Pki;
let policies: Awaited<ReturnType<typeof tempDir>>;
const setup = (async () => {
  pki = await createInMemoryPki();
  policies = await tempDir('kam-jose-');
  await policies.write('public-discovery.yaml', PUBLIC_ISSUER_DISCOVERY);
})();
after(async () => {
  await setup;
  await policies.remove();
});

const server = useServer(async () => (await setup, { pki, serviceAccountIssuers: [ISSUER], policyPaths: [policies.dir] }));

/** A fetch that trusts the server's CA (node's global fetch takes no CA), enough for jose and for the document. */
function fetchWithCa(ca: string): jose.FetchImplementation {
  return (url, options) =>
    new Promise<Response>((resolve, reject) => {
      const headers: Record<string, string> = {};
      options.headers.forEach((value, name) => (headers[name] = value));
      const req = request(url, { method: options.method, headers, ca, signal: options.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') out.set(name, value);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: out }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

interface Discovery {
  issuer: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported: string[];
}

async function discover(): Promise<{ doc: Discovery; jwks: ReturnType<typeof jose.createRemoteJWKSet>; fetch: jose.FetchImplementation }> {
  const s = await server.ready();
  const fetch = fetchWithCa(s.caCert);
  const res = await fetch(`${s.url}/.well-known/openid-configuration`, { headers: new Headers(), method: 'GET', redirect: 'manual', signal: new AbortController().signal });
  assert.equal(res.status, 200);
  const doc = (await res.json()) as Discovery;
  return { doc, jwks: jose.createRemoteJWKSet(new URL(doc.jwks_uri), { [jose.customFetch]: fetch }), fetch };
}

/** A bound token as kube's TokenRequest makes one (claims.go), signed here with the given key. */
async function boundToken(privateKey: Parameters<jose.SignJWT['sign']>[0], kid: string, claims: { iss?: string; aud?: string[] } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({
    aud: claims.aud ?? [ISSUER],
    'kubernetes.io': { namespace: 'dev', serviceaccount: { name: 'builder', uid: randomUUID() } },
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(claims.iss ?? ISSUER)
    .setSubject('system:serviceaccount:dev:builder')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 600)
    .setJti(randomUUID())
    .sign(privateKey);
}

test('jose verifies a token signed with sa.key, knowing only the discovery document and the JWKS it names', async () => {
  const { doc, jwks } = await discover();
  assert.equal(doc.issuer, ISSUER);
  assert.equal(doc.jwks_uri, `${server().url}/openid/v1/jwks`);
  const token = await boundToken(pki.serviceAccountKey.privateKey, keyIdFromPublicKey(pki.serviceAccountKey.publicKey));
  const { payload, protectedHeader } = await jose.jwtVerify(token, jwks, { issuer: doc.issuer, audience: ISSUER, algorithms: doc.id_token_signing_alg_values_supported });
  assert.equal(payload.sub, 'system:serviceaccount:dev:builder');
  assert.equal(protectedHeader.kid, keyIdFromPublicKey(pki.serviceAccountKey.publicKey));
});

test('jose verifies a token TokenRequest issued (kubectl create token\'s), for another audience too', async () => {
  const { doc, jwks } = await discover();
  const token = await server().serviceAccountToken('default/default', { audiences: ['vault'] });
  const { payload } = await jose.jwtVerify(token, jwks, { issuer: doc.issuer, audience: 'vault', algorithms: doc.id_token_signing_alg_values_supported });
  assert.equal(payload.sub, 'system:serviceaccount:default:default');
});
test('jose refuses a token from another key, whether it claims our kid or its own', async () => {
  const { doc, jwks } = await discover();
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const options = { issuer: doc.issuer, audience: ISSUER, algorithms: doc.id_token_signing_alg_values_supported };
  const forged = await boundToken(other.privateKey, keyIdFromPublicKey(pki.serviceAccountKey.publicKey));
  await assert.rejects(jose.jwtVerify(forged, jwks, options), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  const unknown = await boundToken(other.privateKey, keyIdFromPublicKey(other.publicKey));
  await assert.rejects(jose.jwtVerify(unknown, jwks, options), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
});

test('jose refuses our own token when it names another issuer than the document\'s', async () => {
  const { doc, jwks } = await discover();
  const token = await boundToken(pki.serviceAccountKey.privateKey, keyIdFromPublicKey(pki.serviceAccountKey.publicKey), { iss: 'https://elsewhere.example' });
  await assert.rejects(jose.jwtVerify(token, jwks, { issuer: doc.issuer, audience: ISSUER, algorithms: doc.id_token_signing_alg_values_supported }), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' });
});
