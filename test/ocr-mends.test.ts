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
