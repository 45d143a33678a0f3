// The static users the authenticators read: the tables minted in memory (server.kubeconfig()) first, then the
// --token-auth-file and --basic-auth-file, re-read when they change.
import { emptyPasswordTable, openPasswordFile, type PasswordTable } from '../authn/password-file.js';
import type { UserSource } from '../authn/static-users.js';
import { emptyTokenTable, openTokenFile, type TokenTable } from '../authn/token-file.js';
import { clientCertOptions, type IdentityStore } from '../kubeconfig/mint.js';
import { issueClient } from '../pki/index.js';
import type { CompletedConfig } from './config.js';

/** The token and password sources, and where server.kubeconfig() records the identities it mints. */
export interface UserTables {
  tokenSources: UserSource<TokenTable>[];
  passwordSources: UserSource<PasswordTable>[];
  /** Mints into the in-memory tables (and the PKI for certificates): accepted at once, never written to the files. */
  minted: IdentityStore;
}

/** Opens the token file, then the password file (ConfigError with file:line when bad); their watchers go to `closers`. */
export async function openUserTables(config: CompletedConfig, closers: (() => void)[]): Promise<UserTables> {
  const mintedTokens = emptyTokenTable();
  const mintedPasswords = emptyPasswordTable();
  const tokenSources: UserSource<TokenTable>[] = [{ current: mintedTokens }];
  const passwordSources: UserSource<PasswordTable>[] = [{ current: mintedPasswords }];
  const watch = { watch: config.watchFiles };
  if (config.tokenFile) {
    const file = await openTokenFile(config.tokenFile, config.fileLog, watch);
    closers.push(() => file.close());
    tokenSources.push(file);
  }
  if (config.passwordFile) {
    const file = await openPasswordFile(config.passwordFile, config.fileLog, watch);
    closers.push(() => file.close());
    passwordSources.push(file);
  }
  const minted: IdentityStore = {
    issueClientCertificate: async (user) => issueClient(config.pki, clientCertOptions(user)),
    // One token per minted user, as in the files (kubeconfig/file-store.ts): minting a user again retires its old token.
    addToken: async (token, user) => {
      mintedTokens.tokens.deleteWhere((u) => u.name === user.name);
      mintedTokens.tokens.set(token, { name: user.name, uid: user.uid, groups: [...user.groups], extra: {} });
    },
    // Keyed by user name, as kube's password file was: a second mint replaces the password.
    addPassword: async (password, user) => {
      mintedPasswords.users.set(user.name, { password: Buffer.from(password, 'utf8'), user: { name: user.name, uid: user.uid, groups: [...user.groups], extra: {} } });
    },
  };
  return { tokenSources, passwordSources, minted };
}
