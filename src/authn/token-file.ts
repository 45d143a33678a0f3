// Source: staging/src/k8s.io/apiserver/pkg/authentication/token/tokenfile/tokenfile.go.
import { SecretIndex } from './secret-index.js';
import { findInSources, parseStaticUsers, type UserSource } from './static-users.js';
import type { AuthnResult, TokenAuthenticator, UserInfo } from './types.js';
import { openWarningFile, type FileReloadLog, type WatchedFile } from '../util/watched-file.js';

/** The tokens of a --token-auth-file, indexed for constant-time lookup. */
export interface TokenTable {
  tokens: SecretIndex<UserInfo>;
  warnings: string[];
}

/** Parses a --token-auth-file (`token,user,uid,"group1,group2"`); throws ConfigError with file:line. */
export function parseTokenFile(text: string, file: string): TokenTable {
  const parsed = parseStaticUsers(text, file, 'token');
  const tokens = new SecretIndex<UserInfo>();
  const warnings = [...parsed.warnings];
  parsed.users.forEach((entry) => {
    if (!tokens.set(entry.secret, entry.user)) {
      warnings.push(`duplicate token has been found in token file '${file}', record number '${entry.record}'`);
    }
  });
  return { tokens, warnings };
}

/** kube's token file authenticator over one or more token tables: unknown tokens are "not mine", for the next authenticator. */
export function staticTokenAuthenticator(sources: readonly UserSource<TokenTable>[]): TokenAuthenticator {
  return {
    async authenticateToken(token: string): Promise<AuthnResult> {
      const user = await findInSources(sources, (table) => table.tokens.get(token));
      return user === undefined ? null : { ok: true, authenticator: 'token-file', user };
    },
  };
}

/** An empty token table, for tokens minted in memory. */
export function emptyTokenTable(): TokenTable {
  return { tokens: new SecretIndex<UserInfo>(), warnings: [] };
}

/** Opens a --token-auth-file, re-read when it changes; ConfigError with file:line when it is bad. */
export function openTokenFile(path: string, log: FileReloadLog, opts: { watch?: boolean } = {}): Promise<WatchedFile<TokenTable>> {
  return openWarningFile(path, parseTokenFile, log, opts);
}
