// Server-side printing: the meta.k8s.io Table kubectl asks for (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).
// Each kind's columns are declared with the kind, in its API group's table (src/api/groups/); this module holds
// what they share. Sources: staging/src/k8s.io/apiserver/pkg/registry/rest/table.go (the default convertor: Name,
// Created At), pkg/printers/storage (the server always prints wide: every column, kubectl hides priority 1 unless
// -o wide), apimachinery/pkg/util/duration (HumanDuration) and endpoints/handlers/response.go (includeObject).
import { badRequest } from '../../apimachinery/status.js';
import type { KubeObject } from '../../apimachinery/object.js';

/** metav1.TableColumnDefinition, with kube's JSON keys (none omitted). */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** metav1.TableRow: the cells and, unless includeObject=None, the object. */
export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

/** metav1.Table. */
export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** null on watch events after the first (NoHeaders), as Go encodes a nil slice. */
  columnDefinitions: TableColumn[] | null;
  /** null for an empty list printed by the default convertor, which never allocates the slice. */
  rows: TableRow[] | null;
}

/** TableOptions.includeObject. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Reads includeObject from the query: Metadata by default, kube's 400 for anything else it does not know. */
export function includeObjectOf(value: string | undefined): IncludeObject {
  if (value === undefined || value === '' || value === 'Metadata') return 'Metadata';
  if (value === 'None' || value === 'Object') return value;
  throw badRequest(`unrecognized includeObject value: ${JSON.stringify(value)}`);
}

// Descriptions from the swagger docs kube's printers quote.
const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A column definition; priority 1 columns are the ones kubectl shows only with -o wide. */
export const column = (name: string, type: string, description: string, priority = 0, format = ''): TableColumn => ({ name, type, format, description, priority });
/** The Name column every printer starts with. */
export const NAME_COLUMN = column('Name', 'string', NAME_DOC, 0, 'name');
/** The Age column (creationTimestamp as HumanDuration). */
export const AGE_COLUMN = column('Age', 'string', CREATED_DOC);

/** duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for no timestamp. */
export function age(obj: KubeObject, now: number): string {
  const ts = obj.metadata.creationTimestamp;
  if (typeof ts !== 'string' || ts === '') return '<unknown>';
  return humanDuration(now - Date.parse(ts));
}

/** A kind's TableConvertor: its columns, and the cells of one object at a time (now, for ages). */
export interface Printer {
  columns: TableColumn[];
  cells(obj: KubeObject, now: number): unknown[];
}

/** rest.DefaultTableConvertor: Name and Created At (RFC 3339, UTC), for kinds that declare no printer. */
export const DEFAULT_PRINTER: Printer = {
  columns: [NAME_COLUMN, column('Created At', 'date', CREATED_DOC)],
  cells: (obj) => [obj.metadata.name ?? '', typeof obj.metadata.creationTimestamp === 'string' ? obj.metadata.creationTimestamp : '0001-01-01T00:00:00Z'],
};

/** The row's object as includeObject asks: PartialObjectMetadata (default), the whole object, or none. */
function rowObject(obj: KubeObject, include: IncludeObject, metaVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${metaVersion}`, metadata: obj.metadata };
}

/** Options of a Table conversion. */
export interface TableOptions {
  include: IncludeObject;
  /** meta.k8s.io version the client asked for: v1 or v1beta1. */
  version: string;
  /** Omit the column definitions (watch events after the first). */
  noHeaders?: boolean;
  /** The list's metadata, or the object's resourceVersion. */
  metadata: Table['metadata'];
  now?: number;
}

/** Converts objects (one for get, all for list) to a Table as kube's TableConvertor and response transformer do. */
export function toTable(printer: Printer, objects: readonly KubeObject[], opts: TableOptions): Table {
  const now = opts.now ?? Date.now();
  const rows = objects.map((obj): TableRow => {
    const object = rowObject(obj, opts.include, opts.version);
    return object === undefined ? { cells: printer.cells(obj, now) } : { cells: printer.cells(obj, now), object };
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: opts.metadata,
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    rows: rows.length === 0 && printer === DEFAULT_PRINTER ? null : rows,
  };
}
