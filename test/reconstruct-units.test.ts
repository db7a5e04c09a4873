/**
 * Units of the reconstruction on their own: fitting a row's values to its columns (fit.ts) and
 * matching printed labels to the form's rows (labels.ts). The end-to-end tests show them on whole
 * documents; these pin each rule.
 * Run: node --import tsx --test test/reconstruct-units.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayoutDocument, LayoutGrid } from '../src/layout/types.js';
import { matchKey } from '../src/normalize/text.js';
import { fitRow, MAX_SPLITS, splitDigits } from '../src/reconstruct/fit.js';
import { bestMatch, candidatesFor, labelScore, TOLERANT_MATCH } from '../src/reconstruct/labels.js';
import { tokenize, type Token } from '../src/reconstruct/tokens.js';
import { templates } from '../src/templates/forms.js';

/** The tokens of one row of cells, as a delimited (structured) grid or a flat stream gives them. */
function cells(texts: string[], structure: LayoutGrid['structure'] = 'delimited'): Token[] {
  const grid: LayoutGrid = {
    kind: 'grid', page: 1, bbox: null, rows: 1, cols: texts.length, source: 'markup', structure,
    cells: texts.map((text, col) => ({ row: 0, col, rowSpan: 1, colSpan: 1, text, bbox: null, page: 1, confidence: 1 })),
  };
  const doc: LayoutDocument = { pages: [{ page: 1, width: null, height: null, source: 'markup' }], blocks: [grid], warnings: [] };
  return tokenize(doc, new Map([[0, 0]]));
}
const values = (readings: ReturnType<typeof fitRow>) => readings.map((r) => r.slots.map((s) => s.value));

test('splitDigits: every cut into parts, no part with a leading zero but a lone 0', () => {
  assert.deepEqual(splitDigits('1000', 2), [['100', '0']]);
  assert.deepEqual(splitDigits('1203', 3), [['1', '20', '3'], ['12', '0', '3']]);
  assert.deepEqual(splitDigits('000', 3), [['0', '0', '0']]);
  assert.deepEqual(splitDigits('00', 1), []);
});

test('fitRow: as many values as columns is exact; padding cells at either end are dropped', () => {
  const exact = fitRow(cells(['3', '0', '3']), 3);
  assert.deepEqual(values(exact), [[3, 0, 3]]);
  assert.equal(exact[0].note, undefined);
  assert.ok(exact[0].slots.every((s) => s.placement === 1));
  assert.deepEqual(values(fitRow(cells(['', '3', '0', '3', '']), 3)), [[3, 0, 3]]);
  assert.equal(fitRow(cells(['3', '', '3']), 3)[0].slots[1].value, null);
});

test('fitRow: no value in any cell is a row printed empty; more values than columns is an overflow', () => {
  const empty = fitRow(cells(['', '']), 3);
  assert.equal(empty[0].note, 'empty');
  assert.deepEqual(values(empty), [[null, null, null]]);
  const over = fitRow(cells(['1', '2', '3', '4']), 3);
  assert.equal(over[0].note, 'overflow');
  assert.deepEqual(values(over), [[1, 2, 3]]);
});

test('fitRow: a delimited row short of values aligns right (its last cell is the total); a stream row fills from the left', () => {
  const right = fitRow(cells(['5', '5']), 3);
  assert.equal(right[0].note, 'aligned-right');
  assert.deepEqual(values(right), [[null, 5, 5]]);
  const left = fitRow(cells(['5', '5'], 'stream'), 3);
  assert.equal(left[0].note, 'short-row');
  assert.deepEqual(values(left), [[5, 5, null]]);
});

test('fitRow: glued digits give every split; a negative goes only where the column may be negative', () => {
  assert.deepEqual(values(fitRow(cells(['303']), 3)), [[3, 0, 3]]);
  assert.deepEqual(values(fitRow(cells(['1203']), 3)), [[1, 20, 3], [12, 0, 3]]);
  // 本年增/减 is the second column: 281 | -26 | 49 and its other cuts, never a negative elsewhere.
  const signed = fitRow(cells(['281-2649']), 3, (ci) => ci === 1);
  assert.ok(signed.length >= 2);
  for (const r of signed) assert.ok(r.slots.every((s, ci) => (s.value ?? 0) >= 0 || ci === 1));
  assert.ok(values(signed).some((v) => v.join() === '281,-26,49'));
});

test(`fitRow: past ${MAX_SPLITS} ways to split, it gives up and places nothing`, () => {
  const gaveUp = fitRow(cells(['1234567891234567891234567']), 7);
  assert.equal(gaveUp.length, 1);
  assert.equal(gaveUp[0].note, 'split-gave-up');
  assert.deepEqual(values(gaveUp), [Array(7).fill(null)]);
});

test('labelScore: exact, numbering left out, wrapped, local guidance, short labels only numbered', () => {
  const k = matchKey;
  assert.equal(labelScore(k('1.属于国家秘密'), k('1.属于国家秘密')), 1);
  assert.equal(labelScore(k('属于国家秘密'), k('1.属于国家秘密')), 0.95);
  assert.equal(labelScore(k('1.申请人无正当理由逾期不补正、行'), k('1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请')), 0.85);
  assert.equal(labelScore(k('规章（含修订，本年未制定的填0）'), k('规章')), 0.9);
  assert.equal(labelScore(k('其他'), k('3.其他')), 0);
  assert.equal(labelScore(k('3.其他'), k('3.其他')), 1);
});

test('labelScore: a label read with errors matches under the tolerant line, never with another numbering', () => {
  const k = matchKey;
  const misread = labelScore(k('2.没有现成信息需要另行制怍'), k('2.没有现成信息需要另行制作'));
  assert.ok(misread > 0 && misread < TOLERANT_MATCH, String(misread));
  assert.equal(labelScore(k('3.没有现成信息需要另行制怍'), k('2.没有现成信息需要另行制作')), 0);
  // A sentence is no row label, however many of its words it shares.
  assert.equal(labelScore(k('本年度没有现成信息需要另行制作的政府信息公开申请，我局均已答复。'), k('2.没有现成信息需要另行制作')), 0);
});

test('bestMatch picks the form row a printed label names among all of a table\'s rows', () => {
  const table = templates.gov2021.tables.find((t) => t.id === 'applications')!;
  const candidates = candidatesFor(table.rows);
  assert.equal(bestMatch(matchKey('（二）部分公开'), candidates)?.candidate.row.key, 'partiallyGranted');
  assert.equal(bestMatch(matchKey('四、结转下年度继续办理'), candidates)?.candidate.row.key, 'carriedForward');
  assert.equal(bestMatch(matchKey('2.重复申请'), candidates)?.candidate.row.key, 'notProcessed.duplicate');
});
