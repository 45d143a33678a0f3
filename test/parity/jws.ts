// Tokens signed by hand for the ServiceAccount scenarios: a real token taken apart, its claims or header edited,
// and signed again with the set-up's sa.key (or another key), the way an attacker or a clock skew would present
// them. kube's checks are in pkg/serviceaccount/jwt.go, claims.go and legacy.go (k8s.io/kubernetes v1.34.4).
import { createHmac, createPrivateKey, createPublicKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { keyIdFromPublicKey } from '../../src/authn/serviceaccount/key-id.js';
import type { JsonValue } from './scenario.js';

type JsonObject = { [key: string]: JsonValue };

/** A compact JWS taken apart: the decoded header and claims, and the signature segment as sent. */
export interface DecodedJws {
  header: JsonObject;
  claims: JsonObject;
  signature: string;
}

function segment(text: string, what: string): JsonObject {
  const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as JsonValue;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`the ${what} of the token is not a JSON object`);
  return value;
}

export function decodeJws(token: string): DecodedJws {
  const [header, claims, signature, ...rest] = token.split('.');
  if (header === undefined || claims === undefined || signature === undefined || rest.length > 0) throw new Error('not a compact JWS (three segments)');
  return { header: segment(header, 'header'), claims: segment(claims, 'claims'), signature };
}

export const b64url = (text: string | Buffer): string => Buffer.from(text).toString('base64url');

/** The signing input of a header and claims, serialized in the order written. */
export function signingInput(header: JsonValue, claims: JsonValue): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
}

const DIGESTS: Readonly<Record<string, string>> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };

/** Signs with an RSA key: RS256/384/512 as the header's alg says (default RS256). */
export function signJws(header: JsonObject, claims: JsonValue, key: KeyObject | string): string {
  const alg = typeof header.alg === 'string' ? header.alg : 'RS256';
  const digest = DIGESTS[alg];
  if (digest === undefined) throw new Error(`signJws signs RS256, RS384 and RS512, not ${alg}`);
  const input = signingInput(header, claims);
  const privateKey = typeof key === 'string' ? createPrivateKey(key) : key;
  return `${input}.${b64url(createSign(digest).update(input).sign(privateKey))}`;
}

/** kube's key id of a private key's public half (the `kid` kube puts in the header). */
export function keyIdOf(keyPem: string): string {
  return keyIdFromPublicKey(createPublicKey(keyPem));
}

/** The PEM public key of a private key, as sa.pub holds it (SPKI). */
export function publicPemOf(keyPem: string): string {
  return createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();
}

/** `token` with its claims edited, signed again with `keyPem` under the same header (or `header`). */
export function resign(token: string, keyPem: string, edit: (claims: JsonObject) => JsonObject, header?: JsonObject): string {
  const decoded = decodeJws(token);
  return signJws(header ?? decoded.header, edit({ ...decoded.claims }), keyPem);
}

/** `token` signed with HMAC-SHA256 keyed by `secret` (the public key confusion attack: HS256 keyed with sa.pub). */
export function hs256(token: string, secret: string, header: JsonObject): string {
  const input = signingInput(header, decodeJws(token).claims);
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
}

/** `token` with alg none and an empty signature. */
export function unsigned(token: string, header: JsonObject = { alg: 'none', typ: 'JWT' }): string {
  return `${signingInput(header, decodeJws(token).claims)}.`;
}

let stranger: string | undefined;
/** An RSA key no server knows, made once per process (its kid is masked in snapshots like any other). */
export function strangerKeyPem(): string {
  stranger ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return stranger;
}
