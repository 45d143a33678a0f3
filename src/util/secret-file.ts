// Files that hold a credential (a key, a token, a kubeconfig with either) are written 0600, also when the file
// already existed with a wider mode (writeFile's mode applies only to a file it creates).
import { chmod, writeFile } from 'node:fs/promises';

export async function writeSecretFile(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}
