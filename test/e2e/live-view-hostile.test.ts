// The live view (--ui) against hostile input, in a real browser (Debian's headless Chromium driven by playwright-core):
// a request path, a User-Agent, an Impersonate-User value and a client certificate's CN carrying markup, quotes, an
// SSE frame and bidi overrides. Nothing may execute (window.__pwned stays undefined, no dialog opens), every value is
// shown as the text it is, and an invisible character (a right-to-left override, a newline in a CN) is shown as an
// escape instead of silently reordering or splitting what follows it on the row. Also: a 403 that authorization did
// not cause (RBAC escalation prevention after an allow) is not offered as "why was it forbidden (RBAC)".
// Skipped only when /usr/bin/chromium is absent (CI installs it: .ci/run).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_SKIP, openPage } from '../helpers/browser.js';
import { credentialsOf, useServer } from '../helpers/server.js';

const skip = CHROMIUM_SKIP;

// jane may create RoleBindings in dev (and only that): binding cluster-admin is then refused by RBAC's escalation check
// (kube: pkg/registry/rbac/rolebinding/policybased/storage.go), a 403 from the API after authorization allowed it.
const JANE_BINDS_IN_DEV = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: binder, namespace: dev}
rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-binds, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: binder}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}]
`;

const dir = await mkdtemp(join(tmpdir(), 'kam-live-view-hostile-'));
after(() => rm(dir, { recursive: true, force: true }));
const server = useServer(async () => {
  await writeFile(join(dir, 'jane-binds.yaml'), JANE_BINDS_IN_DEV);
  return { policyPaths: [dir], ui: true };
});

const XSS = `"'><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
// A CN may hold anything a UTF8String holds: markup, a newline with an SSE frame after it, a right-to-left override.
const EVIL_CN = `mallory${XSS}\n\nevent: request\ndata: {"id":424242}\n\n\u202Esretsam:metsys`;

let context: BrowserContext | undefined;
let page: Page;
let pageErrors: string[] = [];
let dialogs: string[] = [];
before(async () => {
  if (skip) return;
  await server.ready();
  ({ context, page, pageErrors, dialogs } = await openPage(dir));
});
after(async () => {
  await context?.close();
});

/** One request with a raw target (no client-side escaping of < > " '), resolving with the status. */
function send(url: string, ca: string, path: string, headers: Record<string, string>, auth: { cert?: string; key?: string }, body?: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: u.hostname, port: u.port, method: body === undefined ? 'GET' : 'POST', path, ca, headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) }, ...auth }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('hostile paths, headers and certificate names are shown as text: nothing executes, invisible characters are visible', { skip }, async () => {
  const s = server();
  await page.goto(s.uiUrl!);
  await page.waitForSelector('body[data-ready="true"]');
  const evil = credentialsOf(await s.kubeconfig({ user: EVIL_CN, groups: ['dev'], auth: 'cert' }));
  const admin = credentialsOf(await s.kubeconfig({ user: 'root', groups: ['system:masters'], auth: 'cert' }));
  const status = await send(s.url, s.caCert, `/api/v1/namespaces/${XSS.replace(/ /g, '%20')}/pods?x=${XSS.replace(/ /g, '%20')}`, { 'User-Agent': `ua-${XSS}` }, { cert: evil.cert!, key: evil.key! });
  assert.equal(status, 403);
  await send(s.url, s.caCert, '/api/v1/namespaces', { 'User-Agent': 'impersonating', 'Impersonate-User': Buffer.from(`${XSS}\u202Eevil`, 'utf8').toString('latin1') }, { cert: admin.cert!, key: admin.key! });

  const row = page.locator('.req[data-status="403"]', { hasText: 'mallory' }).first();
  await row.waitFor();
  const text = await row.innerText();
  assert.ok(text.includes(`namespaces/${XSS.replace(/ /g, '%20')}/pods`), 'the path is shown as sent');
  assert.ok(text.includes('<script>window.__pwned=2</script>'), 'markup is text');
  // The right-to-left override and the newlines of the CN are shown as escapes, not acted on.
  assert.ok(text.includes('\\u202E'), `a bidi override is shown as an escape: ${text}`);
  assert.ok(!text.includes('\u202E'), 'no raw bidi override reaches the rendered row');
  assert.ok(text.includes('\\n\\nevent: request'), 'a newline in a CN is shown as an escape');
  const imp = page.locator('.req', { hasText: 'root acts as' }).first();
  await imp.waitFor();
  assert.ok(!(await imp.innerText()).includes('\u202E'));

  // A CN with a comma in it is shown whole on the credential, not cut at its escaped comma.
  const comma = credentialsOf(await s.kubeconfig({ user: 'carol,O=system:masters', auth: 'cert' }));
  await send(s.url, s.caCert, '/api', { 'User-Agent': 'comma' }, { cert: comma.cert!, key: comma.key! });
  const commaRow = page.locator('.req[data-user="carol,O=system:masters"]').first();
  await commaRow.waitFor();
  assert.match(await commaRow.innerText(), /client certificate carol\\,O=system:masters/);

  // No SSE frame was forged by the CN.
  assert.equal(await page.locator('.req[data-id="424242"]').count(), 0);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no injected script ran');
  assert.equal(await page.locator('#requests img, #requests script').count(), 0, 'no injected element exists');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(pageErrors, []);
});

test('a 403 after authorization allowed (RBAC escalation prevention) is not offered as an RBAC refusal', { skip }, async () => {
  const s = server();
  await page.goto(s.uiUrl!);
  await page.waitForSelector('body[data-ready="true"]');
  const jane = credentialsOf(await s.kubeconfig({ user: 'jane', auth: 'cert' }));
  const binding = JSON.stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'jane-admin', namespace: 'dev' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }],
  });
  const status = await send(s.url, s.caCert, '/apis/rbac.authorization.k8s.io/v1/namespaces/dev/rolebindings', { 'User-Agent': 'escalation' }, { cert: jane.cert!, key: jane.key! }, binding);
  assert.equal(status, 403);
  const row = page.locator('.req[data-status="403"][data-user="jane"]', { hasText: '/rolebindings' }).first();
  await row.waitFor();
  await row.locator('.allow').waitFor();
  assert.equal(await row.locator('button.explain').count(), 0, 'RBAC allowed this request: its explanation cannot say why it was refused');
  assert.match(await row.innerText(), /refused after authorization/);
  assert.match(await row.innerText(), /attempting to grant RBAC permissions not currently held/);
});
