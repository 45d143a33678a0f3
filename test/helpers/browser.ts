// Debian's headless Chromium driven by playwright-core, for the live view's browser tests and its screenshot: the
// flags the machine needs (no background networking, which its closed network refuses) and a new, empty profile.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** A test's skip reason when Chromium is not installed (CI installs it: .ci/run), else false. */
export const CHROMIUM_SKIP: string | false = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent: install Debian's chromium to run the live view's browser tests`;

/** A page in a new browser with an empty profile under `dir`, recording script errors and dialogs (dismissed). */
export async function openPage(dir: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; pageErrors: string[]; dialogs: string[] }> {
  const context = await chromium.launchPersistentContext(await mkdtemp(join(dir, 'profile-')), {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    headless: true,
    ...(viewport ? { viewport, deviceScaleFactor: 1 } : {}),
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { context, page, pageErrors, dialogs };
}
