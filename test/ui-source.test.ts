/**
 * Sources without a page image (HTML, text) show, where the page would be, the printed table around the
 * current cell: its row label and values as the document has them, the cell's own marked, at 1024×768
 * and at 1920×1080. It follows the queue, keeps the printed value while the reviewer edits, and a
 * printed value picks its cell.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../src/model/report.js';
import { onScreen } from './support/on-screen.js';
import { CHROMIUM, ensureWebBuild, launchBrowser, repo, startUiServer, type BrowserSession, type UiServer } from './support/browser.js';

const noChromium = !existsSync(CHROMIUM);
const NATURAL = 'applications.newReceived.naturalPerson';
const LABEL = '一、本年新收政府信息公开申请数量';

const html = readFileSync(join(repo, 'samples/html/000_ac416d85e5af171b.html'), 'utf8').replace(/(一、本年新收政府信息公开申请数量<\/td><td[^>]*>)156</, '$1158<');
const seed = readFileSync(join(repo, 'samples/seeds/000_ac416d85e5af171b.txt'), 'utf8');
const text = seed.replace(`${LABEL} | 156 |`, `${LABEL} | 158 |`);
// 表三 without its 二、上年结转 row: the service warns that the row was not found.
const rowless = seed.replace(/^二、上年结转政府信息公开申请数量 \|.*\n/m, '');

describe('the source text in place of the page', { skip: noChromium ? `${CHROMIUM} is not installed: the browser tests need it` : false, timeout: 180_000 }, () => {
  let server: UiServer;
  const sessions: BrowserSession[] = [];
  const ids: Record<string, string> = {};

  before(async () => {
    await ensureWebBuild();
    server = await startUiServer();
    assert.notEqual(rowless, seed);
    for (const [name, body] of [['weidong.html', html], ['weidong.txt', text], ['rowless.txt', rowless]]) {
      const res = await fetch(`${server.url}/v1/convert?filename=${name}`, { method: 'POST', body });
      assert.equal(res.status, 200);
      ids[name] = ((await res.json()) as Report).id;
    }
  });

  after(async () => {
    for (const s of sessions) await s.close().catch(() => undefined);
    await server?.close();
  });

  for (const size of [{ width: 1024, height: 768 }, { width: 1920, height: 1080 }]) {
    test(`${size.width}×${size.height}: HTML and text show the printed row around the current cell`, async () => {
      const session = await launchBrowser(size);
      sessions.push(session);
      const page = session.context.pages()[0] ?? (await session.context.newPage());
      await page.setViewportSize(size);
      const current = page.locator('#source-pane .src.current');
      const thisRowLabel = page.locator('#source-pane .src.rowHeader.this-row');

      await page.goto(`${server.url}/#/results/${ids['weidong.html']}`);
      await page.locator(`td.v.current[data-key="${NATURAL}"]`).waitFor();
      await onScreen(page, page.locator('#source-pane'), 'the source pane');
      await onScreen(page, current, 'the printed cell');
      assert.equal(await current.innerText(), '158');
      assert.equal(await thisRowLabel.first().innerText(), LABEL);
      await onScreen(page, thisRowLabel.first(), 'the printed row label');
      assert.match(await page.locator('#source-pane .source-col').innerText(), /申请人情况 › 自然人/);
      assert.match(await page.locator('#no-image-note').innerText(), /没有页面图像.*原文/);

      // It follows the queue: the next queued cell is 商业企业 of the same printed row.
      await page.keyboard.press('Tab');
      await page.locator('td.v.current[data-key="applications.newReceived.commercial"]').waitFor();
      await page.waitForFunction(() => /商业企业/.test(document.querySelector('#source-pane .source-col')?.textContent ?? ''));
      assert.match(await page.locator('#source-pane .source-col').innerText(), /申请人情况 › 法人或其他组织 › 商业企业/);
      assert.equal(await current.innerText(), '0');

      // The source keeps what the document prints while the reviewer edits the value.
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.type('156');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Tab');
      await page.locator(`td.v.current[data-key="${NATURAL}"]`).waitFor();
      assert.equal(await page.locator(`td.v[data-key="${NATURAL}"]`).innerText(), '156');
      assert.equal(await current.innerText(), '158', 'the printed value, as it stood');

      // A printed value picks the cell it was read into.
      await page.locator('#source-pane .src[data-key="applications.newReceived.total"]').click();
      await page.locator('td.v.current[data-key="applications.newReceived.total"]').waitFor();
      assert.equal(await current.innerText(), '191');

      // A text source: the row as printed between the bars (leaving the unsaved edit).
      page.once('dialog', (d) => void d.accept());
      await page.goto(`${server.url}/#/results/${ids['weidong.txt']}`);
      await page.locator(`td.v.current[data-key="${NATURAL}"]`).waitFor();
      await onScreen(page, current, 'the printed cell of the text source');
      assert.equal(await current.innerText(), '158');
      assert.equal(await thisRowLabel.first().innerText(), LABEL);
    });
  }

  test('1024×768: the service\'s warnings are in the checks card, in the reviewer\'s words', async () => {
    const report = (await (await fetch(`${server.url}/v1/results/${ids['rowless.txt']}`)).json()) as Report;
    const warning = report.warnings.find((w) => w.code === 'ROW_NOT_FOUND');
    assert.ok(warning, `the service warns: ${JSON.stringify(report.warnings)}`);
    const session = await launchBrowser({ width: 1024, height: 768 });
    sessions.push(session);
    const page = session.context.pages()[0] ?? (await session.context.newPage());
    await page.goto(`${server.url}/#/results/${ids['rowless.txt']}`);
    const item = page.locator('#checks li.warning[data-warning="ROW_NOT_FOUND"]');
    await item.scrollIntoViewIfNeeded();
    await onScreen(page, item, 'the warning in the checks card');
    const shown = await item.innerText();
    assert.match(shown, /表中有一行没有找到/);
    assert.ok(shown.includes(warning.message), `with the service's message: ${shown}`);
    assert.match(shown, /二、上年结转政府信息公开申请数量/);
  });
});
