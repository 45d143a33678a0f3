// RBAC policy files: Roles, ClusterRoles, RoleBindings and ClusterRoleBindings in YAML or JSON, read the way
// `kubectl apply -f` reads them (multi-document YAML, v1 List objects, YAML 1.1 scalars, strict field decoding)
// and checked the way kube-apiserver checks them on create. Any problem is a ConfigError naming the file, the
// document (0-based, counting every `---` section) and, for List items, the item.
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { repeatedKeys } from '../../apimachinery/yaml-keys.js';
import { ConfigError } from '../../util/errors.js';
import type { FieldError, KubeObject } from '../../apimachinery/object.js';
import { fieldInvalid, fieldRequired, isDNS1123Label, validatePathSegmentName } from '../../apimachinery/validation.js';
import { RBAC_API_VERSION, RBAC_KINDS, isNamespacedRbacKind, isRbacObject } from './types.js';
import type { RbacKind, RbacObject } from './types.js';
import { applyRbacDefaults, rbacDecodeError, validateRbacObject } from './validation.js';
import { appendAll } from '../../util/append-all.js';
import { aggregateMessage } from '../../apimachinery/aggregate.js';
import { isRecord } from '../../apimachinery/json-value.js';

/** The file name endings read from a folder. */
export const POLICY_FILE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/**
 * The largest policy file read: 3 MiB, kube-apiserver's limit on a request body (MaxRequestBodyBytes in
 * staging/src/k8s.io/apiserver/pkg/server/config.go), so no file holds more than one request could carry.
 * That is some 15,000 roles (kube's whole bootstrap policy is 35 KB), and parses in seconds on a worker.
 */
export const MAX_POLICY_FILE_BYTES = 3 * 1024 * 1024;

/** The namespace a namespaced object without one goes to, as kubectl would send it. */
export const DEFAULT_NAMESPACE = 'default';

export interface PolicyFiles {
  /** Every object, in file order, then document order, then List item order; defaulted as kube stores them. */
  objects: RbacObject[];
  /** The files read, in the order read. */
  files: string[];
}

const LIST_KINDS: Record<string, string> = {
  List: 'v1',
  RoleList: RBAC_API_VERSION,
  ClusterRoleList: RBAC_API_VERSION,
  RoleBindingList: RBAC_API_VERSION,
  ClusterRoleBindingList: RBAC_API_VERSION,
};

function invalid(file: string, reason: string): ConfigError {
  return new ConfigError({ file, reason, code: 'RBAC_POLICY_INVALID' });
}

function unreadable(file: string, err: unknown): ConfigError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new ConfigError({ file, reason: `cannot read: ${code}`, code: 'FILE_UNREADABLE' });
}

/** The refusal of a file over the limit: its size when stat knows it, else how far the read got. */
function tooLarge(file: string, size: number, known: boolean): ConfigError {
  const what = known ? `is ${size} bytes` : `holds more than ${MAX_POLICY_FILE_BYTES} bytes`;
  return new ConfigError({ file, reason: `${what}, over the ${MAX_POLICY_FILE_BYTES} byte (3 MiB) limit for policy files`, code: 'FILE_TOO_LARGE' });
}

/**
 * A file's text, refused before reading when it is over the size limit; the read itself stops past the limit,
 * for a file still growing. Only regular files are read: a pipe or device named by --rbac-file would block the
 * open (or the read) until a writer came, hanging the reader for good, and could never be read again on reload.
 * The open is non-blocking, so a FIFO is refused instead of waited on.
 */
async function readBounded(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ConfigError({ file, reason: 'is not a regular file (a pipe or device cannot be re-read when policy files change)', code: 'FILE_UNREADABLE' });
    const { size } = info;
    if (size > MAX_POLICY_FILE_BYTES) throw tooLarge(file, size, true);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(size, 64 * 1024), MAX_POLICY_FILE_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_POLICY_FILE_BYTES) throw tooLarge(file, total, false);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw unreadable(file, err);
  } finally {
    await handle.close();
  }
}

/** Expands the paths into the files to read: a file as it is, a folder's policy files sorted by name. */
async function listFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (err) {
      throw unreadable(path, err);
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (err) {
      throw unreadable(path, err);
    }
    const names = entries
      .filter((e) => POLICY_FILE_EXTENSIONS.includes(extname(e.name).toLowerCase()))
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const file = join(path, name);
      // A symbolic link to a folder is not a policy file.
      if ((await stat(file).catch(() => undefined))?.isFile() ?? true) files.push(file);
    }
  }
  return files;
}

/** The documents of one file, null for empty ones; YAML syntax errors are thrown with their line. */
function parseDocuments(file: string, text: string): unknown[] {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return [JSON.parse(text) as unknown];
    } catch (err) {
      // JSON.parse gives no line: let the YAML parser (JSON is YAML) find it; else report JSON's own words.
      parseYaml(file, text, 'JSON');
      throw new ConfigError({ file, reason: `JSON syntax error: ${(err as Error).message}`, code: 'RBAC_POLICY_SYNTAX' });
    }
  }
  return parseYaml(file, text, 'YAML');
}

function parseYaml(file: string, text: string, syntax: 'YAML' | 'JSON'): unknown[] {
  // YAML 1.1, as kubectl's YAML reader (go-yaml v2) resolves scalars: `yes`, `on` are booleans, `0755` octal.
  // Timestamps stay strings, as they do once kube turns the YAML into JSON.
  // Repeated keys are found by repeatedKeys, not by the yaml package's quadratic unique-key check.
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.1',
    uniqueKeys: false,
    lineCounter: lines,
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, index) => {
    const error = doc.errors[0];
    const duplicate = error === undefined ? repeatedKeys(doc.contents).next().value?.range?.[0] : undefined;
    if (error === undefined && duplicate === undefined) return;
    const reason = error === undefined ? 'Map keys must be unique' : (error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message);
    const pos = error === undefined ? lines.linePos(duplicate!) : error.linePos?.[0];
    throw new ConfigError({
      file,
      line: pos?.line,
      reason: `document ${index}: ${syntax} syntax error: ${reason}${pos ? ` (column ${pos.col})` : ''}`,
      code: 'RBAC_POLICY_SYNTAX',
    });
  });
  return list.map((doc, index) => {
    if (doc.contents === null) return null;
    try {
      return doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (err) {
      // The yaml package throws a ReferenceError past maxAliasCount (a billion laughs); kubectl's go-yaml v2
      // refuses the same document in these words (decode.go, CVE-2019-11253).
      const reason = err instanceof ReferenceError && /alias/i.test(err.message) ? 'yaml: document contains excessive aliasing' : (err as Error).message;
      throw new ConfigError({ file, reason: `document ${index}: ${reason}`, code: 'RBAC_POLICY_SYNTAX' });
    }
  });
}

/** "Role dev/pod-reader" (namespace defaulted), "ClusterRole admin", or just the kind when there is no name. */
function describe(obj: Record<string, unknown>): string {
  const kind = typeof obj.kind === 'string' ? obj.kind : 'object';
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : '';
  if (name === '') return kind;
  if (!(RBAC_KINDS as readonly string[]).includes(kind) || !isNamespacedRbacKind(kind as RbacKind)) return `${kind} ${name}`;
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : DEFAULT_NAMESPACE;
  return `${kind} ${namespace}/${name}`;
}

function fieldErrorsText(errors: FieldError[]): string {
  return aggregateMessage(errors.map((e) => e.message));
}

/**
 * Checks one object and returns it as the server would store it: decoded strictly, namespaced kinds put in
 * "default" when they name no namespace, cluster-scoped kinds stripped of one, v1 defaults applied.
 */
function checkObject(file: string, where: string, value: unknown): RbacObject {
  if (!isRecord(value)) throw invalid(file, `${where}: not an object`);
  const kind = value.kind;
  const apiVersion = value.apiVersion;
  if (typeof kind !== 'string' || kind === '') throw invalid(file, `${where}: Object 'Kind' is missing`);
  if (typeof apiVersion !== 'string' || apiVersion === '') throw invalid(file, `${where}: Object 'apiVersion' is missing`);
  if (!(RBAC_KINDS as readonly string[]).includes(kind)) {
    throw invalid(
      file,
      `${where} (${describe(value)}): kind ${kind} (${apiVersion}) is not an RBAC kind: policy files hold Role, ClusterRole, RoleBinding and ClusterRoleBinding objects`,
    );
  }
  if (apiVersion !== RBAC_API_VERSION) {
    throw invalid(file, `${where} (${describe(value)}): no matches for kind "${kind}" in version "${apiVersion}"`);
  }
  const label = `${where} (${describe(value)})`;
  const decodeError = rbacDecodeError(value);
  if (decodeError !== undefined) throw invalid(file, `${label}: ${decodeError}`);

  const obj = structuredClone(value) as KubeObject;
  obj.metadata ??= {};
  const meta = obj.metadata;
  const metaErrors: FieldError[] = [];
  const name = meta.name ?? '';
  if (name === '') {
    metaErrors.push(fieldRequired('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of validatePathSegmentName(name, false)) metaErrors.push(fieldInvalid('metadata.name', name, msg));
  }
  if (isNamespacedRbacKind(kind as RbacKind)) {
    meta.namespace = meta.namespace || DEFAULT_NAMESPACE;
    for (const msg of isDNS1123Label(meta.namespace)) metaErrors.push(fieldInvalid('metadata.namespace', meta.namespace, msg));
  } else {
    delete meta.namespace;
  }
  const errors = [...metaErrors, ...validateRbacObject(obj)];
  if (errors.length > 0) throw invalid(file, `${label}: ${fieldErrorsText(errors)}`);
  const defaulted = applyRbacDefaults(obj);
  if (!isRbacObject(defaulted)) throw invalid(file, `${label}: not an RBAC object`);
  return defaulted;
}

/** The objects of one document: itself, or the items of a List. */
function documentObjects(file: string, index: number, doc: unknown): RbacObject[] {
  const where = `document ${index}`;
  if (isRecord(doc) && typeof doc.kind === 'string' && Object.hasOwn(LIST_KINDS, doc.kind)) {
    const listVersion = LIST_KINDS[doc.kind];
    if (doc.apiVersion !== listVersion) {
      throw invalid(file, `${where}: no matches for kind "${doc.kind}" in version "${String(doc.apiVersion ?? '')}"`);
    }
    if (doc.items !== null && doc.items !== undefined && !Array.isArray(doc.items)) {
      throw invalid(file, `${where} (${doc.kind}): items must be a list`);
    }
    const items = Array.isArray(doc.items) ? doc.items : [];
    return items.map((item, i) => {
      if (isRecord(item) && typeof item.kind === 'string' && Object.hasOwn(LIST_KINDS, item.kind)) {
        throw invalid(file, `${where}, item ${i}: a ${item.kind} inside a List is not supported`);
      }
      return checkObject(file, `${where}, item ${i}`, item);
    });
  }
  return [checkObject(file, where, doc)];
}

/** Runs one step of reading a file; whatever it throws comes out as a ConfigError naming the file (and document). */
function asConfigError<T>(file: string, index: number | undefined, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw invalid(file, index === undefined ? reason : `document ${index}: ${reason}`);
  }
}

/**
 * Reads RBAC policy files. Each path is a file, or a folder whose *.yaml, *.yml and *.json files are read in
 * name order (not recursively). A file holds YAML documents (or one JSON document), each an RBAC object or a
 * List of them; empty documents are skipped. Objects come back in file order, checked and defaulted as
 * kube-apiserver would store them; when two share kind, namespace and name the later one is meant to win,
 * as with `kubectl apply`. A file over MAX_POLICY_FILE_BYTES is refused unread. Throws a ConfigError naming
 * file, document (0-based), List item and field:
 * `roles.yaml: document 1 (Role dev/pod-reader): rules[0].verbs: Required value: verbs must contain at least one value`.
 */
export async function loadPolicyFiles(paths: string[], opts: { onFile?: (file: string) => void } = {}): Promise<PolicyFiles> {
  const files = await listFiles(paths);
  const objects: RbacObject[] = [];
  for (const file of files) {
    opts.onFile?.(file);
    const text = await readBounded(file);
    const docs = asConfigError(file, undefined, () => parseDocuments(file, text.replace(/^\uFEFF/, '')));
    docs.forEach((doc, index) => {
      if (doc === null || doc === undefined) return;
      appendAll(objects, asConfigError(file, index, () => documentObjects(file, index, doc)));
    });
  }
  return { objects, files };
}
