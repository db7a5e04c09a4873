/**
 * Writes docs/review-screen.png, the review screen the README shows, at 1920×1080: the service on a
 * temporary data directory on loopback, and through its UI a PDF that Chromium printed from the HTML
 * sample with one digit changed (158 for 156), so that two checks fail and an alternative is offered.
 * Run: node --import tsx scripts/screenshots.ts   (needs chromium)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWebBuild, launchBrowser, repo, startUiServer } from '../test/support/browser.js';

const CHANGED = 'applications.newReceived.naturalPerson';
const out = join(repo, 'docs/review-screen.png');

const html = readFileSync(join(repo, 'samples/html/000_ac416d85e5af171b.html'), 'utf8');
const misread = html.replace(/(一、本年新收政府信息公开申请数量<\/td><td[^>]*>)156</, '$1158<');
if (misread === html) throw new Error('The sample no longer prints 156 where this script changes it.');

await ensureWebBuild();
const work = mkdtempSync(join(tmpdir(), 'xxgk-screenshots-'));
const server = await startUiServer();
const browser = await launchBrowser({ width: 1920, height: 1080 });
try {
  const pdf = join(work, 'weidong-2019.pdf');
  const printer = await browser.context.newPage();
  await printer.setContent(misread);
  await printer.pdf({ path: pdf, format: 'A4', margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
  await printer.close();

  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(`${server.url}/#/`);
  await page.setInputFiles('#upload-input', pdf);
  await page.waitForURL(/#\/results\//, { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#review-view')?.getAttribute('data-page-images') === 'true', undefined, { timeout: 30_000 });
  const current = await page.locator('td.v.current').getAttribute('data-key');
  if (current !== CHANGED) throw new Error(`The review opened at ${current}, not at the changed cell ${CHANGED}: the screenshot would not show it.`);
  await page.locator(`.page-canvas .box.current[data-key="${CHANGED}"]`).waitFor();
  // The page image scrolls to the cell's box after it appears.
  await page.waitForTimeout(200);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
