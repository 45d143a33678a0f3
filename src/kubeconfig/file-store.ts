import { appendFile, chmod, readFile } from 'node:fs/promises';
import { staticUserLine } from '../authn/static-users.js';
import { issueClient, type Pki } from '../pki/index.js';
import { clientCertOptions, type IdentityStore } from './mint.js';

/** Appends a line to a token or password file, creating it 0600 (it holds secrets) and keeping it newline-terminated. */
export async function appendSecretLine(file: string, line: string): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const prefix = existing !== '' && !existing.endsWith('\n') ? '\n' : '';
  await appendFile(file, prefix + line, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** An identity store over files: the PKI's CA, and the token and password files the server watches. */
export function fileIdentityStore(pki: Pki, files: { tokenFile: string; passwordFile: string }): IdentityStore {
  return {
    issueClientCertificate: async (user) => issueClient(pki, clientCertOptions(user)),
    addToken: (token, user) => appendSecretLine(files.tokenFile, staticUserLine(token, user)),
    addPassword: (password, user) => appendSecretLine(files.passwordFile, staticUserLine(password, user)),
  };
}
