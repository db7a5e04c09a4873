/**
 * Writes the review screen the README shows, at 1920×1080 (docs/review-screen.png) and at a laptop's
 * 1024×768 (docs/review-screen-1024.png): the service on a temporary data directory on loopback, and
 * through its UI a PDF that Chromium printed from the HTML sample with one digit changed (158 for 156),
 * so that two checks fail and an alternative is offered.
 * Run: node --import tsx scripts/screenshots.ts   (needs chromium)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureWebBuild, launchBrowser, repo, startUiServer } from '../test/support/browser.js';

const CHANGED = 'applications.newReceived.naturalPerson';
const SHOTS = [
  { size: { width: 1920, height: 1080 }, out: join(repo, 'docs/review-screen.png') },
  { size: { width: 1024, height: 768 }, out: join(repo, 'docs/review-screen-1024.png') },
];

const html = readFileSync(join(repo, 'samples/html/000_ac416d85e5af171b.html'), 'utf8');
const misread = html.replace(/(一、本年新收政府信息公开申请数量<\/td><td[^>]*>)156</, '$1158<');
if (misread === html) throw new Error('The sample no longer prints 156 where this script changes it.');

/** Waits until the review shows the page image with the changed cell current and its box scrolled to. */
async function reviewReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('#review-view')?.getAttribute('data-page-images') === 'true', undefined, { timeout: 30_000 });
  const current = await page.locator('td.v.current').getAttribute('data-key');
  if (current !== CHANGED) throw new Error(`The review opened at ${current}, not at the changed cell ${CHANGED}: the screenshot would not show it.`);
  await page.locator(`.page-canvas .box.current[data-key="${CHANGED}"]`).waitFor();
  // The page image scrolls to the cell's box after it appears.
  await page.waitForTimeout(200);
}

await ensureWebBuild();
const work = mkdtempSync(join(tmpdir(), 'xxgk-screenshots-'));
const server = await startUiServer();
try {
  let resultHash = '';
  for (const { size, out } of SHOTS) {
    const browser = await launchBrowser(size);
    try {
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      if (!resultHash) {
        const pdf = join(work, 'weidong-2019.pdf');
        const printer = await browser.context.newPage();
        await printer.setContent(misread);
        await printer.pdf({ path: pdf, format: 'A4', margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
        await printer.close();
        await page.goto(`${server.url}/#/`);
        await page.setInputFiles('#upload-input', pdf);
        await page.waitForURL(/#\/results\//, { timeout: 60_000 });
        resultHash = new URL(page.url()).hash;
      } else {
        await page.goto(`${server.url}/${resultHash}`);
      }
      await reviewReady(page);
      await page.screenshot({ path: out });
      console.log(`wrote ${out}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
