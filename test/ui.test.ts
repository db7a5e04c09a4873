/**
 * The correction UI in headless Chromium against a real service: upload, review queue, keyboard
 * correction with live checks, save, reload with history, a stale save (409), the results list,
 * a read-only exported JSON with CSV/JSON export, page-image overlay (when the page route exists),
 * both screen widths, and no request to any host but 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { parseCsv } from './support/csv.js';
import { CELLS_COLUMNS } from '../src/output/cells.js';
import { CHROMIUM, ensureWebBuild, launchBrowser, repo, startUiServer, type BrowserSession, type UiServer } from './support/browser.js';

const NATURAL = 'applications.newReceived.naturalPerson';
const cell = (key: string) => `td.v[data-key="${key}"]`;
const noChromium = !existsSync(CHROMIUM);

describe('correction UI', { skip: noChromium ? `${CHROMIUM} is not installed: the browser tests need it` : false, timeout: 120_000 }, () => {
  let server: UiServer;
  let browser: BrowserSession;
  let page: Page;
  let tmp: string;
  let modified: string;
  let resultId = '';
  const sessions: BrowserSession[] = [];

  before(async () => {
    await ensureWebBuild();
    server = await startUiServer();
    browser = await launchBrowser();
    sessions.push(browser);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    // Leaving a result with unsaved edits asks first; these tests say yes unless a test says otherwise.
    page.on('dialog', (d) => void d.accept().catch(() => undefined));
    tmp = mkdtempSync(join(tmpdir(), 'xxgk-ui-files-'));
    // One digit changed, so that two checks fail: 158 where the report prints 156.
    const seed = readFileSync(join(repo, 'samples/seeds/000_ac416d85e5af171b.txt'), 'utf8');
    const changed = seed.replace('一、本年新收政府信息公开申请数量 | 156 |', '一、本年新收政府信息公开申请数量 | 158 |');
    assert.notEqual(changed, seed);
    modified = join(tmp, 'weidong-2019.txt');
    writeFileSync(modified, changed);
  });

  after(async () => {
    for (const s of sessions) await s.close().catch(() => undefined);
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const api = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    return { status: res.status, body: await res.json() };
  };
  const failingChecks = (p: Page) => p.locator('#check-status').getAttribute('data-failing');
  const currentKey = (p: Page) => p.locator('td.v.current').getAttribute('data-key');

  test('upload → review queue → keyboard correction with live checks → save → reload shows value and history', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('#open-view').waitFor();
    await page.setInputFiles('#upload-input', modified);
    await page.waitForURL(/#\/results\//, { timeout: 30_000 });
    resultId = decodeURIComponent(/#\/results\/([^/]+)/.exec(page.url())![1]);
    await page.locator(cell(NATURAL)).waitFor();
    await page.waitForFunction(() => document.querySelector('#review-view')?.getAttribute('data-page-images') !== null);

    // A text source has no page image: tables alone, with a note.
    assert.equal(await page.locator('#review-view').getAttribute('data-page-images'), 'false');
    assert.match(await page.locator('#no-image-note').innerText(), /没有页面图像/);

    // The forms: 表三 with its three-level header and row groups, 表四 as one line of 15 under three header rows.
    assert.equal(await page.locator('.form-applications thead tr').count(), 3);
    assert.ok(await page.locator('.form-applications th.group', { hasText: '三、本年度办理结果' }).count());
    assert.equal(await page.locator('.form-review thead tr').count(), 3);
    assert.equal(await page.locator('.form-review tbody td.v').count(), 15);
    assert.ok((await page.locator('.form-active').count()) >= 4, '表二 is laid out as its sub-tables');

    // The queue holds the flagged cells, in document order, starting at the misread one.
    assert.equal(await failingChecks(page), '2');
    const queued = await page.locator('#queue li.q').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
    for (const k of [NATURAL, 'applications.newReceived.total', 'applications.total.naturalPerson', 'applications.carriedForward.naturalPerson']) {
      assert.ok(queued.includes(k), `${k} is in the review queue: ${queued.join(', ')}`);
    }
    assert.equal(queued[0], NATURAL);
    assert.equal(await currentKey(page), NATURAL);
    assert.match(await page.locator(cell(NATURAL)).getAttribute('class') ?? '', /c-failed/);
    assert.match(await page.locator(cell('applications.newReceived.total')).getAttribute('class') ?? '', /peer/, 'the cells of its failing checks are highlighted together');
    assert.match(await page.locator('#cell-card .alt').first().innerText(), /156/, 'the alternative that makes the checks hold is offered');

    // Tab / Shift-Tab move through the queue; Esc cancels an edit.
    await page.keyboard.press('Tab');
    assert.equal(await currentKey(page), 'applications.newReceived.commercial');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await currentKey(page), NATURAL);
    await page.keyboard.type('9');
    assert.equal(await page.locator(`${cell(NATURAL)} input.cell-editor`).count(), 1);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(cell(NATURAL)).innerText(), '158');

    // Typing the number corrects it; the checks are recomputed in the page.
    await page.keyboard.type('156');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(cell(NATURAL)).innerText(), '156');
    assert.match(await page.locator(cell(NATURAL)).getAttribute('class') ?? '', /edited/);
    assert.equal(await failingChecks(page), '0');
    assert.match(await page.locator('#check-status').innerText(), /全部 \d+ 项成立/);
    assert.doesNotMatch(await page.locator(cell('applications.newReceived.total')).getAttribute('class') ?? '', /c-failed/);

    // Save (Ctrl+S); the history lists who, old and new.
    await page.keyboard.press('Control+s');
    await page.locator('#banner.ok').waitFor();
    const entry = page.locator(`#history li[data-key="${NATURAL}"]`);
    await entry.waitFor();
    assert.match(await entry.innerText(), /158\s*→\s*156/);
    const stored = await api(`/v1/results/${resultId}/corrections`);
    assert.equal(stored.body.version, 1);
    assert.ok(stored.body.corrections.some((c: { key: string; newValue: number }) => c.key === NATURAL && c.newValue === 156));

    // Reload: the corrected value, the live checks, and the history come back from the service.
    await page.reload();
    await page.locator(`#history li[data-key="${NATURAL}"]`).waitFor();
    assert.equal(await page.locator(cell(NATURAL)).innerText(), '156');
    assert.equal(await failingChecks(page), '0');
    assert.match(await page.locator(`#history li[data-key="${NATURAL}"]`).innerText(), /anonymous[\s\S]*158\s*→\s*156/);
    assert.match(await page.locator('#version-chip').innerText(), /第 1 版/);
  });

  test('a stale save in a second browser gives the conflict message and overwrites nothing', async () => {
    assert.ok(resultId, 'needs the result of the first test');
    const second = await launchBrowser();
    sessions.push(second);
    const other = second.context.pages()[0] ?? (await second.context.newPage());
    await other.goto(`${server.url}/#/results/${encodeURIComponent(resultId)}`);
    await other.locator(cell(NATURAL)).waitFor();
    assert.match(await other.locator('#version-chip').innerText(), /第 1 版/);

    // The first browser saves a change: version 2.
    await page.locator(cell('active.fees.change')).click();
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+s');
    await page.locator('#version-chip', { hasText: '第 2 版' }).waitFor();

    // The second, still on version 1, tries to save: 409, a clear message, nothing written.
    await other.locator(cell('active.penalty.decisions')).click();
    await other.keyboard.type('111');
    await other.keyboard.press('Enter');
    await other.keyboard.press('Control+s');
    const msg = other.locator('#banner[data-conflict="true"]');
    await msg.waitFor();
    const text = await msg.innerText();
    assert.match(text, /anonymous/);
    assert.match(text, /重新载入/);
    assert.match(text, /第 1 版[\s\S]*第 2 版/);
    const stored = await api(`/v1/results/${resultId}/corrections`);
    assert.equal(stored.body.version, 2);
    assert.ok(!stored.body.corrections.some((c: { key: string }) => c.key === 'active.penalty.decisions'), 'the stale save wrote nothing');
    assert.equal(await other.locator(cell('active.penalty.decisions')).innerText(), '111', 'the local edit is kept');

    // Reload keeping the edit, then the save goes through on top of version 2.
    await other.getByRole('button', { name: '重新载入并保留我的修改' }).click();
    await other.locator('#version-chip', { hasText: '第 2 版' }).waitFor();
    assert.equal(await other.locator(cell('active.penalty.decisions')).innerText(), '111');
    assert.equal(await other.locator(cell('active.fees.change')).innerText(), '2', 'the other save is there');
    await other.keyboard.press('Control+s');
    await other.locator('#version-chip', { hasText: '第 3 版' }).waitFor();
    assert.ok(second.requests.length > 0);
    assert.deepEqual(second.requests.filter((u) => !u.startsWith(`${server.url}/`) && !/^(data|blob):/.test(u)), []);
  });

  test('the results list is searchable and sortable by column', async () => {
    const seed1 = readFileSync(join(repo, 'samples/seeds/001_c47c3146309e273f.txt'));
    const res = await fetch(`${server.url}/v1/convert?filename=other.txt`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: seed1 });
    assert.equal(res.status, 200);
    const other = (await res.json()) as { report: { agency: string; year: number } };
    await page.goto(`${server.url}/#/`);
    const rows = page.locator('#result-list tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('#result-list tbody tr').length === 2);
    await page.locator('button.sort[data-col="year"]').click();
    const years = async () => (await page.locator('#result-list tbody tr td:nth-child(2)').allInnerTexts()).map(Number);
    const desc = await years();
    await page.locator('button.sort[data-col="year"]').click();
    const asc = await years();
    assert.deepEqual(asc, [...desc].reverse());
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
    await page.fill('#result-search', other.report.agency);
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), new RegExp(other.report.agency));
    await page.fill('#result-search', '');
    await page.locator(`#result-list a[href="#/results/${encodeURIComponent(resultId)}"]`).click();
    await page.locator(cell(NATURAL)).waitFor();
  });

  test('an exported result JSON opens read-only; corrections export as JSON and CSV', async () => {
    const report = (await api(`/v1/results/${resultId}`)).body;
    // As exported before the corrections: the printed 158.
    const original = structuredClone(report);
    const natural = original.tables.flatMap((t: { cells: { key: string }[] }) => t.cells).find((c: { key: string }) => c.key === NATURAL);
    Object.assign(natural, { value: 158, text: '158', state: 'number', confidence: 0.72 });
    const file = join(tmp, 'batch-export.txt.json');
    writeFileSync(file, JSON.stringify(original));
    await page.goto(`${server.url}/#/`);
    await page.setInputFiles('#json-input', file);
    await page.locator(cell(NATURAL)).waitFor();
    assert.match(await page.locator('#doc-info').innerText(), /只读/);
    assert.equal(await page.locator('#btn-save').isDisabled(), true);
    assert.equal(await failingChecks(page), '2');
    // Alt+1 takes the first alternative? This file's cell has none: correct it by typing.
    await page.locator(cell(NATURAL)).click();
    await page.keyboard.type('156');
    await page.keyboard.press('Enter');
    assert.equal(await failingChecks(page), '0');

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#btn-csv').click()]);
    const csvText = readFileSync((await csvDownload.path())!, 'utf8');
    // The dataset's CSV writer (a BOM first, so Excel reads the Chinese labels as UTF-8) with the columns of the batch's cells.csv.
    assert.ok(csvText.startsWith('\uFEFF'));
    const [header, ...rows] = parseCsv(csvText);
    assert.deepEqual(header, CELLS_COLUMNS);
    const line = Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[header.indexOf('key')] === NATURAL)![i]]));
    assert.deepEqual([line.value, line.state, line.confidence, line.source], ['156', 'number', '1', 'manual']);
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#btn-json').click()]);
    const exported = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8'));
    assert.equal(exported.model, 'xxgk/report@1');
    assert.equal(exported.summary.checksFailed, 0);
    assert.equal(exported.tables.flatMap((t: { cells: { key: string }[] }) => t.cells).find((c: { key: string }) => c.key === NATURAL).value, 156);
  });

  test('alternatives by Alt+digit, and arrow keys', async () => {
    // The same bytes again, converted afresh (refresh=true): the misread cell with its alternative, no corrections.
    const res = await fetch(`${server.url}/v1/convert?filename=again.txt&refresh=true`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: readFileSync(modified) });
    const report = await res.json();
    await page.goto(`${server.url}/#/results/${encodeURIComponent(report.id)}`);
    await page.locator(cell(NATURAL)).waitFor();
    await page.locator(cell(NATURAL)).click();
    const alt = report.tables.flatMap((t: { cells: { key: string; alternatives: { value: number }[] }[] }) => t.cells).find((c: { key: string }) => c.key === NATURAL).alternatives[0];
    assert.ok(alt, 'the converter offers an alternative for the changed cell');
    await page.keyboard.press('Alt+1');
    assert.equal(await page.locator(cell(NATURAL)).innerText(), String(alt.value));
    assert.equal(await failingChecks(page), '0');
    // Leaving with the edit unsaved asks first; saying no keeps the page and the edit.
    page.removeAllListeners('dialog');
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => { resolve(d.message()); void d.dismiss(); }));
    await page.evaluate(() => { location.hash = '#/'; });
    assert.match(await asked, /未保存/);
    assert.equal(await page.locator('#review-view').isVisible(), true);
    assert.equal(await page.locator(cell(NATURAL)).innerText(), String(alt.value));
    page.on('dialog', (d) => void d.accept().catch(() => undefined));
    await page.keyboard.press('ArrowRight');
    assert.equal(await currentKey(page), 'applications.newReceived.commercial');
    await page.keyboard.press('ArrowDown');
    assert.equal(await currentKey(page), 'applications.carriedOver.commercial');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await currentKey(page), 'applications.carriedOver.naturalPerson');
  });

  test('with API keys: the key field is used for every call and names the corrector', async () => {
    const keyed = await startUiServer({ XXGK_API_KEYS: 'alice:k-alice-1' });
    try {
      const auth = { Authorization: 'Bearer k-alice-1' };
      const res = await fetch(`${keyed.url}/v1/convert?filename=keyed.txt`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body: readFileSync(modified) });
      const report = await res.json();
      await page.goto(`${keyed.url}/#/`);
      await page.locator('#result-list .error-text').waitFor();
      assert.match(await page.locator('#result-list').innerText(), /API 密钥/);
      await page.fill('#api-key', 'k-alice-1');
      await page.press('#api-key', 'Enter');
      await page.locator(`#result-list a[href="#/results/${encodeURIComponent(report.id)}"]`).click();
      await page.locator(cell(NATURAL)).waitFor();
      await page.keyboard.press('Alt+1');
      await page.keyboard.press('Control+s');
      const entry = page.locator(`#history li[data-key="${NATURAL}"]`);
      await entry.waitFor();
      assert.match(await entry.innerText(), /alice/);
      assert.equal(await page.evaluate(() => localStorage.getItem('xxgk.apiKey')), 'k-alice-1');
      await page.fill('#api-key', '');
      await page.press('#api-key', 'Enter');
    } finally {
      await keyed.close();
    }
  });

  test('the layout fits 1280 and 1920 px widths', async () => {
    for (const size of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size);
      await page.goto(`${server.url}/#/results/${encodeURIComponent(resultId)}`);
      await page.locator(cell(NATURAL)).waitFor();
      const fit = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
        side: document.querySelector('#side')!.getBoundingClientRect().right <= window.innerWidth,
        font: getComputedStyle(document.body).fontFamily,
      }));
      assert.ok(fit.doc && fit.side, `${size.width}px: nothing overflows the window`);
      assert.match(fit.font, /Noto Sans CJK SC/);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('page images: PDF upload, every cell outlined at its evidence box', async () => {
    const dir = join(repo, 'samples/pdf');
    const sample = readdirSync(dir).sort().find((f) => f.endsWith('.chrome.pdf') || f.endsWith('.pdf'));
    assert.ok(sample, 'a PDF sample in samples/pdf');
    await page.goto(`${server.url}/#/`);
    await page.setInputFiles('#upload-input', join(dir, sample));
    await page.waitForURL(/#\/results\//, { timeout: 60_000 });
    const id = decodeURIComponent(/#\/results\/([^/]+)/.exec(page.url())![1]);
    const probe = await fetch(`${server.url}/v1/results/${id}/pages/1.png`);
    assert.equal(probe.status, 200, 'GET /v1/results/{id}/pages/{n}.png answers');
    assert.ok(Number(probe.headers.get('x-page-scale')) > 0, 'X-Page-Scale is sent');
    await page.waitForFunction(() => document.querySelector('#review-view')?.getAttribute('data-page-images') === 'true', undefined, { timeout: 30_000 });
    const report = (await api(`/v1/results/${id}`)).body;
    const withBox = report.tables.flatMap((tb: { cells: { key: string; evidence: { bbox: unknown } }[] }) => tb.cells).filter((c: { evidence: { bbox: unknown } }) => c.evidence.bbox);
    assert.ok(withBox.length > 0, 'the PDF result has cell boxes');
    assert.ok((await page.locator('.page-canvas .box').count()) > 0);

    // Selecting a cell shows its page and scrolls (and zooms) its box into view, highlighted on both sides.
    const target = 'applications.total.naturalPerson';
    const targetPage = withBox.find((c: { key: string }) => c.key === target)?.evidence.page ?? withBox[0].evidence.page;
    const key = withBox.find((c: { key: string }) => c.key === target) ? target : (withBox[0].key as string);
    await page.locator(cell(key)).click();
    const box = page.locator(`.page-canvas .box.current[data-key="${key}"]`);
    await box.waitFor();
    assert.match(await page.locator('.page-no').innerText(), new RegExp(`^${targetPage} /`));
    await page.waitForTimeout(100);
    const geometry = await box.evaluate((b) => {
      const r = b.getBoundingClientRect();
      const s = b.closest('.page-scroll')!.getBoundingClientRect();
      return { inView: r.left >= s.left - 1 && r.right <= s.right + 1 && r.top >= s.top - 1 && r.bottom <= s.bottom + 1, w: r.width, h: r.height };
    });
    assert.ok(geometry.inView && geometry.w > 10 && geometry.h > 10, `the current cell is outlined in view: ${JSON.stringify(geometry)}`);
  });

  test('no request left 127.0.0.1', () => {
    const all = sessions.flatMap((s) => s.requests);
    assert.ok(all.length > 10);
    const outside = all.filter((u) => !/^(data|blob):/.test(u) && new URL(u).hostname !== '127.0.0.1');
    assert.deepEqual(outside, []);
  });
});
