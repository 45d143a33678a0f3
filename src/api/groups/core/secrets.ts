// core/v1 secrets. Sources (kube v1.33): pkg/registry/core/secret/strategy.go, pkg/apis/core/v1/conversion.go
// (Convert_v1_Secret_To_core_Secret), pkg/apis/core/validation/validation.go (ValidateSecret) and
// pkg/printers/internalversion/printers.go (printSecret).
import { recordOf } from '../../../apimachinery/json-value.js';
import { goBoolPtr, goString, goStringMap, kindSchema } from '../../../apimachinery/go-decode.js';
import type { FieldError } from '../../../apimachinery/object.js';
import { fieldInvalid, fieldRequired, fieldTooLong } from '../../../apimachinery/validation.js';
import type { ResourceType } from '../../../store/types.js';
import { appendAll } from '../../../util/append-all.js';
import { AGE_COLUMN, age, column, NAME_COLUMN, type Printer } from '../../rest/table.js';
import { BYTES_MAP, immutableData, MAX_SECRET_SIZE, validateDataKeys } from './configmaps.js';
import { SECRET_PATCH_META } from '../../codec/patch-meta.js';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** core/v1 secrets: stringData folded into data on decode, type defaulted to Opaque and immutable. */
export const secretType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'secrets',
  singular: 'secret',
  kind: 'Secret',
  patchMeta: SECRET_PATCH_META,
  listKind: 'SecretList',
  namespaced: true,
  fieldOrder: ['immutable', 'data', 'type'],
  sortedMaps: ['data'],
  fieldLabels: ['type', 'metadata.namespace', 'metadata.name'],
  fieldSelectors: { type: (obj) => str(obj.type) },
  schema: kindSchema('Secret', { immutable: goBoolPtr, data: BYTES_MAP, stringData: goStringMap, type: goString('v1.SecretType') }),
  defaults(obj) {
    // Convert_v1_Secret_To_core_Secret: stringData wins over data, and is never stored.
    const stringData = recordOf(obj.stringData);
    if (Object.keys(stringData).length > 0) {
      const data = { ...recordOf(obj.data) };
      for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(str(v), 'utf8').toString('base64');
      obj.data = data;
    }
    delete obj.stringData;
    if (str(obj.type) === '') obj.type = 'Opaque';
  },
  validate(obj, old) {
    const data = recordOf(obj.data);
    const errs: FieldError[] = [];
    if (old !== undefined && str(obj.type) !== str(old.type)) errs.push(fieldInvalid('type', str(obj.type), 'field is immutable'));
    appendAll(errs, immutableData(obj, old, ['data']));
    appendAll(errs, validateDataKeys(data, 'data'));
    let size = 0;
    for (const [k, v] of Object.entries(data)) size += k.length + Math.floor((str(v).length * 3) / 4);
    switch (str(obj.type)) {
      case 'kubernetes.io/service-account-token':
        if (str(recordOf(obj.metadata.annotations)['kubernetes.io/service-account.name']) === '') {
          errs.push(fieldRequired('metadata.annotations[kubernetes.io/service-account.name]'));
        }
        break;
      case 'kubernetes.io/dockercfg':
        if (!('.dockercfg' in data)) errs.push(fieldRequired('data[.dockercfg]'));
        break;
      case 'kubernetes.io/dockerconfigjson':
        if (!('.dockerconfigjson' in data)) errs.push(fieldRequired('data[.dockerconfigjson]'));
        break;
      case 'kubernetes.io/basic-auth':
        if (!('username' in data) && !('password' in data)) errs.push(fieldRequired('data[username]'), fieldRequired('data[password]'));
        break;
      case 'kubernetes.io/ssh-auth':
        if (!('ssh-privatekey' in data)) errs.push(fieldRequired('data[ssh-privatekey]'));
        break;
      case 'kubernetes.io/tls':
        if (!('tls.crt' in data)) errs.push(fieldRequired('data[tls.crt]'));
        if (!('tls.key' in data)) errs.push(fieldRequired('data[tls.key]'));
        break;
    }
    if (size > MAX_SECRET_SIZE) errs.push(fieldTooLong('data', MAX_SECRET_SIZE));
    return errs;
  },
};

/** kubectl's columns for secrets: Name, Type, Data (the number of keys), Age. */
export const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
    column(
      'Data',
      'string',
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
    ),
    AGE_COLUMN,
  ],
  cells: (obj, now) => [obj.metadata.name ?? '', str(obj.type), Object.keys(recordOf(obj.data)).length, age(obj, now)],
};
