/**
 * Table shapes and exports (issue 11), built from the samples: 表四 printed as three or two tables,
 * a row printed with its label and no values, guesses capped under one half, and the pipe-table
 * exports of Markdown converters and OCR services (group labels as rows of their own, ASCII
 * punctuation, a header repeated after a page break, labels misread).
 * Run: node --import tsx --test test/shapes.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrate, rawConfidence } from '../src/check/confidence.js';
import type { Expected } from '../src/eval/expected.js';
import type { CanonicalCell, Report } from '../src/model/report.js';
import { convert } from '../src/pipeline.js';
import { assertExpected } from './support/assert-expected.js';
import { expectedFor, sample, seeds } from './support/fixtures.js';

const [S000, , S002, S003, S004] = seeds;
const seedText = (seed: string) => sample(`seeds/${seed}.txt`).toString('utf8');
const html = (seed: string) => sample(`html/${seed}.html`).toString('utf8');
const convertAs = (text: string, filename: string) => convert(Buffer.from(text, 'utf8'), { filename });
const cellsOf = (r: Report): CanonicalCell[] => r.tables.flatMap((t) => t.cells);
const cell = (r: Report, key: string): CanonicalCell => cellsOf(r).find((c) => c.key === key)!;
const rowCells = (r: Report, prefix: string) => cellsOf(r).filter((c) => c.key.startsWith(prefix));

function expectedWith(seed: string, changes: Record<string, number | null>): Expected {
  const e = expectedFor(seed);
  return { ...e, cells: { ...e.cells, ...changes } };
}

/** Every printed cell of the report is placed with confidence: none is a guess. */
function assertNoGuess(r: Report, what: string, least = 0.5): void {
  const low = cellsOf(r).filter((c) => c.state !== 'missing' && c.confidence < least).map((c) => `${c.key} ${c.confidence}`);
  assert.deepEqual(low, [], `${what}: cells under ${least}`);
}

// ---------------------------------------------------------------------------------------------
// A converter's pipe-table export of an HTML sample (the samples carry the official form's merged
// cells): every table as rows of cells, everything else as lines.

interface ExportStyle {
  /** A label merged down over rows (rowspan) printed empty below its first row, or as a row of its own above its members. */
  groups?: 'merged' | 'heading';
  /** Chinese punctuation of the labels printed in ASCII: 、 → ,  （） → ()  ． → .  ，→ ,  ：→ : */
  ascii?: boolean;
  /** The table's header rows printed again before the data row whose label starts so (a page break). */
  repeatHeaderBefore?: string;
  /** Label misreadings of an OCR service: [printed, read]. */
  misread?: [string, string][];
  /** Pipe rows (Markdown), tab-separated rows, or one cell per line (empty cells lost). */
  flatten?: 'pipe' | 'tsv' | 'lines';
}

interface HtmlCell { text: string; rowSpan: number; colSpan: number }
interface GridCell { text: string; origin: boolean; group: boolean }

const decode = (s: string) =>
  s.replace(/<br\s*\/?>/g, '').replace(/<[^>]+>/g, '').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').trim();
const isNumber = (s: string) => /^-?\d[\d.]*$/.test(s);

function parseTable(table: string): HtmlCell[][] {
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1].matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)].map((td) => ({
      text: decode(td[2]),
      rowSpan: Number(/rowspan="(\d+)"/.exec(td[1])?.[1] ?? 1),
      colSpan: Number(/colspan="(\d+)"/.exec(td[1])?.[1] ?? 1),
    })));
}

function exportRows(rows: HtmlCell[][], style: ExportStyle): string[][] {
  const grid: GridCell[][] = [];
  rows.forEach((row, r) => {
    grid[r] ??= [];
    const dataRow = row.some((x) => isNumber(x.text));
    let c = 0;
    for (const cell of row) {
      while (grid[r][c]) c++;
      for (let dr = 0; dr < cell.rowSpan; dr++) {
        for (let dc = 0; dc < cell.colSpan; dc++) {
          const origin = dr === 0 && dc === 0;
          (grid[r + dr] ??= [])[c + dc] = { text: origin ? cell.text : '', origin, group: cell.rowSpan > 1 && dataRow && !isNumber(cell.text) };
        }
      }
      c += cell.colSpan;
    }
  });
  const width = Math.max(...grid.map((r) => r.length));
  const firstData = grid.findIndex((row) => row.some((x) => x && isNumber(x.text)));
  const out: string[][] = [];
  grid.forEach((row, r) => {
    const cells = Array.from({ length: width }, (_, c) => row[c] ?? { text: '', origin: false, group: false });
    const isData = firstData >= 0 && r >= firstData;
    if (style.repeatHeaderBefore && isData && r > firstData && cells.some((x) => x.origin && x.text.startsWith(style.repeatHeaderBefore!))) {
      out.push(...out.slice(0, firstData).map((h) => [...h]));
    }
    if (style.groups === 'heading' && isData) {
      // The value cells are the ones after the last label; a group label gets a row of its own.
      let firstValue = cells.length;
      while (firstValue > 0 && (cells[firstValue - 1].text === '' || isNumber(cells[firstValue - 1].text))) firstValue--;
      while (firstValue < cells.length && cells[firstValue].text === '' && !cells[firstValue].origin) firstValue++;
      const labels = cells.slice(0, firstValue).filter((x) => x.origin && x.text !== '');
      const values = cells.slice(firstValue).map((x) => x.text);
      for (const g of labels.filter((x) => x.group)) out.push([g.text, ...values.map(() => '')]);
      const own = labels.filter((x) => !x.group);
      if (own.length || values.some((v) => v !== '')) out.push([...own.map((x) => x.text), ...values]);
      return;
    }
    out.push(cells.map((x) => x.text));
  });
  return out;
}

function exportLabel(s: string, style: ExportStyle): string {
  if (isNumber(s)) return s;
  let t = s;
  for (const [from, to] of style.misread ?? []) t = t.split(from).join(to);
  if (style.ascii) t = t.replace(/、/g, ',').replace(/（/g, '(').replace(/）/g, ')').replace(/．/g, '.').replace(/，/g, ',').replace(/：/g, ':');
  return t;
}

function pipeExport(page: string, style: ExportStyle = {}): string {
  const body = page.replace(/<head>[\s\S]*?<\/head>/, '').replace(/<script[\s\S]*?<\/script>/g, '');
  const lines: string[] = [];
  for (const part of body.split(/(<table[\s\S]*?<\/table>)/)) {
    if (part.startsWith('<table')) {
      lines.push('');
      exportRows(parseTable(part), style).forEach((row, i) => {
        const cells = row.map((c) => exportLabel(c, style));
        if (style.flatten === 'tsv') lines.push(cells.join('\t'));
        else if (style.flatten === 'lines') lines.push(...cells.filter((c) => c !== ''));
        else {
          lines.push(`| ${cells.join(' | ')} |`);
          if (i === 0) lines.push(`|${cells.map(() => '---').join('|')}|`);
        }
      });
      lines.push('');
    } else {
      for (const block of part.split(/<\/(?:p|h\d|div|li)>|<br\s*\/?>/)) {
        const t = decode(block);
        if (t) lines.push(t);
      }
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// 1. 表四 printed as three tables of five columns, or as two (行政复议 | 行政诉讼 with its sub-groups).

const REVIEW_TABLE = /<table[^>]*>(?:(?!<\/table>)[\s\S])*?行政复议(?:(?!<\/table>)[\s\S])*?<\/table>/;
const td = (s: string | number, span = 1) => (span > 1 ? `<td colspan="${span}">${s}</td>` : `<td>${s}</td>`);
const tr = (cells: string[]) => `<tr>${cells.join('')}</tr>`;
const COLUMNS = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];

/** The sample's 表四 replaced by the same 15 values in another shape. */
function reshapeReview(page: string, shape: 'three' | 'three-captions' | 'two' | 'row-labels', misread: [string, string][] = []): string {
  const table = REVIEW_TABLE.exec(page)![0];
  const rows = parseTable(table);
  const values = rows[rows.length - 1].map((c) => c.text);
  assert.equal(values.length, 15, 'the sample prints 表四 as one row of 15');
  const v = (g: number) => values.slice(g * 5, g * 5 + 5).map((x) => td(x));
  const head = COLUMNS.map((c) => td(c));
  const name = (s: string) => misread.reduce((t, [a, b]) => t.split(a).join(b), s);
  const groups = [name('行政复议'), name('行政诉讼（未经复议直接起诉）'), name('行政诉讼（复议后起诉）')];
  const t = (body: string[]) => `<table border="1">${body.join('')}</table>`;
  let shaped: string;
  if (shape === 'three') shaped = groups.map((g, i) => t([tr([td(g, 5)]), tr(head), tr(v(i))])).join('\n');
  else if (shape === 'three-captions') shaped = groups.map((g, i) => `<p>${g}</p>\n${t([tr(head), tr(v(i))])}`).join('\n');
  else if (shape === 'row-labels') shaped = t([tr([td(''), ...head]), ...groups.map((g, i) => tr([td(g), ...v(i)]))]);
  else {
    shaped = [
      t([tr([td(groups[0], 5)]), tr(head), tr(v(0))]),
      t([tr([td(name('行政诉讼'), 10)]), tr([td(name('未经复议直接起诉'), 5), td(name('复议后起诉'), 5)]), tr([...head, ...head]), tr([...v(1), ...v(2)])]),
    ].join('\n');
  }
  return page.replace(table, shaped);
}

for (const shape of ['three', 'three-captions', 'two', 'row-labels'] as const) {
  test(`表四 printed as ${shape === 'two' ? 'two tables' : shape === 'row-labels' ? 'three rows under their group names' : 'three tables'}${shape === 'three-captions' ? ' under captions' : ''}: every value under its own group, in HTML, Markdown and one cell per line`, async () => {
    const page = reshapeReview(html(S000), shape);
    assert.notEqual(page, html(S000));
    const expected = expectedFor(S000);
    const inputs: [string, string][] = [
      [page, 'review.html'],
      [pipeExport(page), 'review.md'],
      [pipeExport(page, { flatten: 'tsv' }), 'review.txt'],
      [pipeExport(page, { flatten: 'lines' }), 'review.txt'],
    ];
    for (const [input, filename] of inputs) {
      const report = await convertAs(input, filename);
      assertExpected(report, expected, `${shape} as ${filename}`);
      assertNoGuess(report, `${shape} as ${filename}`, 0.9);
    }
  });
}

test('表四 as three tables with its group names misread (末经复议直接起诉, 复议後起诉) still reads each group', async () => {
  const page = reshapeReview(html(S000), 'three', [['未经', '末经'], ['复议后', '复议後']]);
  assert.ok(page.includes('末经复议直接起诉'));
  for (const [input, filename] of [[page, 'review.html'], [pipeExport(page), 'review.md']]) {
    const report = await convertAs(input, filename);
    assertExpected(report, expectedFor(S000), `misread groups as ${filename}`);
    assertNoGuess(report, `misread groups as ${filename}`, 0.9);
  }
});

// ---------------------------------------------------------------------------------------------
// 2. A row printed with its label and no values is blank (printed empty), not missing.

const OTHER_COLUMNS = ['naturalPerson', 'commercial', 'research', 'socialWelfare', 'legalService', 'otherOrg', 'total'];
const otherBlank = Object.fromEntries(OTHER_COLUMNS.map((c) => [`applications.other.${c}`, null]));

test('the 2019 form\'s （六）其他处理 printed with empty cells, or as its label alone, is blank in every format', async () => {
  const seedRow = '(六)其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||';
  assert.ok(seedText(S000).includes(seedRow));
  const htmlRow = /<tr><td colspan="2"[^>]*>（六）其他处理<\/td>(?:<td[^>]*>0<\/td>){7}<\/tr>/;
  assert.ok(htmlRow.test(html(S000)));
  const emptyHtml = html(S000).replace(htmlRow, `<tr><td colspan="2">（六）其他处理</td>${'<td></td>'.repeat(7)}</tr>`);
  const inputs: [string, string, string][] = [
    ['pipe row with empty cells', seedText(S000).replace(seedRow, '(六)其他处理 | | | | | | | | ||'), 'other.txt'],
    ['pipe row with its label alone', seedText(S000).replace(seedRow, '(六)其他处理'), 'other.txt'],
    ['HTML row of empty cells', emptyHtml, 'other.html'],
    ['Markdown export', pipeExport(emptyHtml), 'other.md'],
    ['one cell per line', pipeExport(emptyHtml, { flatten: 'lines' }), 'other.txt'],
  ];
  for (const [what, input, filename] of inputs) {
    const report = await convertAs(input, filename);
    assert.equal(report.report.template, 'gov2019', what);
    assertExpected(report, expectedWith(S000, otherBlank), what);
    const other = rowCells(report, 'applications.other.');
    assert.deepEqual(other.map((c) => [c.key, c.state]), OTHER_COLUMNS.map((c) => [`applications.other.${c}`, 'blank']), what);
    assert.ok(other.every((c) => c.confidence >= 0.9), `${what}: ${other.map((c) => c.confidence).join(' ')}`);
  }
});

test('（六）其他处理 heading its three sub-rows (the 2021 form) is a group: no row of its own, the sub-rows in place', async () => {
  const report = await convertAs(pipeExport(html(S003), { groups: 'heading' }), 'heading.md');
  assertExpected(report, expectedFor(S003), 'seed 003 with group rows');
  assert.equal(rowCells(report, 'applications.other.').filter((c) => c.row === 'other').length, 0);
  assert.equal(cell(report, 'applications.other.noCorrection.naturalPerson').value, 1);
});

// ---------------------------------------------------------------------------------------------
// 3. A cell placed by a guess, or not found at all, never scores 0.5 or more.

test('a row with fewer values than columns is placed by a guess: every cell of it under 0.5, in a pipe table and one cell per line', async () => {
  // The row loses a cell and its padding (a row that keeps its padding is a row whose last cell is empty).
  const row = '2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||';
  assert.ok(seedText(S000).includes(row));
  const pipe = await convertAs(seedText(S000).replace(row, '2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 |'), 'short.txt');
  const cells = rowCells(pipe, 'applications.notProcessed.duplicate.');
  assert.equal(cells.length, 7);
  assert.ok(cells.every((c) => c.confidence < 0.5), cells.map((c) => `${c.col} ${c.confidence}`).join(' '));
  assert.ok(pipe.warnings.some((w) => w.code === 'ROW_TOO_FEW_VALUES'));
  // One cell per line loses empty cells: seed 002's （一）予以公开 prints six empty cells and a 0.
  const lines = await convertAs(pipeExport(html(S002), { flatten: 'lines' }), 'lines.txt');
  const granted = rowCells(lines, 'applications.granted.');
  assert.equal(granted.length, 7);
  assert.ok(granted.every((c) => c.confidence < 0.5), granted.map((c) => `${c.col} ${c.value} ${c.confidence}`).join(' '));
  // The other rows are whole and stay sure.
  assert.ok(cellsOf(lines).filter((c) => !c.key.startsWith('applications.granted.')).every((c) => c.confidence >= 0.9));
});

test('a row with more values than columns is placed by a guess: under 0.5', async () => {
  const row = '行政强制 | 2 | 0 | 2 |';
  assert.ok(seedText(S000).includes(row));
  const report = await convertAs(seedText(S000).replace(row, '行政强制 | 2 | 0 | 2 | 7 |'), 'overflow.txt');
  const cells = rowCells(report, 'active.coercion.');
  assert.deepEqual(cells.map((c) => c.value), [2, 0, 2]);
  assert.ok(cells.every((c) => c.confidence < 0.5), cells.map((c) => c.confidence).join(' '));
});

test('a label matched only tolerantly where the form\'s order does not confirm it is a guess', async () => {
  // 1.信访举报投诉类申请 lost, 2.重复申请 misread: nothing says the row after 3.补正后… is 2.重复申请.
  const text = seedText(S000)
    .replace(/\(五\)不予处理 \| 1\.信访举报投诉类申请 \|[ |0-9]*\n2\.重复申请/, '(五)不予处理 | | | | | | | | ||\n2.重夏申请');
  assert.ok(text.includes('2.重夏申请') && !text.includes('信访举报'));
  const report = await convertAs(text, 'tolerant.txt');
  const duplicate = rowCells(report, 'applications.notProcessed.duplicate.');
  assert.deepEqual(duplicate.map((c) => c.value), [0, 0, 0, 0, 0, 0, 0]);
  assert.ok(duplicate.every((c) => c.confidence < 0.5), duplicate.map((c) => c.confidence).join(' '));
  const complaint = rowCells(report, 'applications.notProcessed.complaint.');
  assert.equal(complaint.length, 7);
  assert.ok(complaint.every((c) => c.state === 'missing' && c.confidence < 0.5));
  // Where the order confirms it (the row before is there), the same misread label is placed with confidence.
  const misread = seedText(S000).replace('2.重复申请', '2.重夏申请');
  assert.notEqual(misread, seedText(S000));
  const confirmed = await convertAs(misread, 'confirmed.txt');
  assertExpected(confirmed, expectedFor(S000), 'misread label in its place');
  assert.ok(rowCells(confirmed, 'applications.notProcessed.duplicate.').every((c) => c.confidence >= 0.9));
});

test('a table the form requires that the document lacks (表四 of a gov2021 report) is missing under 0.5', async () => {
  const text = seedText(S003);
  const cut = text.slice(0, text.indexOf('四、政府信息公开行政复议、行政诉讼情况')) + text.slice(text.indexOf('五、存在的问题及改进情况'));
  assert.ok(!cut.includes('结果维持'));
  const report = await convertAs(cut, 'no-review.txt');
  assert.equal(report.report.template, 'gov2021');
  const review = report.tables.find((t) => t.id === 'reviewLitigation')!;
  assert.equal(review.found, false);
  assert.equal(review.cells.length, 15);
  assert.ok(review.cells.every((c) => c.state === 'missing' && c.confidence < 0.5), review.cells.map((c) => c.confidence).join(' '));
  assert.ok(report.warnings.some((w) => w.code === 'TABLE_NOT_FOUND'));
});

test('calibration cannot lift a capped cell: a guess, a missing cell', () => {
  const sure = { fittedOn: 'test', groups: { 'markup|short-row|held': Array.from({ length: 10 }, (_, i) => ({ n: i === 9 ? 1000 : 0, right: i === 9 ? 1000 : 0 })) } };
  assert.equal(calibrate({ p: 0.99, group: 'markup|short-row|held' }, sure), 0.9999);
  assert.ok(calibrate({ p: 0.99, group: 'markup|short-row|held', cap: 0.45 }, sure) < 0.5);
  const missing: CanonicalCell = {
    key: 'reviewLitigation.review.total', row: 'review', col: 'total', rowLabel: '行政复议', colLabel: '总计', value: null, unit: '件',
    text: '', state: 'missing', confidence: 0, evidence: { page: null, bbox: null, source: 'markup', genericCell: null }, flags: [], alternatives: [],
  };
  for (const found of [true, false]) {
    const raw = rawConfidence(missing, undefined, [], found);
    const table = { fittedOn: 'test', groups: { [raw.group]: Array.from({ length: 10 }, () => ({ n: 1000, right: 1000 })) } };
    assert.ok(calibrate(raw, table) < 0.5, `${raw.group}: ${calibrate(raw, table)}`);
  }
});

// ---------------------------------------------------------------------------------------------
// 4. Markdown, converter and OCR-service pipe-table exports.

/** Misreadings seen in OCR services' exports: look-alike characters and a dropped character. */
const OCR_MISREADS: [string, string][] = [
  ['已', '己'], // 5.要求行政机关确认或重新出具己获取信息
  ['未', '末'], // 尚末审结, 逾期末按收费…
  ['需要', '需'], // 2.没有现成信息需另行制作
  ['重复申请', '重夏申请'],
  ['第三方', '第三万'],
  ['属于国家秘密', '属于国家秘'],
  ['行政处罚', '行政处'],
];

const EXPORT_STYLES: [string, ExportStyle][] = [
  ['group labels as rows of their own', { groups: 'heading' }],
  ['ASCII punctuation', { ascii: true }],
  ['the header repeated after a page break', { repeatHeaderBefore: '（四）' }],
  ['all three, tab-separated', { groups: 'heading', ascii: true, repeatHeaderBefore: '（四）', flatten: 'tsv' }],
  ['all three, one cell per line', { groups: 'heading', ascii: true, repeatHeaderBefore: '（四）', flatten: 'lines' }],
];

for (const seed of [S000, S002, S003, S004]) {
  for (const [what, style] of EXPORT_STYLES) {
    // One cell per line loses empty cells; seed 002 prints some (its own test is above).
    if (style.flatten === 'lines' && seed === S002) continue;
    test(`seed ${seed} exported with ${what}: the expected cells, each placed with confidence`, async () => {
      const text = pipeExport(html(seed), style);
      if (style.ascii) assert.ok(!/[、（）]/.test(text.slice(text.indexOf('三、收到和处理') + 8, text.indexOf('四、政府信息公开行政复议'))), 'the labels are ASCII');
      if (style.groups === 'heading') assert.ok(/^\| ?[（(]三[)）]不予公开 \|[ |]*$|^[（(]三[)）]不予公开$|^[（(]三[)）]不予公开\t/m.test(text), 'a group label has a row of its own');
      const report = await convertAs(text, 'export.md');
      assertExpected(report, expectedFor(seed), `${seed} with ${what}`);
      assertNoGuess(report, `${seed} with ${what}`, 0.9);
    });
  }
  test(`seed ${seed} exported by an OCR service that misreads labels: matched tolerantly, confirmed by the form's order`, async () => {
    const text = pipeExport(html(seed), { misread: OCR_MISREADS });
    assert.ok(text.includes('重夏申请') && text.includes('第三万'));
    const report = await convertAs(text, 'ocr.md');
    assertExpected(report, expectedFor(seed), `${seed} with misread labels`);
    assertNoGuess(report, `${seed} with misread labels`);
  });
}

test('a tolerant match does not take another row\'s label: 1. worded like row 2. stays off row 2', async () => {
  // （六）'s first sub-row printed with the second's words: it is row 1 by its numbering, and row 2's
  // own label follows. Row 2 keeps its own values; row 1 is not found rather than stolen.
  const text = pipeExport(html(S003), { misread: [['1.申请人无正当理由逾期不补正', '1.申请人逾期未按收费']] });
  assert.ok(text.includes('1.申请人逾期未按收费、'));
  const report = await convertAs(text, 'steal.md');
  const unpaid = rowCells(report, 'applications.other.unpaidFee.');
  assert.deepEqual(unpaid.map((c) => c.value), [0, 0, 0, 0, 0, 0, 0]);
  const expected = expectedFor(S003).cells;
  const wrong = cellsOf(report).filter((c) => c.key in expected && (c.value !== expected[c.key] || c.state === 'missing'));
  assert.ok(wrong.length > 0 && wrong.every((c) => c.confidence < 0.5), wrong.map((c) => `${c.key} ${c.value} ${c.confidence}`).join(' '));
});

test('the ASCII numbering of exports (1、 1, 一. 一,) is the form\'s', async () => {
  // The ASCII export already prints 、 as , (一, 二, …): 一, stays, 二, becomes 二., 1. becomes 1、, 2. becomes 2,.
  const ascii = pipeExport(html(S003), { ascii: true });
  assert.ok(ascii.includes('| 一,本年新收') && ascii.includes('| 二,上年结转'));
  const dotted = ascii.replace(/\| 二,/g, '| 二.');
  assert.notEqual(dotted, ascii);
  const ideographic = dotted.replace(/\| 1\./g, '| 1、');
  assert.notEqual(ideographic, dotted);
  const text = ideographic.replace(/\| 2\./g, '| 2,');
  assert.notEqual(text, ideographic);
  assert.ok(text.includes('| 一,本年新收') && text.includes('| 二.上年结转') && text.includes('| 1、') && text.includes('| 2,没有现成信息'));
  assert.ok(!text.includes('| 二,'));
  const report = await convertAs(text, 'numbering.md');
  assertExpected(report, expectedFor(S003), 'ASCII numbering');
  assertNoGuess(report, 'ASCII numbering', 0.9);
});
