// serviceaccounts/token: the TokenRequest API, which signs bound ServiceAccount tokens. Sources (kube v1.34):
// pkg/registry/core/serviceaccount/storage/token.go (TokenREST.Create), pkg/apis/authentication/validation/
// validation.go (ValidateTokenRequest), pkg/apis/authentication/v1/defaults.go (expirationSeconds 3600) and
// pkg/serviceaccount/claims.go (the 3607 s extension of pod-bound tokens).
import { goPtr, goString, goStrings, goStruct, kindSchema } from '../../../apimachinery/go-decode.js';
import { recordOf } from '../../../apimachinery/json-value.js';
import { metaTime } from '../../../apimachinery/meta-time.js';
import { OBJECT_META_FIELD_ORDER, type KubeObject } from '../../../apimachinery/object.js';
import { badRequest, conflict, invalid, notFound, StatusError } from '../../../apimachinery/status.js';
import { fieldInvalid } from '../../../apimachinery/validation.js';
import { boundTokenClaims, type ObjectRef } from '../../../authn/serviceaccount/bound.js';
import type { TokenGenerator } from '../../../authn/serviceaccount/generator.js';
import { credentialIdForJti } from '../../../authn/serviceaccount/service-account-info.js';
import { requestInfoOf, type KubeContext } from '../../../request/state.js';
import type { ObjectStore } from '../../../store/object-store.js';
import { decodeBody } from '../../codec/body.js';
import type { ServedResource } from '../../registry.js';
import { writeParams } from '../../rest/query.js';
import { writeObject } from '../../respond.js';
import { addWarning } from '../../warning.js';

const GROUP = 'authentication.k8s.io';
/** serviceaccount.IssuedCredentialIDAuditAnnotationKey. */
export const ISSUED_CREDENTIAL_ID_ANNOTATION = 'authentication.kubernetes.io/issued-credential-id';
const VERSION = 'v1';
/** The kind's group and kind, as kube's errors name it: TokenRequest.authentication.k8s.io. */
const TOKEN_REQUEST_GR = { group: GROUP, resource: 'TokenRequest' };

/** validation.MinTokenAgeSec, and the 2^32 s ceiling. */
export const MIN_TOKEN_AGE_SECONDS = 600;
const MAX_TOKEN_AGE_SECONDS = 2 ** 32;
/** SetDefaults_TokenRequestSpec: an hour. */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;
/** token.WarnOnlyBoundTokenExpirationSeconds: what the kubelet asks for, and the year it is extended to. */
const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;

// k8s.io/api/authentication/v1 types.go, for kube's strict decoder.
const TOKEN_REQUEST = kindSchema('TokenRequest', {
  spec: goStruct('TokenRequestSpec', 'v1', {
    audiences: goStrings(),
    expirationSeconds: { t: 'int', go: 'int64', ptr: true },
    boundObjectRef: goPtr(goStruct('BoundObjectReference', 'v1', { kind: goString(), apiVersion: goString(), name: goString(), uid: goString('types.UID') })),
  }),
  status: goStruct('TokenRequestStatus', 'v1', { token: goString(), expirationTimestamp: { t: 'time' } }),
});

/** What TokenRequest needs from the server's ServiceAccount settings. */
export interface TokenRequestConfig {
  generator: TokenGenerator;
  /** --api-audiences: a request naming none gets these, and only tokens for a subset of them are extended. */
  apiAudiences: readonly string[];
  /** --service-account-max-token-expiration in seconds; 0 is no limit. */
  maxExpirationSeconds: number;
  /** --service-account-extend-token-expiration. */
  extendExpiration: boolean;
  /** TokenRequestServiceAccountUIDValidation (beta, on, from 1.34): a uid that is not the ServiceAccount's is a 409, else a warning. */
  uidValidation: boolean;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** schema.FromAPIVersionAndKind(...).String(): "group/version, Kind=kind", an unparsable apiVersion giving "/". */
function gvkString(apiVersion: string, kind: string): { group: string; text: string } {
  const parts = apiVersion.split('/');
  let group = '';
  let version = '';
  if (apiVersion === '') {
    // an empty group version
  } else if (parts.length === 1) version = parts[0]!;
  else if (parts.length === 2) [group, version] = [parts[0]!, parts[1]!];
  return { group, text: `${group}/${version}, Kind=${kind}` };
}

function uidOf(obj: KubeObject): string {
  return obj.metadata.uid ?? '';
}

/** The object a token is bound to, looked up as kube does, and the node of a bound pod. */
function boundObjects(store: ObjectStore, namespace: string, saName: string, ref: Record<string, unknown>): { pod?: ObjectRef; secret?: ObjectRef; node?: ObjectRef } {
  const kind = str(ref.kind);
  const name = str(ref.name);
  const gvk = gvkString(str(ref.apiVersion), kind);
  const get = (resource: string, ns: string, objName: string): KubeObject => {
    // The registry's Get of an empty name (rest's "Name parameter required.").
    if (objName === '') throw badRequest('Name parameter required.');
    const type = store.typeFor('', resource);
    const obj = type === undefined ? undefined : store.find(type, ns, objName);
    if (obj === undefined) throw notFound({ group: '', resource }, objName);
    return obj;
  };
  let found: KubeObject;
  const bound: { pod?: ObjectRef; secret?: ObjectRef; node?: ObjectRef } = {};
  if (gvk.group === '' && kind === 'Pod') {
    found = get('pods', namespace, name);
    if (str(recordOf(found.spec).serviceAccountName) !== saName) {
      throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(saName)} to pod running with different serviceaccount name.`);
    }
    bound.pod = { name: found.metadata.name ?? '', uid: uidOf(found) };
    const nodeName = str(recordOf(found.spec).nodeName);
    if (nodeName !== '') {
      // A node that does not exist still names itself in the claims, without a uid.
      const nodeType = store.typeFor('', 'nodes');
      const node = nodeType === undefined ? undefined : store.find(nodeType, '', nodeName);
      bound.node = { name: nodeName, uid: node === undefined ? '' : uidOf(node) };
    }
  } else if (gvk.group === '' && kind === 'Node') {
    found = get('nodes', '', name);
    bound.node = { name: found.metadata.name ?? '', uid: uidOf(found) };
  } else if (gvk.group === '' && kind === 'Secret') {
    found = get('secrets', namespace, name);
    bound.secret = { name: found.metadata.name ?? '', uid: uidOf(found) };
  } else {
    throw badRequest(`cannot bind token to object of type ${gvk.text}`);
  }
  const refUid = str(ref.uid);
  if (refUid !== '' && uidOf(found) !== refUid) {
    throw conflict({ group: gvk.group, resource: kind }, name, `the UID in the bound object reference (${refUid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return bound;
}

/** BoundObjectReference as Go writes it: kind, apiVersion, name, uid, each omitted when empty. */
function boundObjectRefJson(ref: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['kind', 'apiVersion', 'name', 'uid']) if (str(ref[key]) !== '') out[key] = str(ref[key]);
  return out;
}

function metadataInOrder(meta: Record<string, unknown>): Record<string, unknown> {
  const keys = [...OBJECT_META_FIELD_ORDER, ...Object.keys(meta).filter((k) => !OBJECT_META_FIELD_ORDER.includes(k))];
  return Object.fromEntries(keys.filter((k) => meta[k] !== undefined).map((k) => [k, meta[k]]));
}

/** A TokenRequest for one ServiceAccount: its body (decoded), and where the warnings go. */
export interface TokenRequestCall {
  namespace: string;
  name: string;
  request: Record<string, unknown>;
  warn(text: string): void;
  /** kube's audit.AddAuditAnnotation: the issued credential id goes here. */
  annotate?(key: string, value: string): void;
}

/**
 * TokenREST.Create: validation, the ServiceAccount and the bound object looked up, the token signed; the
 * TokenRequest answered. Refusals are kube's StatusErrors. Used by the API and by the programmatic API.
 */
export function createTokenRequest(store: ObjectStore, config: TokenRequestConfig, call: TokenRequestCall): Record<string, unknown> {
  const { namespace, name, request: req } = call;
  if (namespace === '') throw badRequest('namespace is required');
  const meta = { ...recordOf(req.metadata) };
  // The create handler's rest.EnsureObjectNamespaceMatchesRequestNamespace, before the registry sees the object.
  if (str(meta.namespace) !== '' && meta.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  // NamespaceLifecycle admits the create first: a namespace that does not exist is its 404.
  const nsType = store.typeFor('', 'namespaces');
  if (nsType !== undefined && store.find(nsType, '', namespace) === undefined) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  if (str(meta.name) !== '' && meta.name !== name) {
    throw invalid(GROUP, 'TokenRequest', name, [fieldInvalid('metadata.name', str(meta.name), 'must match the service account name if specified')]);
  }
  const saType = store.typeFor('', 'serviceaccounts');
  const sa = saType === undefined ? undefined : store.find(saType, namespace, name);
  if (sa === undefined) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
  const requestUid = str(meta.uid);
  if (requestUid !== '' && requestUid !== uidOf(sa)) {
    const mismatch = `the UID in the token request (${requestUid}) does not match the UID of the service account (${uidOf(sa)})`;
    if (config.uidValidation) throw conflict(TOKEN_REQUEST_GR, name, mismatch);
    call.warn(`${mismatch} but TokenRequestServiceAccountUIDValidation is not enabled. In the future, this will return a conflict error`);
  }
  const spec = { ...recordOf(req.spec) };
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? (spec.audiences as string[]) : [...config.apiAudiences];
  let expirationSeconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : DEFAULT_TOKEN_EXPIRATION_SECONDS;
  meta.name = str(meta.name) || (sa.metadata.name ?? '');
  meta.namespace = str(meta.namespace) || (sa.metadata.namespace ?? '');
  if (requestUid === '') meta.uid = uidOf(sa);
  const now = new Date();
  meta.creationTimestamp = metaTime(now);

  const errs = [];
  if (expirationSeconds < MIN_TOKEN_AGE_SECONDS) errs.push(fieldInvalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'));
  if (expirationSeconds > MAX_TOKEN_AGE_SECONDS) errs.push(fieldInvalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  if (errs.length > 0) throw invalid(GROUP, 'TokenRequest', '', errs);

  const ref = spec.boundObjectRef;
  const bound = ref !== undefined && ref !== null ? boundObjects(store, namespace, name, recordOf(ref)) : {};

  if (config.maxExpirationSeconds > 0 && expirationSeconds > config.maxExpirationSeconds) {
    call.warn(`requested expiration of ${expirationSeconds} seconds shortened to ${config.maxExpirationSeconds} seconds`);
    expirationSeconds = config.maxExpirationSeconds;
  }
  // The kubelet's 3607 s pod-bound tokens for the API's own audiences last a year and warn after 3607 s, so a
  // cluster can move to bound tokens without breaking clients that never re-read them.
  let tokenSeconds = expirationSeconds;
  let warnAfterSeconds: number | undefined;
  if (config.extendExpiration && bound.pod && expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && audiences.every((a) => config.apiAudiences.includes(a))) {
    warnAfterSeconds = expirationSeconds;
    tokenSeconds = EXPIRATION_EXTENSION_SECONDS;
  }
  const { payload, jti } = boundTokenClaims(
    {
      namespace,
      serviceAccount: { name: sa.metadata.name ?? '', uid: uidOf(sa) },
      ...bound,
      expirationSeconds: tokenSeconds,
      ...(warnAfterSeconds !== undefined ? { warnAfterSeconds } : {}),
      audiences,
    },
    now,
  );
  let token: string;
  try {
    token = config.generator.generateToken(payload);
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw new Error(`failed to generate token: ${(err as Error).message}`);
  }
  call.annotate?.(ISSUED_CREDENTIAL_ID_ANNOTATION, credentialIdForJti(jti));
  return {
    kind: 'TokenRequest',
    apiVersion: `${GROUP}/${VERSION}`,
    metadata: metadataInOrder(meta),
    spec: { audiences, expirationSeconds, boundObjectRef: ref === undefined || ref === null ? null : boundObjectRefJson(recordOf(ref)) },
    status: { token, expirationTimestamp: metaTime(new Date(now.getTime() + expirationSeconds * 1000)) },
  };
}

/** POST .../serviceaccounts/NAME/token: the body decoded as kube's create handler does, then createTokenRequest. */
async function createToken(ctx: KubeContext, store: ObjectStore, config: TokenRequestConfig): Promise<void> {
  const { fieldValidation } = writeParams(ctx, 'CreateOptions');
  const request = await decodeBody(ctx, { group: GROUP, version: VERSION, kind: 'TokenRequest' }, { schema: TOKEN_REQUEST, fieldValidation });
  const info = requestInfoOf(ctx);
  const annotate = (key: string, value: string): void => {
    ctx.state.auditAnnotations = { ...(ctx.state.auditAnnotations ?? {}), [key]: value };
  };
  writeObject(ctx, 201, createTokenRequest(store, config, { namespace: info.namespace, name: info.name, request, warn: (text) => addWarning(ctx.res, text), annotate }));
}

/** serviceaccounts/token in core/v1's discovery: a TokenRequest of authentication.k8s.io/v1, create only. */
export function serviceAccountTokenResource(store: ObjectStore, config: TokenRequestConfig): ServedResource {
  return {
    name: 'serviceaccounts/token',
    singularName: '',
    namespaced: true,
    group: GROUP,
    version: VERSION,
    kind: 'TokenRequest',
    handlers: { create: (ctx) => createToken(ctx, store, config) },
  };
}
