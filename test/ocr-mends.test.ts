/** Mends after review of the OCR/PDF page path: each test builds its input here. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderPdfPage } from '../src/extract/pdf/render.js';
import { docWithPages, text } from './support/pdf.js';

describe('page images for review', () => {
  test('renderPdfPage gives the page as drawn: a red block stays dark, not dropped as seal ink', async () => {
    const pdf = docWithPages(['1 0 0 rg 100 500 200 200 re f\n']);
    const r = await renderPdfPage(pdf, 1, 72);
    const { data, width } = r.image;
    // The block's middle: (200, 842 - 600) in points = pixels at 72 dpi.
    const v = data[242 * width + 200];
    assert.ok(v > 40 && v < 120, `red block luma ${v}`);
  });
});

describe('page progress', () => {
  test('with OCR off, pages that need OCR still count toward progress', async () => {
    const { extractPdf } = await import('../src/extract/pdf/index.js');
    const { defaultLimits } = await import('../src/intake/limits.js');
    // Two pages with no text layer at all (they need OCR), one with text.
    const pdf = docWithPages(['0.5 w 100 700 m 400 700 l S\n', text(72, 700, 'Revenue 2024 totals') + text(72, 680, 'Second line of text here'), '0.5 w 100 600 m 400 600 l S\n']);
    const calls: [number, number][] = [];
    const layout = await extractPdf(pdf, defaultLimits, { ocr: false, onProgress: (d, t) => calls.push([d, t]) });
    assert.deepEqual(layout.pages.map((p) => p.source), ['ocr', 'text-layer', 'ocr']);
    assert.deepEqual(calls, [[1, 3], [2, 3], [3, 3]]);
  });
});

describe('red ink on colour scans', () => {
  test('only a seal is dropped: a red letterhead, its rule and red figures stay as print', async () => {
    const { dropRedInk } = await import('../src/extract/ocr/ink.js');
    // An A4 page at 100 dpi, white, RGB.
    const dpi = 100;
    const w = 827;
    const h = 1169;
    const px = new Uint8Array(w * h * 3).fill(255);
    const red = (x: number, y: number) => px.set([215, 38, 30], (y * w + x) * 3);
    const fillRect = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) red(x, y);
    };
    // 红头: a row of big red characters (solid squares, 15 mm) and the red rule under them.
    for (let i = 0; i < 8; i++) fillRect(120 + i * 75, 80, 180 + i * 75, 140);
    fillRect(60, 170, 767, 176);
    // Red figures in the text: small marks.
    for (let i = 0; i < 10; i++) fillRect(100 + i * 30, 400, 116 + i * 30, 420);
    // A seal: a ring 40 mm across with a star-like blob in its middle, at (550, 800).
    const r = ((40 / 25.4) * dpi) / 2;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const d = Math.hypot(x - 550, y - 800);
        if ((d <= r && d >= r - 6) || d <= 18) red(x, y);
      }
    }
    const out = dropRedInk(px, w, h, 3, dpi);
    const at = (x: number, y: number) => out.gray[y * w + x];
    assert.ok(out.red, 'the seal is found');
    assert.ok(at(150, 110) < 150, `letterhead character kept (${at(150, 110)})`);
    assert.ok(at(400, 173) < 150, `letterhead rule kept (${at(400, 173)})`);
    assert.ok(at(108, 410) < 150, `red figure kept (${at(108, 410)})`);
    assert.equal(at(550, Math.round(800 - r + 3)), 255, 'seal ring dropped');
    assert.equal(at(550, 800), 255, 'seal star dropped');
  });
});

describe('uneven light', () => {
  /** An A4 page at 100 dpi: paper `paper(x, y)`, lines of dark "text" every 30 px. */
  function page(paper: (x: number, y: number) => number) {
    const width = 827;
    const height = 1169;
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data[y * width + x] = y % 30 < 6 && x > 80 && x < 740 && x % 9 < 5 ? 30 : paper(x, y);
    }
    return { data, width, height };
  }

  test('an evenly lit scan with grey-shaded table areas is not flattened', async () => {
    const { flattenIllumination } = await import('../src/extract/ocr/photo.js');
    // Two shaded blocks (a table's header band and a sidebar) on white paper.
    const g = page((x, y) => ((y > 300 && y < 520 && x > 60 && x < 770) || (x > 560 && y > 700 && y < 1100) ? 200 : 250));
    const before = Uint8Array.from(g.data);
    assert.equal(flattenIllumination(g, false), false);
    assert.deepEqual(g.data, before);
  });

  test('light falling off across a page is still evened out, and a photo always is', async () => {
    const { flattenIllumination } = await import('../src/extract/ocr/photo.js');
    const falloff = (x: number, y: number) => Math.round(250 - 80 * ((x / 827) ** 2 * 0.6 + (y / 1169) * 0.4));
    assert.equal(flattenIllumination(page(falloff), false), true);
    assert.equal(flattenIllumination(page((x, y) => ((y > 300 && y < 520) ? 200 : 250)), true), true);
  });
});

describe('faint text', () => {
  test('light colours in body size are the page\'s own; a large faint stamp is still a watermark', async () => {
    const { dropWatermarks } = await import('../src/extract/pdf/watermark.js');
    const item = (text: string, y: number, size: number, lum = 0, alpha = 1) => ({ text, x0: 72, y0: y, x1: 72 + size * text.length, y1: y + size, size, lum, alpha });
    const body = Array.from({ length: 10 }, (_, i) => item(`正文第${i}行的文字内容`, 100 + i * 20, 10));
    const gold = item('黄色标注文字', 400, 10, 0.8); // #ffc000: luminance ≈ 0.8, contrast 0.2
    const stamp = item('仅供参考', 500, 40, 0, 0.25);
    const out = dropWatermarks([...body, gold, stamp]);
    assert.ok(out.items.includes(gold), 'gold body text kept');
    assert.ok(!out.items.includes(stamp), 'large faint stamp dropped');
    assert.equal(out.dropped?.text, '仅供参考');
  });
});
