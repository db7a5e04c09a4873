/**
 * How real reports break the tables (templates.md §D), applied to the seed texts: 无 in a value cell,
 * a province's guidance in parentheses after a row label, `pdftotext -layout` text of the sample PDFs, and a
 * 2008 statistical form with indicator codes.
 * Run: node --import tsx --test test/variants.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CanonicalCell, Report } from '../src/model/report.js';
import { convert } from '../src/pipeline.js';
import { assertExpected } from './support/assert-expected.js';
import { expectedFor, sample, samplesDir, seeds } from './support/fixtures.js';

const seedText = (i: number) => sample(`seeds/${seeds[i]}.txt`).toString('utf8');
const convertText = (text: string) => convert(Buffer.from(text, 'utf8'), { filename: 'variant.txt' });
const cell = (r: Report, key: string): CanonicalCell => r.tables.flatMap((t) => t.cells).find((c) => c.key === key)!;

/** Seed 000's expected values with some cells changed. */
function expectedWith(changes: Record<string, number | null>) {
  const e = expectedFor(seeds[0]);
  return { ...e, cells: { ...e.cells, ...changes } };
}

test('无 in a value cell is printed-empty: blank, and the row keeps its other values in place', async () => {
  const coercion = seedText(0).replace('行政强制 | 2 | 0 | 2 |', '行政强制 | 2 | 无 | 2 |');
  assert.notEqual(coercion, seedText(0));
  const text = coercion.replace('2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |', '2.重复申请 | 无 | 0 | 0 | 0 | 0 | 0 | 0 |');
  assert.notEqual(text, coercion);
  const report = await convertText(text);
  assertExpected(report, expectedWith({ 'active.coercion.change': null, 'applications.notProcessed.duplicate.naturalPerson': null }), 'seed 000 with 无');
  assert.equal(cell(report, 'active.coercion.change').state, 'blank');
  assert.equal(cell(report, 'active.coercion.change').text, '无');
});

test('guidance in parentheses after a row label (Hubei) leaves the row where it is', async () => {
  const regulations = '规章(指省、市人民政府制定的规章,含修订,本年未制定的填0)';
  const text = seedText(0)
    .replace('规章 | 0 | 0 | 0 |', `${regulations} | 0 | 0 | 0 |`)
    .replace('规范性文件 | 11 | 11 | 11 |', '规范性文件（含修订） | 11 | 10 | 12 |');
  assert.ok(text.includes(regulations) && text.includes('规范性文件（含修订）'), 'both rows were edited');
  const report = await convertText(text);
  assertExpected(report, expectedWith({ 'active.normativeDocuments.published': 10, 'active.normativeDocuments.totalPublished': 12 }), 'seed 000 with guidance');
  assert.equal(cell(report, 'active.normativeDocuments.made').rowLabel, '规范性文件（含修订）');
});

for (const seed of seeds) {
  test(`pdftotext -layout of seed ${seed}'s Chromium PDF (samples/layout): header lines wider than their cells still hold the tables`, async () => {
    const text = readFileSync(join(samplesDir, 'layout', `${seed}.chrome.layout.txt`), 'utf8');
    assertExpected(await convertText(text), expectedFor(seed), `pdftotext -layout of ${seed}`);
  });
}

test('a 2008 statistical form (templates.md C2): 代码 column and 甲乙丙 letter row skipped; 网上咨询数 is not an application channel', async () => {
  const rows: [string, string, string, number, number][] = [
    ['主动公开信息数', '条', '01', 101, 1001],
    ['网上咨询数', '人次', '07', 107, 1007],
    ['申请总数', '条', '10', 110, 1010],
    ['4.网上申请数', '条', '14', 114, 1014],
    ['对申请的答复总数', '条', '17', 117, 1017],
    ['行政复议数', '件', '32', 132, 1032],
  ];
  const tr = (cells: (string | number)[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  const html = `<html><head><meta charset="utf-8"><title>定西市2008年政府信息公开工作年度报告</title></head><body>
    <h1>定西市2008年政府信息公开工作年度报告</h1><p>附表：政府信息公开情况统计表</p><table>
    ${tr(['指标名称', '计量单位', '代码', '本期实际', '本年累计'])}${tr(['甲', '乙', '丙', 1, 2])}${rows.map(tr).join('')}</table></body></html>`;
  const report = await convert(Buffer.from(html, 'utf8'), { filename: 'dingxi.html' });
  assert.equal(report.report.template, 'legacy');
  const values = Object.fromEntries(report.tables.flatMap((t) => t.cells).map((c) => [c.key, c.value]));
  assert.deepEqual(values, {
    'legacyIndicators.proactive.total.thisYear': 101, 'legacyIndicators.proactive.total.cumulative': 1001,
    'legacyIndicators.row.2.thisYear': 107, 'legacyIndicators.row.2.cumulative': 1007,
    'legacyIndicators.requests.total.thisYear': 110, 'legacyIndicators.requests.total.cumulative': 1010,
    'legacyIndicators.requests.online.thisYear': 114, 'legacyIndicators.requests.online.cumulative': 1014,
    'legacyIndicators.responses.total.thisYear': 117, 'legacyIndicators.responses.total.cumulative': 1017,
    'legacyIndicators.review.count.thisYear': 132, 'legacyIndicators.review.count.cumulative': 1032,
  });
});

test('a table the document titles but that could not be read is missing at low confidence, with TABLE_NOT_READ', async () => {
  // LibreOffice's PDF prints 表四's header one character a line; pdftotext -layout keeps it that way.
  const text = readFileSync(join(samplesDir, 'layout', `${seeds[0]}.libreoffice.layout.txt`), 'utf8');
  const report = await convertText(text);
  const t4 = report.tables.find((t) => t.id === 'reviewLitigation')!;
  assert.equal(t4.found, false);
  assert.equal(t4.cells.length, 15);
  assert.ok(t4.cells.every((c) => c.state === 'missing' && c.confidence <= 0.2), t4.cells.map((c) => c.confidence).join(' '));
  assert.deepEqual(report.warnings.filter((w) => w.code === 'TABLE_NOT_READ').map((w) => w.message), [
    'The document has a section 四、政府信息公开行政复议、行政诉讼情况, but its table could not be read: its cells are missing and need checking against the document.',
  ]);
  // The same without depending on how well LibreOffice layouts read: seed 002 keeps 表四's heading
  // and loses its header and values; without the heading the table is simply not found.
  const [head, tail] = seedText(2).split('四、政府信息公开行政复议、行政诉讼情况');
  const rest = tail.slice(tail.indexOf('#### 五、'));
  const cut = `${head}四、政府信息公开行政复议、行政诉讼情况\n\n${rest}`;
  assert.ok(!cut.includes('结果维持'), 'the 表四 header is gone');
  const titled = await convertText(cut);
  const titledReview = titled.tables.find((t) => t.id === 'reviewLitigation')!;
  assert.equal(titledReview.cells.length, 15);
  assert.ok(titledReview.cells.every((c) => c.state === 'missing' && c.confidence <= 0.2));
  assert.equal(titled.warnings.filter((w) => w.code === 'TABLE_NOT_READ').length, 1);
  const headless = head.replace(/#### $/, '');
  assert.notEqual(headless, head, 'the heading\'s #### is cut');
  const untitled = await convertText(`${headless}${rest}`);
  assert.ok(!untitled.warnings.some((w) => w.code === 'TABLE_NOT_READ'));
  // Not found at all: missing, and a cell the converter could not find never scores 0.5 or more.
  const untitledReview = untitled.tables.find((t) => t.id === 'reviewLitigation')!;
  assert.equal(untitledReview.cells.length, 15);
  assert.ok(untitledReview.cells.every((c) => c.state === 'missing' && c.confidence < 0.5));
});

test('a negative number glued to its neighbours (2648-18538, templates.md): the digits before the sign stay whole, the rest is offered for review', async () => {
  const text = seedText(0).replace('行政处罚 | 71 | 56 | 112 |', '行政处罚 | 2648-18538 |');
  assert.notEqual(text, seedText(0));
  const report = await convertText(text);
  const before = cell(report, 'active.penalty.previousItems');
  assert.equal(before.value, 2648);
  const change = cell(report, 'active.penalty.change');
  const decisions = cell(report, 'active.penalty.decisions');
  // No check ties 本年增/减 to 处理决定数量: every split of -18538 that keeps the sign in the signed column is left open.
  const readings = [change.value, ...change.alternatives.map((a) => a.value)].sort();
  assert.deepEqual(readings, [-1, -18, -185, -1853].sort());
  assert.ok(change.confidence < 0.5 && decisions.confidence < 0.5, `${change.confidence} ${decisions.confidence}`);
  assert.ok([decisions.value, ...decisions.alternatives.map((a) => a.value)].includes(538));
});

test('a whole 表三 row glued into one number, before the flattening\'s empty last cell, is split under the checks', async () => {
  const text = seedText(0).replace('一、本年新收政府信息公开申请数量 | 156 | 0 | 0 | 0 | 0 | 35 | 191 | ||', '一、本年新收政府信息公开申请数量 | 156000035191 ||');
  assert.notEqual(text, seedText(0));
  const report = await convertText(text);
  assertExpected(report, expectedFor(seeds[0]), 'seed 000 with a glued row');
  assert.equal(cell(report, 'applications.newReceived.total').evidence.source, 'markup');
});

/**
 * A spreadsheet's tab-separated export of the HTML page (pandas, a "save as TSV"): every merged cell's
 * text filled into each column and row it spans, every row as wide as the sheet, empty cells as
 * empty fields. `blank` prints the zeros as empty cells too (a page that leaves them blank).
 */
async function spreadsheetTsv(seed: string, blank = false): Promise<string> {
  const { extractHtml } = await import('../src/extract/html.js');
  const { defaultLimits } = await import('../src/intake/limits.js');
  const doc = extractHtml(sample(`html/${seed}.html`), null, defaultLimits);
  const width = Math.max(...doc.blocks.map((b) => (b.kind === 'grid' ? b.cols : 0))) + 2;
  const lines: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'line') { lines.push(b.text); continue; }
    const rows = Array.from({ length: b.rows }, () => Array<string>(width).fill(''));
    for (const c of b.cells) {
      const text = blank && /^0+$/.test(c.text.trim()) ? '' : c.text.replace(/\s+/g, ' ');
      for (let r = c.row; r < c.row + c.rowSpan; r++) for (let k = c.col; k < c.col + c.colSpan; k++) rows[r][k] = text;
    }
    lines.push(...rows.map((r) => r.join('\t')));
  }
  return lines.join('\n');
}

test('a spreadsheet TSV export: a row label filled into every column it spans is one label, the tabs decide the columns', async () => {
  const text = await spreadsheetTsv(seeds[3]);
  assert.match(text, /一、本年新收政府信息公开申请数量\t一、本年新收政府信息公开申请数量\t/);
  assertExpected(await convertText(text), expectedFor(seeds[3]), 'seed 003 as a spreadsheet TSV');
});

test('a spreadsheet TSV export whose zeros are empty cells: a table of empty fields is still a table, its cells blank', async () => {
  const expected = expectedFor(seeds[2]);
  const blanked = Object.fromEntries(Object.entries(expected.cells).map(([k, v]) => [k, v === 0 ? null : v]));
  const report = await convertText(await spreadsheetTsv(seeds[2], true));
  assertExpected(report, { ...expected, cells: blanked, texts: {} }, 'seed 002 as a spreadsheet TSV with its zeros blank');
  assert.equal(cell(report, 'applications.newReceived.total').state, 'blank');
});

test('a value cell holding glyphs that are no number is illegible at low confidence, never a confident blank, and its row keeps its places', async () => {
  const text = seedText(0).replace('行政强制 | 2 | 0 | 2 |', '行政强制 | 2 | 仅供参考0 | 2 |');
  assert.notEqual(text, seedText(0));
  const report = await convertText(text);
  const unreadable = cell(report, 'active.coercion.change');
  assert.equal(unreadable.state, 'illegible');
  assert.equal(unreadable.text, '仅供参考0');
  assert.ok(unreadable.confidence < 0.5, String(unreadable.confidence));
  assert.equal(cell(report, 'active.coercion.previousItems').value, 2);
  assert.equal(cell(report, 'active.coercion.decisions').value, 2);
  assert.ok(cell(report, 'active.coercion.decisions').confidence >= 0.9);
});

test('a 表四 value row with an unreadable cell keeps its numbers in their places: the glyphs are that cell, illegible', async () => {
  const text = seedText(0).replace('1 | 1 | 1 | 0 | 3 | 1 | 0 | 0 | 0 | 1 |', '1 | 1 | 1 | 参0 | 3 | 1 | 0 | 0 | 0 | 1 |');
  assert.notEqual(text, seedText(0));
  const report = await convertText(text);
  assert.equal(cell(report, 'reviewLitigation.review.pending').state, 'illegible');
  assert.ok(cell(report, 'reviewLitigation.review.pending').confidence < 0.5);
  for (const [key, value] of Object.entries(expectedFor(seeds[0]).cells)) {
    if (key.startsWith('reviewLitigation.') && key !== 'reviewLitigation.review.pending') assert.equal(cell(report, key).value, value, key);
  }
});
