/**
 * The review screen says it in the form's words (issue #16), in headless Chromium against a real
 * service: a failing check is shown in Chinese as the form states it, with both sides' numbers, in the
 * check card and on the cell's card; the prose cross-check is there too and its cell is queued; a row
 * label carries its group, in the queue (whole, not cut off) and on the cell's card.
 * Run: node --import tsx --test test/ui-words.test.ts   (needs /usr/bin/chromium)
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CHROMIUM, ensureWebBuild, launchBrowser, repo, startUiServer, type BrowserSession, type UiServer } from './support/browser.js';

const NATURAL = 'applications.newReceived.naturalPerson';
const SECRET = 'applications.denied.stateSecret.naturalPerson';
const noChromium = !existsSync(CHROMIUM);

describe('review screen in the form\'s words', { skip: noChromium ? `${CHROMIUM} is not installed: the browser tests need it` : false, timeout: 120_000 }, () => {
  let server: UiServer;
  let browser: BrowserSession;
  let page: Page;
  let tmp: string;

  before(async () => {
    await ensureWebBuild();
    server = await startUiServer();
    browser = await launchBrowser({ width: 1280, height: 800 });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    tmp = mkdtempSync(join(tmpdir(), 'xxgk-ui-words-'));
    // Two digits changed: 158 where the report prints 156, and 1 where 1.属于国家秘密 prints 0 (a grouped row).
    const seed = readFileSync(join(repo, 'samples/seeds/000_ac416d85e5af171b.txt'), 'utf8');
    const changed = seed
      .replace('一、本年新收政府信息公开申请数量 | 156 |', '一、本年新收政府信息公开申请数量 | 158 |')
      .replace('(三)不予公开 | 1.属于国家秘密 | 0 |', '(三)不予公开 | 1.属于国家秘密 | 1 |');
    assert.equal((changed.match(/\| 158 \||1\.属于国家秘密 \| 1 \|/g) ?? []).length, 2, 'the seed still prints both values this test changes');
    const file = join(tmp, 'weidong-2019.txt');
    writeFileSync(file, changed);
    await page.goto(`${server.url}/`);
    await page.locator('#open-view').waitFor();
    await page.setInputFiles('#upload-input', file);
    await page.waitForURL(/#\/results\//, { timeout: 30_000 });
    await page.locator(`td.v[data-key="${NATURAL}"]`).waitFor();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const checkItem = (id: string) => page.locator(`#checks li[data-check="${id}"]`);

  test('a failing check is shown in Chinese as the form states it, with both sides\' numbers', async () => {
    const balance = checkItem('applications.balance.naturalPerson');
    assert.equal(await balance.locator('.check-id').innerText(), '✗ 自然人：一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量 = （七）总计 + 四、结转下年度继续办理');
    assert.equal(await balance.locator('.check-sides').innerText(), '左边 158 ≠ 右边 156');
    const total = checkItem('applications.total.naturalPerson');
    assert.equal(await total.locator('.check-id').innerText(), '✗ 自然人：（七）总计 = 三、本年度办理结果各项之和');
    assert.equal(await total.locator('.check-sides').innerText(), '左边 156 ≠ 右边 157');
    // No check in the card is named by its English identifier.
    const shown = await page.locator('#checks').innerText();
    assert.doesNotMatch(shown, /applications\.|reviewLitigation\.|newReceived|naturalPerson/);

    // The current cell's card states its failing checks in the same words.
    assert.equal(await page.locator('td.v.current').getAttribute('data-key'), NATURAL);
    const onCard = await page.locator('#cell-card .cell-checks').innerText();
    assert.match(onCard, /自然人：一、本年新收政府信息公开申请数量 \+ 二、上年结转政府信息公开申请数量 = （七）总计 \+ 四、结转下年度继续办理\s+左边 158 ≠ 右边 156/);
    assert.doesNotMatch(onCard, /applications\./);
  });

  test('the prose cross-check appears in the check card and its cell is in the queue', async () => {
    const prose = checkItem('prose.applications.newReceived.total');
    assert.equal(await prose.locator('.check-id').innerText(), '✗ 一、总体情况“收到依申请公开5起” = 表中 一、本年新收政府信息公开申请数量 × 总计');
    assert.equal(await prose.locator('.check-sides').innerText(), '左边 5 ≠ 右边 191');
    assert.equal(await page.locator('#queue li.q[data-key="applications.newReceived.total"]').count(), 1);
  });

  test('a row label carries its group, whole in the queue and on the cell\'s card', async () => {
    const entry = page.locator(`#queue li.q[data-key="${SECRET}"] .q-label`);
    assert.equal(await entry.innerText(), '（三）不予公开 › 1.属于国家秘密');
    // Not cut off: the whole label is laid out inside its box.
    const cut = await entry.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    assert.equal(cut, false, 'the queue entry shows its whole label');
    await page.locator(`#queue li.q[data-key="${SECRET}"]`).click();
    assert.equal(await page.locator('td.v.current').getAttribute('data-key'), SECRET);
    assert.equal(await page.locator('#cell-card .row-label').innerText(), '（三）不予公开 › 1.属于国家秘密');
    // Every queue entry reads differently: no two cells share row and column words.
    const labels = await page.locator('#queue li.q').evaluateAll((els) => els.map((e) => `${e.querySelector('.q-label')?.textContent} × ${e.querySelector('.q-col')?.textContent}`));
    assert.equal(new Set(labels).size, labels.length, labels.join(' | '));
  });
});
