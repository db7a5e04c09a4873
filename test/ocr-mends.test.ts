/** Mends after review of the OCR/PDF page path: each test builds its input here. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderPdfPage } from '../src/extract/pdf/render.js';
import { docWithPages } from './support/pdf.js';

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
