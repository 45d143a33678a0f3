// The two CSV formats kube-apiserver reads for static users.
// Sources: staging/src/k8s.io/apiserver/pkg/authentication/token/tokenfile/tokenfile.go and
// (removed in 1.19, from 1.18) staging/src/k8s.io/apiserver/plugin/pkg/authenticator/password/passwordfile/passwordfile.go.
import { ConfigError } from '../util/errors.js';
import { parseCsvRecords } from './csv-records.js';
import type { UserInfo } from './types.js';

/** A user line of a token or password file: the secret, and who it stands for. */
export interface StaticUser {
  secret: string;
  user: UserInfo;
  line: number;
  /** kube's record number: 1-based, counting every record, skipped ones included. */
  record: number;
}

/** What a file held, plus the lines kube would warn about (empty or duplicate entries). */
export interface StaticUsersFile {
  users: StaticUser[];
  warnings: string[];
}

/**
 * Parses kube's `secret,user,uid,"group1,group2"` CSV. Rules as kube's: at least 3 columns (kube's own
 * message, plus our file:line), groups split on commas, extra columns ignored; token files skip empty
 * tokens, with a warning.
 */
export function parseStaticUsers(text: string, file: string, kind: 'token' | 'password'): StaticUsersFile {
  const users: StaticUser[] = [];
  const warnings: string[] = [];
  let recordNum = 0;
  for (const { line, fields } of parseCsvRecords(text, file)) {
    if (fields.length < 3) {
      throw new ConfigError({
        file,
        line,
        reason: `${kind} file '${file}' must have at least 3 columns (${kind}, user name, user uid), found ${fields.length}`,
        code: 'CSV_FIELDS',
      });
    }
    recordNum++;
    const [secret, name, uid] = fields as [string, string, string];
    if (kind === 'token' && secret === '') {
      warnings.push(`empty token has been found in token file '${file}', record number '${recordNum}'`);
      continue;
    }
    // strings.Split(record[3], ","): an empty fourth column is one empty group, as in kube.
    const groups = fields.length >= 4 ? fields[3]!.split(',') : [];
    users.push({ secret, line, record: recordNum, user: { name, uid, groups, extra: {} } });
  }
  return { users, warnings };
}

/** Quotes a CSV field only when it needs it, as Go's encoding/csv writer does. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value.startsWith(' ') ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One line of a token or password file for a user, ready to append. */
export function staticUserLine(secret: string, user: { name: string; uid: string; groups: readonly string[] }): string {
  const fields = [secret, user.name, user.uid];
  if (user.groups.length > 0) fields.push(user.groups.join(','));
  return `${fields.map(csvField).join(',')}\n`;
}

/** A table of users that may change: a watched file, or a table held in memory. */
export interface UserSource<T> {
  readonly current: T;
  /** Re-reads the source if it changed; true when it did. Absent for tables held in memory. */
  refreshIfChanged?(): Promise<boolean>;
}

/**
 * Looks a secret up in each source in turn; on a miss, sources that can change are re-read once and
 * asked again, so a token minted a moment ago works even before the file watcher has fired.
 */
export async function findInSources<T, U>(sources: readonly UserSource<T>[], find: (table: T) => U | undefined): Promise<U | undefined> {
  for (const source of sources) {
    const hit = find(source.current);
    if (hit !== undefined) return hit;
  }
  for (const source of sources) {
    if (source.refreshIfChanged && (await source.refreshIfChanged())) {
      const hit = find(source.current);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}
