/**
 * The page image stays in view at a laptop's 1024×768 and at 1920×1080: after a PDF upload it opens at
 * fit-to-width, and the current cell's box is on screen (inside the window and inside the visible part
 * of the page image) as the reviewer moves through the queue with Tab, also after zooming and panning by
 * keyboard and wheel.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CHROMIUM, ensureWebBuild, launchBrowser, repo, startUiServer, type BrowserSession, type UiServer } from './support/browser.js';

const SAMPLE = join(repo, 'samples/pdf/000_ac416d85e5af171b.chrome.pdf');
const noChromium = !existsSync(CHROMIUM);

interface Seen {
  key: string | null;
  box: { left: number; top: number; right: number; bottom: number } | null;
  image: { left: number; top: number; right: number; bottom: number } | null;
  window: { width: number; height: number };
  fitGap: number;
}

/** Where the current cell's box and the visible part of the page image are on screen. */
const seen = (page: Page): Promise<Seen> =>
  page.evaluate(() => {
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    const key = document.querySelector<HTMLElement>('td.v.current')?.dataset.key ?? null;
    const box = key ? document.querySelector(`.page-canvas .box.current[data-key="${key}"]`) : null;
    const img = document.querySelector('.page-canvas img');
    const scroll = document.querySelector<HTMLElement>('.page-scroll');
    let image = null;
    if (img && scroll) {
      // The visible part of the image: its rect clipped by its scroller's.
      const a = img.getBoundingClientRect();
      const s = scroll.getBoundingClientRect();
      image = { left: Math.max(a.left, s.left), top: Math.max(a.top, s.top), right: Math.min(a.right, s.right), bottom: Math.min(a.bottom, s.bottom) };
    }
    const canvas = document.querySelector<HTMLElement>('.page-canvas');
    // Fit-to-width: the page is as wide as its pane's content box (the scroller's width less its padding).
    const fitGap = canvas && scroll ? Math.abs(scroll.clientWidth - 24 - canvas.getBoundingClientRect().width) : Infinity;
    const r = box?.getBoundingClientRect();
    return { key, box: r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null, image, window: { width: innerWidth, height: innerHeight }, fitGap };
  });

/** Waits until the current cell's box has stopped moving (the scroll to it is done), then asserts it is on screen. */
async function assertBoxInView(page: Page, what: string): Promise<string> {
  await page.waitForFunction(() => {
    const key = document.querySelector<HTMLElement>('td.v.current')?.dataset.key;
    return !!key && !!document.querySelector(`.page-canvas .box.current[data-key="${key}"]`);
  }, undefined, { timeout: 10_000 });
  let s = await seen(page);
  for (let i = 0; i < 20; i++) {
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const next = await seen(page);
    const same = JSON.stringify(next) === JSON.stringify(s);
    s = next;
    if (same) break;
  }
  const { box, image, window: w } = s;
  assert.ok(box && image, `${what}: the current cell ${s.key} has a box and the page image shows: ${JSON.stringify(s)}`);
  assert.ok(box.right - box.left > 4 && box.bottom - box.top > 4, `${what}: the box is big enough to see: ${JSON.stringify(box)}`);
  assert.ok(box.left >= 0 && box.top >= 0 && box.right <= w.width && box.bottom <= w.height, `${what}: the box is inside the ${w.width}×${w.height} window: ${JSON.stringify(box)}`);
  assert.ok(image.right - image.left > 100 && image.bottom - image.top > 100, `${what}: the page image is visibly on screen: ${JSON.stringify(image)}`);
  const inImage = box.left >= image.left - 1 && box.right <= image.right + 1 && box.top >= image.top - 1 && box.bottom <= image.bottom + 1;
  assert.ok(inImage, `${what}: the box is inside the visible page image: box ${JSON.stringify(box)}, image ${JSON.stringify(image)}`);
  return s.key!;
}

describe('the page image at every width', { skip: noChromium ? `${CHROMIUM} is not installed: the browser tests need it` : false, timeout: 180_000 }, () => {
  let server: UiServer;
  const sessions: BrowserSession[] = [];
  let resultId = '';

  before(async () => {
    await ensureWebBuild();
    server = await startUiServer();
  });

  after(async () => {
    for (const s of sessions) await s.close().catch(() => undefined);
    await server?.close();
  });

  for (const size of [{ width: 1024, height: 768 }, { width: 1920, height: 1080 }]) {
    test(`${size.width}×${size.height}: the page opens at fit-to-width and the current cell's box stays in view through the queue`, async () => {
      const session = await launchBrowser(size);
      sessions.push(session);
      const page = session.context.pages()[0] ?? (await session.context.newPage());
      await page.setViewportSize(size);
      await page.goto(`${server.url}/`);
      // Every cell under full confidence is queued, so that Tab has several cells to move through.
      await page.evaluate(() => localStorage.setItem('xxgk.reviewThreshold', '1'));
      await page.reload();
      await page.locator('#open-view').waitFor();
      if (!resultId) {
        await page.setInputFiles('#upload-input', SAMPLE);
        await page.waitForURL(/#\/results\//, { timeout: 90_000 });
        resultId = decodeURIComponent(/#\/results\/([^/]+)/.exec(page.url())![1]);
      } else {
        await page.goto(`${server.url}/#/results/${encodeURIComponent(resultId)}`);
      }
      await page.waitForFunction(() => document.querySelector('#review-view')?.getAttribute('data-page-images') === 'true', undefined, { timeout: 30_000 });

      const first = await assertBoxInView(page, `${size.width}px, opened`);
      const opened = await seen(page);
      assert.ok(opened.fitGap <= 2, `${size.width}px: the page opens at fit-to-width (the page is ${opened.fitGap}px off the pane's width)`);

      const queued = await page.locator('#queue li.q').count();
      assert.ok(queued >= 4, `the queue has cells to move through: ${queued}`);
      const keys = [first];
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press('Tab');
        keys.push(await assertBoxInView(page, `${size.width}px, after Tab ${i + 1}`));
      }
      assert.equal(new Set(keys).size, keys.length, `Tab moved to another cell each time: ${keys.join(', ')}`);

      // Zoom and pan by keyboard and wheel; the current cell is followed at the zoom chosen, and \\ fits the width again.
      const zoom = () => page.evaluate(() => document.querySelector<HTMLElement>('.page-canvas')!.getBoundingClientRect().width);
      const scrolled = () => page.evaluate(() => document.querySelector<HTMLElement>('.page-scroll')!.scrollTop);
      const fitted = await zoom();
      await page.keyboard.press(']');
      const larger = await zoom();
      assert.ok(Math.abs(larger / fitted - 1.25) < 0.01, `] zooms in by 1.25: ${fitted} → ${larger}`);
      // Shift+arrows pan: down, or up when the view is already at the page's foot.
      const atFoot = await page.evaluate(() => {
        const el = document.querySelector<HTMLElement>('.page-scroll')!;
        return el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      });
      const top = await scrolled();
      await page.keyboard.press(atFoot ? 'Shift+ArrowUp' : 'Shift+ArrowDown');
      await page.waitForFunction(([t, up]) => {
        const now = document.querySelector<HTMLElement>('.page-scroll')!.scrollTop;
        return up ? now < t : now > t;
      }, [top, atFoot] as const);
      const scroller = (await page.locator('.page-scroll').boundingBox())!;
      await page.mouse.move(scroller.x + scroller.width / 2, scroller.y + scroller.height / 2);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, 100);
      await page.keyboard.up('Control');
      await page.waitForFunction((w) => Math.abs(document.querySelector<HTMLElement>('.page-canvas')!.getBoundingClientRect().width - w) < 1, fitted);
      await page.keyboard.press('[');
      assert.ok((await zoom()) < fitted - 1, '[ zooms out');
      await page.keyboard.press('Tab');
      await assertBoxInView(page, `${size.width}px, after zooming and Tab`);
      await page.keyboard.press('\\');
      await assertBoxInView(page, `${size.width}px, fitted again`);
      assert.ok((await seen(page)).fitGap <= 2, '\\ fits the page to the width again');
    });
  }
});
