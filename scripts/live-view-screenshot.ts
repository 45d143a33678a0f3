// npm run docs:screenshot: writes docs/images/live-view.png, the live view (--ui) showing real kubectl traffic (the
// same three runs as test/e2e/live-view.test.ts) with the 403's RBAC explanation open. Run by hand after the page
// changes, look at the PNG, and commit it. Needs Debian's chromium (/usr/bin/chromium) and the newest kubectl.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/index.js';
import { openPage } from '../test/helpers/browser.js';
import { kubectlBinaries } from '../test/helpers/clients.js';
import { driveKubectl, writeTrafficPolicy } from '../test/helpers/live-view-traffic.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'images', 'live-view.png');

const dir = await mkdtemp(join(tmpdir(), 'kam-screenshot-'));
const server = await startServer({ port: 0, policyPaths: [await writeTrafficPolicy(dir)], ui: true });
const { context, page } = await openPage(dir, { width: 1500, height: 780 });
try {
  await page.goto(server.uiUrl!);
  await page.waitForSelector('body[data-ready="true"]');
  await driveKubectl(server, kubectlBinaries().at(-1)!.path, dir);
  const forbidden = page.locator('.req[data-user="nobody"][data-status="403"]').first();
  await forbidden.waitFor();
  await page.locator('.req[data-user="admin"]', { hasText: 'selfsubjectreviews' }).first().waitFor();
  await page.locator('.req[data-user="jane"]', { hasText: 'extension-apiserver-authentication' }).first().waitFor();
  await forbidden.locator('button.explain').click();
  await page.waitForSelector('#detail[data-state="loaded"]');
  // Keep the three requests the doc talks about in the picture: kubectl's discovery requests (/api, /apis, each
  // group's version), which it makes anew with an empty cache before each command, are hidden.
  await page.evaluate(() => {
    for (const card of Array.from(document.querySelectorAll<HTMLElement>('.req'))) {
      const uri = card.querySelector('.uri')?.textContent ?? '';
      if (!(uri.includes('selfsubjectreviews') || uri.includes('extension-apiserver-authentication') || card.dataset.status === '403')) card.style.display = 'none';
    }
  });
  await mkdir(dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  process.stdout.write(`wrote ${OUT}\n`);
} finally {
  await context.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
