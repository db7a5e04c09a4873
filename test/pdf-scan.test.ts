/**
 * The operator scan (src/extract/pdf/scan.ts) on hand-made pdf.js operator lists: what each group of
 * operators does to the text, rules, shading and image cover it reports. Real PDFs exercise it through
 * the other PDF tests; these pin the state handling (q/Q, forms, transparency groups, Td/TD/T*, colours)
 * one operator at a time.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Matrix } from '../src/extract/pdf/geometry.js';
import { loadPdfJs } from '../src/extract/pdf/load.js';
import { scanPage, type FontInfo, type OpsTable } from '../src/extract/pdf/scan.js';

/** An A4 page: PDF user space (y up) → top-left page points. */
const VIEWPORT: Matrix = [1, 0, 0, -1, 0, 842];
const FONT: FontInfo = { fontMatrix: [0.001, 0, 0, 0.001], ascent: 0.8, descent: -0.2 };
const fontOf = (id: string) => (id === 'F1' ? FONT : null);
/** A glyph 500 units wide (5 points at size 10). */
const glyph = (unicode: string) => ({ unicode, width: 500 });

let OPS: OpsTable;
before(async () => {
  OPS = (await loadPdfJs()).OPS as unknown as OpsTable;
});

/** Runs the scan on [operator name, args] pairs. */
function scan(ops: [string, unknown[] | null][]) {
  const fn = ops.map(([name]) => {
    assert.ok(OPS[name] !== undefined, `pdf.js has no operator ${name}`);
    return OPS[name];
  });
  return scanPage(fn, ops.map(([, args]) => args), OPS, VIEWPORT, fontOf);
}

/** pdf.js 5's constructPath: the paint operator, then the path buffer (DrawOPS moveTo 0, lineTo 1, closePath 3). */
const path = (paint: string, buf: number[]): [string, unknown[]] => ['constructPath', [OPS[paint], [Float32Array.from(buf)], null]];
const rect = (x: number, y: number, w: number, h: number) => [0, x, y, 1, x + w, y, 1, x + w, y + h, 1, x, y + h, 3];

describe('PDF operator scan', () => {
  test('Td, TD and T* move the text line; TD sets the leading T* uses', () => {
    const s = scan([
      ['beginText', null],
      ['setFont', ['F1', 10]],
      ['moveText', [72, 700]],
      ['showText', [[glyph('A')]]],
      ['setLeadingMoveText', [0, -20]],
      ['showText', [[glyph('B')]]],
      ['nextLine', null],
      ['showText', [[glyph('C')]]],
      ['endText', null],
    ]);
    // Baseline y 700 → top-left 142; the box runs from descent (-2) to ascent (+8).
    assert.deepEqual(s.items.map((it) => [it.text, it.x0, it.x1, it.y0, it.y1]), [
      ['A', 72, 77, 134, 144],
      ['B', 72, 77, 154, 164],
      ['C', 72, 77, 174, 184],
    ]);
  });

  test('Tz, Tc and TJ adjustments place the glyphs along the line', () => {
    const s = scan([
      ['beginText', null],
      ['setFont', ['F1', 10]],
      ['setHScale', [200]],
      ['setCharSpacing', [1]],
      ['moveText', [100, 500]],
      ['showSpacedText', [[glyph('A'), -500, glyph('B')]]],
      ['endText', null],
    ]);
    // Each glyph advances (5 + 1) × 2 = 12; the TJ number -500 moves the pen 5 × 2 = 10 further.
    assert.deepEqual(s.items.map((it) => [it.text, it.x0, it.x1]), [['A', 100, 110], ['B', 122, 132]]);
  });

  test('q/Q and cm: after Q the matrix and the font are the ones before q', () => {
    const s = scan([
      ['save', null],
      ['transform', [1, 0, 0, 1, 200, 0]],
      ['beginText', null],
      ['setFont', ['F1', 10]],
      ['moveText', [72, 700]],
      ['showText', [[glyph('A')]]],
      ['endText', null],
      ['restore', null],
      ['beginText', null],
      ['moveText', [72, 600]],
      ['showText', [[glyph('B')]]],
      ['setFont', ['F1', 10]],
      ['showText', [[glyph('C')]]],
      ['endText', null],
    ]);
    // B has no font (Tf was inside q … Q): nothing is drawn and the pen stays.
    assert.deepEqual(s.items.map((it) => [it.text, it.x0, it.y0]), [['A', 272, 134], ['C', 72, 234]]);
  });

  test('ExtGState opacity and transparency groups: a group composites at the opacity current at its start', () => {
    const show = (t: string, y: number): [string, unknown[] | null][] => [['beginText', null], ['setFont', ['F1', 10]], ['moveText', [72, y]], ['showText', [[glyph(t)]]], ['endText', null]];
    const s = scan([
      ['setGState', [[['ca', 0.5], ['LW', 2]]]],
      ...show('A', 700),
      ['beginGroup', [{}]],
      ...show('B', 600),
      ['setGState', [[['ca', 0.5]]]],
      ...show('C', 500),
      ['endGroup', [{}]],
      ...show('D', 400),
      ['setFillRGBColor', ['#808080']],
      ...show('E', 300),
    ]);
    assert.deepEqual(s.items.map((it) => [it.text, it.alpha, Math.round(it.lum! * 1000) / 1000]), [
      ['A', 0.5, 0], ['B', 0.5, 0], ['C', 0.25, 0], ['D', 0.5, 0], ['E', 0.5, 0.502],
    ]);
  });

  test('invisible text (Tr 3) is counted, and text is kept', () => {
    const s = scan([['beginText', null], ['setFont', ['F1', 10]], ['setTextRenderingMode', [3]], ['moveText', [72, 700]], ['showText', [[glyph('A'), glyph('B')]]], ['endText', null]]);
    assert.equal(s.invisibleGlyphs, 2);
    assert.deepEqual(s.items.map((it) => it.text), ['AB']);
  });

  test('strokes and thin fills are rules, a dark fill shading, white ones nothing; a form draws under its matrix', () => {
    const s = scan([
      path('stroke', [0, 100, 700, 1, 300, 700]),
      ['paintFormXObjectBegin', [[1, 0, 0, 1, 0, -100], null]],
      path('stroke', [0, 100, 700, 1, 300, 700]),
      ['paintFormXObjectEnd', null],
      path('fill', rect(100, 500, 1, 100)),
      path('fill', rect(100, 400, 50, 20)),
      ['setFillRGBColor', ['#ffffff']],
      path('fill', rect(100, 300, 200, 1)),
      ['setFillColorN', [0]],
      path('fill', rect(100, 200, 50, 20)),
      ['setStrokeRGBColor', ['#ffffff']],
      path('stroke', [0, 100, 100, 1, 300, 100]),
    ]);
    assert.deepEqual(s.hLines.map((r) => [r.at, r.from, r.to]), [[142, 100, 300], [242, 100, 300]]);
    assert.deepEqual(s.vLines.map((r) => [r.at, r.from, r.to]), [[100.5, 242, 342]]);
    assert.deepEqual(s.fills.map((f) => [f.x0, f.y0, f.x1, f.y1]), [[100, 422, 150, 442], [100, 622, 150, 642]]);
  });

  test('an image covers the unit square of its matrix', () => {
    const s = scan([
      ['save', null],
      ['transform', [200, 0, 0, 100, 50, 50]],
      ['paintImageXObject', ['img1', 200, 100]],
      ['restore', null],
      ['paintImageXObject', ['img2', 1, 1]],
    ]);
    assert.equal(s.imageArea, 200 * 100 + 1);
  });
});
