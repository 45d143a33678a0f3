import type { StructSchema } from '../apimachinery/go-decode.js';
import type { PatchStruct } from '../apimachinery/strategic-merge.js';
import type { FieldError, KubeObject } from '../apimachinery/object.js';

// The in-memory object store's contract. Every stored kind is served the same way; kinds differ only in
// their ResourceType (names, scope, validation, field selectors).

/** Everything the store and the REST layer need to know about one kind. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: "roles". */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Checks an object about to be created or updated; an empty list means valid. */
  validate?: (obj: KubeObject, old: KubeObject | undefined) => FieldError[];
  /** Field selector keys this kind supports besides metadata.name and metadata.namespace, and how to read them. */
  fieldSelectors?: Record<string, (obj: KubeObject) => string>;

  // ----- Optional, with kube's defaults when unset. -----

  /**
   * The name rule for metadata.name (kube's ValidateNameFunc for the kind): DNS-1123 subdomain when unset,
   * DNS-1123 label for namespaces, path segment names for RBAC kinds.
   */
  nameValidation?: 'DNS1123Subdomain' | 'DNS1123Label' | 'PathSegmentName';
  /**
   * The field labels the kind's own conversion function accepts (kube registers one for pods, secrets,
   * namespaces, nodes, ...): others are 400 "field label not supported: x". Unset means kube's default,
   * metadata.name and metadata.namespace only, with its "is not a known field selector" message.
   */
  fieldLabels?: string[];
  /**
   * The kind's Go type, for kube's strict decoder (src/apimachinery/go-decode.ts): a body that does not fit it is a
   * 400 (`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4`); unknown and
   * repeated fields are dropped and reported as fieldValidation asks. Unset: the body is taken as it is.
   */
  schema?: StructSchema;
  /** kube's versioned defaulting, as the decoder applies it to every body (e.g. Secret type Opaque). May throw a StatusError. */
  defaults?: (obj: KubeObject) => void;
  /** The strategy's PrepareForCreate: clears or sets what users may not set on create (e.g. Pod status). */
  prepareForCreate?: (obj: KubeObject) => void;
  /** The strategy's PrepareForUpdate: keeps what users may not change through the main resource (e.g. status). */
  prepareForUpdate?: (obj: KubeObject, old: KubeObject) => void;
  /** The strategy's Canonicalize, after validation (e.g. the kubernetes.io/metadata.name label of namespaces). */
  canonicalize?: (obj: KubeObject) => void;
  /** metadata.generation is 1 on create and grows when spec changes, as the kind's strategy does it. */
  generation?: boolean;
  /** The strategy's AllowCreateOnUpdate: a PUT to a missing object creates it (true for RBAC kinds). */
  allowCreateOnUpdate?: boolean;
  /** The registry's ReturnDeletedObject: DELETE answers with the object instead of a Success Status. */
  returnDeletedObject?: boolean;
  /** Top-level fields after kind, apiVersion and metadata, in the order kube's JSON encoder writes them. */
  fieldOrder?: string[];
  /** Dotted paths of string maps that kube serialises with sorted keys (Go maps), besides labels and annotations. */
  sortedMaps?: string[];
  /** The fields kube's encoder writes for an empty object of the kind (in BOOKMARK events), e.g. `rules: null`. */
  emptyFields?: Record<string, unknown>;
  /** The strategic merge patch metadata of the kind's Go type; unset: strategic merge patch is a 415, as for CRDs. */
  patchMeta?: PatchStruct;
}

/** A change the store made, in the watch event's words. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

/** A stored change and the type it belongs to, for listeners that see every kind (the RBAC index). */
export interface StoreChange {
  type: ResourceType;
  event: WatchEvent;
}
