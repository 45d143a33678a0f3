// authentication.k8s.io: SelfSubjectReview (v1, v1beta1, v1alpha1) and TokenReview (v1).
// Sources: pkg/registry/authentication/selfsubjectreview/rest.go and pkg/registry/authentication/tokenreview/storage.go.
import { metaTime } from '../../apimachinery/meta-time.js';
import { bearerAuthorizationHeader } from '../../authn/bearer-token.js';
import type { RequestAuthenticator, UserInfo } from '../../authn/types.js';
import { userOf, type KubeContext } from '../../request/state.js';
import { decodeBody } from '../codec/body.js';
import { goBool, goString, goStrings, goStruct, kindSchema, type StructSchema } from '../../apimachinery/go-decode.js';
import { writeParams } from '../rest/query.js';
import { writeObject } from '../respond.js';
import type { ServedGroupVersion } from '../registry.js';
import type { ApiGroup } from './group.js';
import { badRequest, internalError } from '../../apimachinery/status.js';
import { compareGoStrings } from '../../apimachinery/validation.js';

const GROUP = 'authentication.k8s.io';

// The kinds' Go types (k8s.io/api/authentication/v1/types.go; v1beta1 and v1alpha1 are alike), for kube's strict
// decoder: type errors are 400, unknown fields are dropped and reported as fieldValidation asks.
const USER_INFO = goStruct('UserInfo', 'v1', {
  username: goString(),
  uid: goString(),
  groups: goStrings(),
  extra: { t: 'map', of: goStrings('v1.ExtraValue'), go: 'map[string]v1.ExtraValue' },
});
const SELF_SUBJECT_REVIEW = kindSchema('SelfSubjectReview', { status: goStruct('SelfSubjectReviewStatus', 'v1', { userInfo: USER_INFO }) });
const TOKEN_REVIEW = kindSchema('TokenReview', {
  spec: goStruct('TokenReviewSpec', 'v1', { token: goString(), audiences: goStrings() }),
  status: goStruct('TokenReviewStatus', 'v1', { authenticated: goBool, user: USER_INFO, audiences: goStrings(), error: goString() }),
});

/** Reads a body as kube's create handler does, with the fieldValidation of its CreateOptions. */
function decodeCreate(ctx: KubeContext, version: string, kind: string, schema: StructSchema): Promise<Record<string, unknown>> {
  const { fieldValidation } = writeParams(ctx, 'CreateOptions');
  return decodeBody(ctx, { group: GROUP, version, kind }, { schema, fieldValidation });
}

/** authenticationv1.UserInfo in JSON: empty fields omitted, as Go's omitempty does. */
export function userInfoJson(user: UserInfo): Record<string, unknown> {
  return {
    username: user.name,
    ...(user.uid !== '' ? { uid: user.uid } : {}),
    ...(user.groups.length > 0 ? { groups: user.groups } : {}),
    // extra is a Go map: encoding/json writes its keys sorted (byte order).
    ...(Object.keys(user.extra).length > 0 ? { extra: Object.fromEntries(Object.keys(user.extra).sort(compareGoStrings).map((k) => [k, user.extra[k]!])) } : {}),
  };
}

function selfSubjectReviews(version: string): ServedGroupVersion['resources'][number] {
  return {
    name: 'selfsubjectreviews',
    singularName: 'selfsubjectreview',
    namespaced: false,
    kind: 'SelfSubjectReview',
    handlers: {
      create: async (ctx: KubeContext) => {
        await decodeCreate(ctx, version, 'SelfSubjectReview', SELF_SUBJECT_REVIEW);
        // kube builds a new object: the request's fields are not echoed, creationTimestamp is now.
        writeObject(ctx, 201, {
          kind: 'SelfSubjectReview',
          apiVersion: `${GROUP}/${version}`,
          metadata: { creationTimestamp: metaTime(new Date()) },
          status: { userInfo: userInfoJson(userOf(ctx)) },
        });
      },
    },
  };
}

/** What TokenReview needs, as newAuthenticator (src/authn/config.ts) gives it: the server's request authenticator and the API audiences. */
export interface TokenReviewOptions {
  authenticator: RequestAuthenticator;
  apiAudiences: readonly string[];
}

function tokenReviews(opts: TokenReviewOptions): ServedGroupVersion['resources'][number] {
  return {
    name: 'tokenreviews',
    singularName: 'tokenreview',
    namespaced: false,
    kind: 'TokenReview',
    handlers: {
      create: async (ctx: KubeContext) => {
        const review = await decodeCreate(ctx, 'v1', 'TokenReview', TOKEN_REVIEW);
        const spec = (review.spec ?? {}) as { token?: unknown; audiences?: unknown };
        const token = typeof spec.token === 'string' ? spec.token : '';
        if (token === '') throw badRequest('token is required for TokenReview in authentication');
        const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? (spec.audiences as string[]) : [...opts.apiAudiences];
        // kube asks the server's whole request authenticator about a request that carries nothing but the token,
        // so the answer is what the bearer path would give: "invalid bearer token" for a token nobody knows, and
        // even anonymous for one the bearer-token reader ignores (a leading space).
        const result = await opts.authenticator.authenticate({
          headers: { authorization: bearerAuthorizationHeader(token) },
          peerCertificates: [],
          ...(audiences.length > 0 ? { audiences } : {}),
        });
        // An identity valid for none of the audiences asked for is kube's badAuthenticatorAuds.
        if (audiences.length > 0 && result?.ok && !(result.audiences ?? []).some((a) => audiences.includes(a))) {
          throw internalError('error validating audiences');
        }
        // TokenReviewStatus in its Go field order: authenticated, user (always, empty when none), audiences, error.
        const status: Record<string, unknown> = {
          ...(result?.ok ? { authenticated: true } : {}),
          user: result?.ok ? userInfoJson(result.user) : {},
          ...(result?.ok && result.audiences !== undefined && result.audiences.length > 0 ? { audiences: result.audiences } : {}),
          ...(result !== null && !result.ok ? { error: result.reason } : {}),
        };
        writeObject(ctx, 201, {
          kind: review.kind,
          apiVersion: review.apiVersion,
          metadata: { creationTimestamp: null, ...(review.metadata as object | undefined) },
          spec: review.spec ?? {},
          status,
        });
      },
    },
  };
}

/** The authentication.k8s.io group versions, in kube's preference order. */
export function authenticationApi(opts: TokenReviewOptions): ServedGroupVersion[] {
  return [
    { group: GROUP, version: 'v1', resources: [selfSubjectReviews('v1'), tokenReviews(opts)] },
    { group: GROUP, version: 'v1beta1', resources: [selfSubjectReviews('v1beta1')] },
    { group: GROUP, version: 'v1alpha1', resources: [selfSubjectReviews('v1alpha1')] },
  ];
}

/** authentication.k8s.io: SelfSubjectReview and TokenReview, nothing stored. */
export const authenticationGroup: ApiGroup = {
  name: GROUP,
  install(registry, deps) {
    for (const gv of authenticationApi({ authenticator: deps.tokenReviewAuthenticator, apiAudiences: deps.apiAudiences })) registry.add(gv);
  },
};
