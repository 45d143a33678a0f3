// `kube-auth-mock serve --ui`: the ready line names the live view, the human text prints it, the page answers; a bad
// --ui-port is one line naming the flag.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { serve, type ServeProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/clients.js';

const tmp = await tempDir('kam-live-view-cli-');
after(() => tmp.remove());

/** Resolves once the child has printed a stdout line that matches. */
function stdoutLine(server: ServeProcess, match: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const line = server.stdoutLines().find((l) => match.test(l));
      if (line === undefined) return false;
      server.child.stdout!.off('data', check);
      resolve(line);
      return true;
    };
    if (!check()) server.child.stdout!.on('data', check);
  });
}

test('serve --ui: the ready line has uiUrl, the text says "live view: URL", and the page answers', async () => {
  const server = await serve('--pki-dir', `${tmp.dir}/pki`, '--ui');
  try {
    const { uiUrl } = server.ready;
    assert.match(uiUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(await stdoutLine(server, /^live view: /), `live view: ${uiUrl}`);
    const res = await fetch(`${uiUrl}requests`);
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(await res.json()));
  } finally {
    await server.stop();
  }
});

test('serve without --ui has no live view', async () => {
  const server = await serve('--pki-dir', `${tmp.dir}/pki`);
  try {
    assert.equal(server.ready.uiUrl, undefined);
  } finally {
    await server.stop();
  }
});

test('serve --ui-port with a bad port: one line naming the flag', async () => {
  await assert.rejects(serve('--pki-dir', `${tmp.dir}/pki`, '--ui-port', 'eighty'), (err: unknown) => {
    const e = err as { exitCode?: number; stderr?: string };
    assert.equal(e.exitCode, 1);
    assert.equal((e.stderr ?? '').trim(), 'kube-auth-mock serve: --ui-port: "eighty" is not a port number (0 to 65535)');
    return true;
  });
});
