// kube-apiserver's --basic-auth-file, removed in 1.19 (kubernetes/kubernetes#89069) and kept here because
// kubectl still sends Basic credentials for a kubeconfig user with username and password.
// Sources (release-1.18): plugin/pkg/authenticator/password/passwordfile/passwordfile.go and
// plugin/pkg/authenticator/request/basicauth/basicauth.go in staging/src/k8s.io/apiserver.
import { timingSafeEqual } from 'node:crypto';
import { headerValue } from './headers.js';
import type { AuthnRequest, AuthnResult, RequestAuthenticator, UserInfo } from './types.js';
import { findInSources, parseStaticUsers, type UserSource } from './static-users.js';
import { openWarningFile, type FileReloadLog, type WatchedFile } from '../util/watched-file.js';

/** kube 1.18's basicauth error for a wrong user name or password. */
export const INVALID_BASIC_AUTH = 'invalid username/password combination';

/** The WWW-Authenticate header kube 1.18 sent with a 401 when basic auth was enabled. */
export const BASIC_AUTH_CHALLENGE = 'Basic realm="kubernetes-master"';

/** The users of a --basic-auth-file, by user name (the last line for a name wins, as in kube). */
export interface PasswordTable {
  users: Map<string, { password: Buffer; user: UserInfo }>;
  warnings: string[];
}

/** Parses a --basic-auth-file (`password,user,uid,"group1,group2"`); throws ConfigError with file:line. */
export function parsePasswordFile(text: string, file: string): PasswordTable {
  const parsed = parseStaticUsers(text, file, 'password');
  const users = new Map<string, { password: Buffer; user: UserInfo }>();
  const warnings = [...parsed.warnings];
  parsed.users.forEach((entry) => {
    if (users.has(entry.user.name)) {
      warnings.push(`duplicate username '${entry.user.name}' has been found in password file '${file}', record number '${entry.record}'`);
    }
    users.set(entry.user.name, { password: Buffer.from(entry.secret, 'utf8'), user: entry.user });
  });
  return { users, warnings };
}

/**
 * Go's Request.BasicAuth: "Basic " (any case), standard base64, a colon. Anything else is not basic
 * credentials at all, so such a request goes on to the other authenticators (and to anonymous), as in kube.
 */
export function basicCredentials(req: AuthnRequest): { username: string; password: string } | null {
  const auth = headerValue(req, 'authorization');
  const prefix = 'basic ';
  if (auth.length < prefix.length || auth.slice(0, prefix.length).toLowerCase() !== prefix) return null;
  const encoded = auth.slice(prefix.length);
  // Buffer.from(..., 'base64') is lenient; Go's StdEncoding is not: check the alphabet and padding first.
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(encoded)) return null;
  // Go splits the decoded bytes at the first ':' and keeps them as they are (UTF-8 names match UTF-8 files).
  const decoded = Buffer.from(encoded, 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return null;
  return { username: decoded.subarray(0, colon).toString('utf8'), password: decoded.subarray(colon + 1).toString('utf8') };
}

/** Checks a password in constant time for users that exist; unknown users and wrong passwords alike fail. */
export function checkPassword(table: PasswordTable, username: string, password: string): UserInfo | undefined {
  const entry = table.users.get(username);
  if (entry === undefined) return undefined;
  const given = Buffer.from(password, 'utf8');
  const same = given.length === entry.password.length && timingSafeEqual(given, entry.password);
  return same ? entry.user : undefined;
}

/** The basic-auth request authenticator over one or more password tables. */
export function basicAuthAuthenticator(sources: readonly UserSource<PasswordTable>[]): RequestAuthenticator {
  return {
    async authenticate(req: AuthnRequest): Promise<AuthnResult> {
      const creds = basicCredentials(req);
      if (creds === null) return null;
      const user = await findInSources(sources, (table) => checkPassword(table, creds.username, creds.password));
      return user === undefined ? { ok: false, reason: INVALID_BASIC_AUTH } : { ok: true, authenticator: 'basic-auth', user };
    },
  };
}

/** An empty password table, for passwords minted in memory. */
export function emptyPasswordTable(): PasswordTable {
  return { users: new Map(), warnings: [] };
}

/** Opens a --basic-auth-file, re-read when it changes; ConfigError with file:line when it is bad. */
export function openPasswordFile(path: string, log: FileReloadLog, opts: { watch?: boolean } = {}): Promise<WatchedFile<PasswordTable>> {
  return openWarningFile(path, parsePasswordFile, log, opts);
}
