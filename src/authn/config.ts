// The request authenticator assembled from a typed config, as kube-apiserver's
// pkg/kubeapiserver/authenticator/config.go (Config.New) assembles it.
//
// Adding an authenticator is one new module in src/authn/, the field that turns it on in AuthenticationConfig,
// and one line below, in kube's order:
//   request authenticators: request header (front proxy, request-header.ts), basic auth (kube 1.18, before x509), x509,
//                           then the bearer-token adapter over the token union (kube adds its websocket
//                           protocol authenticator over the same union, next);
//   token authenticators:   token file, ServiceAccount (legacy, then bound), bootstrap token, OIDC, webhook.
// Token authenticators go in the token list, never in the request list: the bearer path and TokenReview must
// both see them, through the one union built here. Each line is guarded by the config field that turns it on
// (kube: "if len(config.TokenAuthFile) > 0"), so an absent source leaves no authenticator in the chain.
// Each member of a union is named (named()) for the live view's observer, which the unions tell what each said.
import type { X509Certificate } from 'node:crypto';
import { anonymousAuthenticator } from './anonymous.js';
import { bearerTokenAuthenticator } from './bearer-token.js';
import { bootstrapTokenAuthenticator, type SecretGetter } from './bootstrap-token.js';
import { audienceAgnostic, audienceAgnosticRequest } from './audience-agnostic.js';
import { authenticatedGroupAdder } from './group-adder.js';
import { BASIC_AUTH_CHALLENGE, basicAuthAuthenticator, type PasswordTable } from './password-file.js';
import type { UserSource } from './static-users.js';
import { staticTokenAuthenticator, type TokenTable } from './token-file.js';
import { tokenUnion } from './token-union.js';
import { named, type AuthnRequest, type RequestAuthenticator, type TokenAuthenticator } from './types.js';
import { union } from './union.js';
import { x509Authenticator } from './x509.js';
import { requestHeaderAuthenticator, type RequestHeaderNames, type RequestHeaderOptions } from './request-header.js';
import { boundTokenValidator } from './serviceaccount/bound.js';
import { jwtTokenAuthenticator } from './serviceaccount/jwt.js';
import { loopbackAuthenticator } from './loopback.js';
import type { ServiceAccountPublicKey } from './serviceaccount/keys.js';
import { LEGACY_ISSUER, legacyTokenValidator } from './serviceaccount/legacy.js';
import type { ServiceAccountTokenGetter } from './serviceaccount/token-getter.js';
import type { WebhookClient, WebhookLogSink } from './webhook/client.js';
import { cachedWebhookTokenAuthenticator, type TokenWebhookVersion } from './webhook/token.js';

/** kubeadm's --service-account-issuer, which kube-auth-mock takes when none is given. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The audiences the default issuer implies (--api-audiences defaults to the issuers). */
export const DEFAULT_API_AUDIENCES = [DEFAULT_SERVICE_ACCOUNT_ISSUER];

/** kube's authenticator.Config: which authenticators run, each field named after the flag that sets it. */
export interface AuthenticationConfig {
  /** --anonymous-auth: a request no authenticator claims is system:anonymous instead of a 401. */
  anonymous: boolean;
  /** --basic-auth-file and the passwords minted in memory; none turns basic auth off. */
  passwordSources: readonly UserSource<PasswordTable>[];
  /** --client-ca-file: the roots client certificates must chain to; absent turns x509 off. */
  clientCaRoots?: () => readonly X509Certificate[];
  /** The --requestheader-* flags (the authenticating proxy); absent turns it off. */
  requestHeader?: RequestHeaderOptions;
  /** --token-auth-file and the tokens minted in memory; none turns static tokens off. */
  tokenSources: readonly UserSource<TokenTable>[];
  /** --enable-bootstrap-token-auth: where bootstrap token Secrets are read; absent turns bootstrap tokens off. */
  bootstrapTokenSecrets?: SecretGetter;
  /** --api-audiences: what a credential must be meant for, on a request and in a TokenReview that names none. */
  apiAudiences: readonly string[];
  /** ServiceAccount tokens: --service-account-key-file, --service-account-issuer, --service-account-lookup, and the store they are checked against. */
  serviceAccounts?: ServiceAccountAuthentication;
  /** --authentication-token-webhook-*: the client for the webhook's kubeconfig, the TokenReview version, the cache TTL. */
  tokenWebhook?: TokenWebhookAuthentication;
}

/** What the webhook token authenticator needs; the implicit audiences are the API audiences. */
export interface TokenWebhookAuthentication {
  client: WebhookClient;
  version: TokenWebhookVersion;
  cacheTtlMs: number;
  /** Where a failed review is logged (kube's klog.Errorf). */
  log?: WebhookLogSink;
}

/** What the two ServiceAccount token authenticators need. */
export interface ServiceAccountAuthentication {
  publicKeys: readonly ServiceAccountPublicKey[];
  issuers: readonly string[];
  /** Legacy tokens are checked against their Secret and ServiceAccount (bound tokens always are). */
  lookup: boolean;
  getter: ServiceAccountTokenGetter;
}

/** What Config.New gives the server: the request authenticator (which TokenReview asks too, as kube's does), and the 401's headers. */
export interface Authenticators {
  /** union(loopback, failOnError(groupAdder(union(request authenticators)), anonymous)), or without anonymous when it is off. */
  requestAuthenticator: RequestAuthenticator;
  /** Headers every 401 carries: WWW-Authenticate while basic auth is on (kube 1.18's Unauthorized(SupportsBasicAuth)). */
  challengeHeaders: Record<string, string>;
  /** The proxy's header names while it is on: the authentication filter clears them from every authenticated request. */
  requestHeaders?: RequestHeaderNames;
}

/** kube's Config.New: the authenticators the config turns on, in kube's order, and the one token union. */
export function newAuthenticator(config: AuthenticationConfig): Authenticators {
  const sa = config.serviceAccounts;
  // Bearer token methods, local first, then remote (kube's comment).
  const tokenAuthenticators: TokenAuthenticator[] = [
    ...(config.tokenSources.length > 0 ? [named('token-file', audienceAgnostic(staticTokenAuthenticator(config.tokenSources), config.apiAudiences))] : []),
    ...(sa ? [named('serviceaccount (legacy)', jwtTokenAuthenticator({ name: 'serviceaccount-legacy', issuers: [LEGACY_ISSUER], keys: sa.publicKeys, implicitAudiences: config.apiAudiences, validator: legacyTokenValidator(sa.lookup, sa.getter) }))] : []),
    ...(sa && sa.issuers.length > 0 ? [named('serviceaccount', jwtTokenAuthenticator({ name: 'serviceaccount', issuers: sa.issuers, keys: sa.publicKeys, implicitAudiences: config.apiAudiences, validator: boundTokenValidator(sa.getter) }))] : []),
    ...(config.bootstrapTokenSecrets ? [named('bootstrap', audienceAgnostic(bootstrapTokenAuthenticator({ secrets: config.bootstrapTokenSecrets }), config.apiAudiences))] : []),
    ...(config.tokenWebhook ? [named('webhook', cachedWebhookTokenAuthenticator({ ...config.tokenWebhook, implicitAudiences: config.apiAudiences }))] : []),
  ];
  const tokens = tokenUnion(tokenAuthenticators);
  const requestAuthenticators: RequestAuthenticator[] = [
    // kube wraps it audience-agnostic (WrapAudienceAgnosticRequest): a request header names no audience.
    ...(config.requestHeader ? [named('requestheader', audienceAgnosticRequest(requestHeaderAuthenticator(config.requestHeader), config.apiAudiences))] : []),
    ...(config.passwordSources.length > 0 ? [named('password-file', basicAuthAuthenticator(config.passwordSources))] : []),
    ...(config.clientCaRoots ? [named('x509', x509Authenticator({ roots: config.clientCaRoots }))] : []),
    ...(tokenAuthenticators.length > 0 ? [bearerTokenAuthenticator(tokens)] : []),
  ];
  const authenticated = authenticatedGroupAdder(union(requestAuthenticators));
  // "If the authenticator chain returns an error, return an error (don't consider a bad bearer token or
  // invalid username/password combination anonymous)."
  const main = config.anonymous ? union([authenticated, named('anonymous', anonymousAuthenticator())], { failOnError: true }) : authenticated;
  // The loopback client's bearer authenticator goes in front of everything (kube's AuthorizeClientBearerToken).
  const requestAuthenticator = withApiAudiences(union([named('loopback', loopbackAuthenticator(config.apiAudiences)), main]), config.apiAudiences);
  return {
    requestAuthenticator,
    challengeHeaders: config.passwordSources.length > 0 ? { 'WWW-Authenticate': BASIC_AUTH_CHALLENGE } : {},
    ...(config.requestHeader ? { requestHeaders: config.requestHeader } : {}),
  };
}

/**
 * kube's WithAuthentication puts the API audiences on every request's context before it authenticates; a
 * TokenReview sets its own (the review's, else the API's) and keeps them.
 */
function withApiAudiences(inner: RequestAuthenticator, apiAudiences: readonly string[]): RequestAuthenticator {
  if (apiAudiences.length === 0) return inner;
  return { authenticate: (req: AuthnRequest) => inner.authenticate(req.audiences === undefined ? { ...req, audiences: apiAudiences } : req) };
}
