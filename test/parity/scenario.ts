// The scenario format: a short sequence of HTTP requests, each sent by a named identity of the fixed test
// set-up (test/parity/setup.ts), recorded against kube-apiserver and replayed against the mock.
/** A parsed JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Who sends a request: the identities of the fixed set-up, built the same way for both servers. */
export type IdentityName =
  /** client certificate CN=admin O=system:masters from the cluster CA */
  | 'admin'
  /** client certificate CN=jane O=parity-readers from the cluster CA */
  | 'jane'
  /** bearer token from the static token file: alice, uid alice-uid, groups parity-devs */
  | 'alice'
  /** bearer token from the static token file: bob, uid bob-uid, no groups */
  | 'bob'
  /** client certificate CN=mallory O=system:masters from another CA, which the servers do not trust */
  | 'other-ca'
  /** client certificate CN=jane from the cluster CA, expired yesterday */
  | 'expired-cert'
  /** client certificate CN=jane from the cluster CA whose extended key usage is serverAuth only */
  | 'server-usage-cert'
  /** a bearer token no server knows */
  | 'bad-token'
  /** no credential at all */
  | 'anonymous'
  /** client certificate CN=ivan O=parity-readers signed by an intermediate CA (signed by the cluster CA); the leaf only is sent */
  | 'intermediate-leaf'
  /** the same leaf as intermediate-leaf, sent with its intermediate CA */
  | 'intermediate-chain'
  /** client certificate CN=pat O=parity-readers under a second intermediate below an intermediate of pathLenConstraint 0; the whole chain is sent */
  | 'path-length-chain'
  /** client certificate CN=carol from the cluster CA with no O: a user in no group */
  | 'cn-only'
  /** client certificate CN=dave from the cluster CA with O=parity-readers, O=parity-extra-1, O=parity-extra-2 */
  | 'many-groups'
  /** front-proxy-client.crt: CN=front-proxy-client from the front-proxy CA (the authenticating proxy of the front-proxy variant) */
  | 'front-proxy'
  /** client certificate CN=other-proxy from the front-proxy CA: not in --requestheader-allowed-names */
  | 'front-proxy-unlisted'
  /** client certificate CN=front-proxy-client from the cluster CA: the allowed name, from the wrong CA */
  | 'front-proxy-cluster-ca';

/**
 * The server set-up a scenario runs on: `default` (--anonymous-auth=true), `anonymous-off`, `bootstrap-tokens`,
 * `webhooks`, `front-proxy`, `audit`; what each adds is in variants.ts. Both servers are started once per variant used.
 */
export type ParityVariant = 'default' | 'anonymous-off' | 'bootstrap-tokens' | 'webhooks' | 'front-proxy' | 'audit';

/** What a computed capture sees: the values captured so far in the scenario, and the set-up's ServiceAccount signing key. */
export interface CaptureContext {
  vars: Readonly<Record<string, string>>;
  /** the set-up's sa.key (PEM), which both servers sign and verify ServiceAccount tokens with */
  serviceAccountKeyPem: string;
}

/**
 * A value a request's answer yields for later requests of the same scenario: a dot-separated path into the JSON
 * body (`status.token`, `metadata.uid`), or a function of the body (a token signed by hand from a real one).
 */
export type Capture = string | ((body: JsonValue, ctx: CaptureContext) => string);

/** A request body: JSON (serialized as written), text (YAML, broken JSON...), or raw bytes. */
export type RequestBody =
  | { json: JsonValue }
  | { text: string }
  /** base64 */
  | { bytes: string }
  /** `count` copies of `chunk`, for bodies too large to write out (413) */
  | { repeat: string; count: number };

/** One HTTP request of a scenario. `{{name}}` in path, header values and body strings stands for a captured value (see `capture`). */
export interface ParityRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** path with its query */
  path: string;
  as: IdentityName;
  /**
   * Extra headers; an explicit Authorization here replaces the identity's token. Content-Type defaults to
   * application/json for json bodies. A list sends the header once per value (X-Remote-Group twice).
   */
  headers?: Readonly<Record<string, string | readonly string[]>>;
  body?: RequestBody;
  /**
   * On the `audit` variant: the audit events the server wrote for this request (found by its Audit-Id header, every
   * stage until ResponseComplete or Panic) are part of the snapshot, normalised as bodies are.
   */
  audit?: boolean;
  /**
   * Paths (dot-separated, `*` for any key or index) of arrays whose order is not part of the contract: sorted
   * before comparing. SelfSubjectRulesReview's rule lists, for example, follow the binding walk's order.
   */
  unordered?: readonly string[];
  /**
   * Keeps the part of the parsed body the scenario is about, the same way for both servers: the real server
   * serves many API groups the mock does not, so discovery scenarios keep the groups the mock serves.
   */
  select?: (body: JsonValue) => JsonValue;
  /** Keep the body as the exact text sent (indentation, spacing) instead of parsed JSON; only for bodies with nothing volatile. */
  rawText?: boolean;
  /** Replace every scalar by its type ("<string>", "<number>"...): for /version, whose values are the build's. */
  shapeOnly?: boolean;
  /**
   * Values taken from this answer, by name, for the requests after it: `{{name}}` in a later request's path, header
   * values and body strings is replaced by the value when sending (the snapshot keeps `{{name}}`).
   */
  capture?: Readonly<Record<string, Capture>>;
}

/** A set-up or clean-up request: its answer is not snapshotted. */
export interface UnrecordedRequest {
  method: ParityRequest['method'];
  path: string;
  as: IdentityName;
  headers?: Readonly<Record<string, string>>;
  body?: RequestBody;
  /** Statuses that are fine for a set-up request (default: any 2xx). Clean-up ignores statuses. */
  okStatuses?: readonly number[];
  /** As for ParityRequest: values of this answer for the requests after it (set-up requests only). */
  capture?: Readonly<Record<string, Capture>>;
}

/** A named scenario: set-up (not snapshotted), the requests, clean-up (always run, not snapshotted). */
export interface Scenario {
  /** kebab-case, unique in its group: the snapshot's file name */
  name: string;
  /** what the scenario shows, one line */
  description: string;
  /** the set-up variant it runs on; `default` when absent */
  variant?: ParityVariant;
  setup?: readonly UnrecordedRequest[];
  requests: readonly ParityRequest[];
  cleanup?: readonly UnrecordedRequest[];
}

/** The scenarios of one file of test/parity/scenarios/, named after the file. */
export interface ScenarioGroup {
  group: string;
  scenarios: readonly Scenario[];
}

/** `group/name`, the scenario's id in snapshots, known differences and test names. */
export function scenarioId(group: string, scenario: Pick<Scenario, 'name'>): string {
  return `${group}/${scenario.name}`;
}
