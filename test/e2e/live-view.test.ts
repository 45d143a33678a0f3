// The live view (--ui) in a real browser: Debian's headless Chromium driven by playwright-core opens the page, real
// kubectl traffic arrives (an admin's whoami, a get RBAC allows, a list refused), the rows appear as the requests are
// answered (waited for by selector, never by time), and clicking a certificate and a 403 shows their explanations.
// Skipped only when /usr/bin/chromium is absent (CI installs it: .ci/run).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_SKIP, openPage } from '../helpers/browser.js';
import { kubectlBinaries } from '../helpers/clients.js';
import { driveKubectl, writeTrafficPolicy } from '../helpers/live-view-traffic.js';
import { useServer } from '../helpers/server.js';

const skip = CHROMIUM_SKIP;

const dir = await mkdtemp(join(tmpdir(), 'kam-live-view-e2e-'));
after(() => rm(dir, { recursive: true, force: true }));
const server = useServer(async () => ({ policyPaths: [await writeTrafficPolicy(dir)], ui: true }));

let context: BrowserContext | undefined;
let page: Page;
let pageErrors: string[] = [];
before(async () => {
  if (skip) return;
  await server.ready();
  ({ context, page, pageErrors } = await openPage(dir));
});
after(async () => {
  await context?.close();
});

test('the live view shows kubectl\'s requests as they happen and explains a certificate and a 403', { skip }, async () => {
  const s = server();
  await page.goto(s.uiUrl!);
  await page.waitForSelector('body[data-ready="true"]');
  const kubectl = kubectlBinaries().at(-1)!;
  await driveKubectl(s, kubectl.path, dir);

  // kubectl auth whoami as admin: a SelfSubjectReview, authenticated by its client certificate.
  const whoami = page.locator('.req[data-user="admin"]', { hasText: 'selfsubjectreviews' }).first();
  await whoami.waitFor();
  assert.match(await whoami.innerText(), /x509: admin/);
  assert.match(await whoami.innerText(), /TLSv1\.3/);

  // The get jane's RoleBinding allows: the binding, its role and the rule are on the row.
  const get = page.locator('.req[data-user="jane"]', { hasText: '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication' }).first();
  await get.waitFor();
  const getText = await get.innerText();
  assert.match(getText, /allowed by RoleBinding kube-system\/jane-reads-configmaps → Role configmap-reader/);
  assert.match(getText, /rule: verbs=\[get\] apiGroups=\[""\] resources=\[configmaps\]/);
  assert.match(getText, /bearer token sha256:[0-9a-f]{8}/);

  // The list refused to nobody: a 403 with kube's message.
  const forbidden = page.locator('.req[data-user="nobody"][data-status="403"]').first();
  await forbidden.waitFor();
  assert.match(await forbidden.innerText(), /secrets is forbidden: User "nobody" cannot list resource "secrets" in API group "" in the namespace "default"/);

  // Click the admin's client certificate: the explanation of that certificate.
  await whoami.locator('button.cert[data-index="0"]').click();
  await page.waitForSelector('#detail[data-state="loaded"][data-url*="index=0"]');
  const certText = await page.locator('#detail').innerText();
  assert.match(certText, /subject +CN=admin,O=system:masters/);
  assert.match(certText, /kube-apiserver +user "admin", groups \[system:masters\]/);

  // Click the 403: RBAC's step-by-step explanation for that request.
  await forbidden.locator('button.explain').click();
  await page.waitForSelector('#detail[data-state="loaded"][data-url^="/explain"]');
  const explainText = await page.locator('#detail').innerText();
  assert.match(explainText, /^User "nobody" \(groups \["system:authenticated"\]\) asks to list secrets in API group "" in the namespace "default"\./);
  assert.match(explainText, /Decision: RBAC has no rule that allows it/);
  assert.equal(await page.locator('#detail-title').innerText(), `Why request #${await forbidden.getAttribute('data-id')} was forbidden (RBAC, step by step)`);

  assert.deepEqual(pageErrors, [], 'the page script ran without errors');
  // No secret reached the page.
  const html = await page.content();
  for (const secret of [/client-key-data/, /BEGIN (RSA |EC )?PRIVATE KEY/]) assert.doesNotMatch(html, secret);
});
