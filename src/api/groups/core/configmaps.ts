// core/v1 configmaps. Sources (kube v1.33): pkg/registry/core/configmap/strategy.go, pkg/apis/core/validation/
// validation.go (ValidateConfigMap) and pkg/printers/internalversion/printers.go (printConfigMap).
import { equalJson, recordOf } from '../../../apimachinery/json-value.js';
import { goBoolPtr, goStringMap, kindSchema, type Schema } from '../../../apimachinery/go-decode.js';
import type { FieldError, KubeObject } from '../../../apimachinery/object.js';
import { fieldForbidden, fieldInvalid, fieldTooLong, isConfigMapKey } from '../../../apimachinery/validation.js';
import type { ResourceType } from '../../../store/types.js';
import { appendAll } from '../../../util/append-all.js';
import { AGE_COLUMN, age, column, NAME_COLUMN, type Printer } from '../../rest/table.js';
import { CONFIG_MAP_PATCH_META } from '../../codec/patch-meta.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** map[string][]byte, as binaryData and a secret's data are typed. */
export const BYTES_MAP: Schema = { t: 'map', of: { t: 'bytes' }, go: 'map[string][]uint8' };

/** The size limit of a configmap or secret (corev1.MaxSecretSize). */
export const MAX_SECRET_SIZE = 1024 * 1024;

/** Data keys (ValidateConfigMap and ValidateSecret): each a config key, no key in both maps. */
export function validateDataKeys(data: Record<string, unknown>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(data)) for (const m of isConfigMapKey(key)) errs.push(fieldInvalid(`${field}[${key}]`, key, m));
  return errs;
}

/** The fields an immutable configmap or secret may not change, and `immutable` itself. */
export function immutableData(obj: KubeObject, old: KubeObject | undefined, fields: string[]): FieldError[] {
  if (old === undefined || old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldForbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!equalJson(obj[f] ?? null, old[f] ?? null)) errs.push(fieldForbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

/** core/v1 configmaps. */
export const configMapType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  patchMeta: CONFIG_MAP_PATCH_META,
  listKind: 'ConfigMapList',
  namespaced: true,
  shortNames: ['cm'],
  fieldOrder: ['immutable', 'data', 'binaryData'],
  sortedMaps: ['data', 'binaryData'],
  schema: kindSchema('ConfigMap', { immutable: goBoolPtr, data: goStringMap, binaryData: BYTES_MAP }),
  validate(obj, old) {
    const data = recordOf(obj.data);
    const binary = recordOf(obj.binaryData);
    const errs = immutableData(obj, old, ['data', 'binaryData']);
    appendAll(errs, validateDataKeys(data, 'data'));
    let size = 0;
    for (const [k, v] of Object.entries(data)) size += k.length + Buffer.byteLength(str(v));
    for (const [k, v] of Object.entries(binary)) {
      for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(`binaryData[${k}]`, k, m));
      if (k in data) errs.push(fieldInvalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
      size += k.length + Math.floor((str(v).length * 3) / 4);
    }
    if (size > MAX_SECRET_SIZE) errs.push(fieldTooLong('[]', MAX_SECRET_SIZE));
    return errs;
  },
};

/** kubectl's columns for configmaps: Name, Data (the number of keys), Age. */
export const configMapPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column(
      'Data',
      'string',
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
    ),
    AGE_COLUMN,
  ],
  cells: (obj, now) => [obj.metadata.name ?? '', Object.keys(recordOf(obj.data)).length + Object.keys(recordOf(obj.binaryData)).length, age(obj, now)],
};
