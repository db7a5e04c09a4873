/**
 * PDF extractor tests: the real fixtures (skipped when ../shared/fixtures/real is absent) and small PDFs
 * written by hand here (errors, JavaScript, huge image, page-break merge, borderless table).
 * Run: node --import tsx --test test/pdf-extract.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extractPdf } from '../src/extract/pdf/index.js';
import { ConvertError } from '../src/intake/errors.js';
import type { LayoutCell, LayoutDocument, LayoutGrid } from '../src/layout/types.js';
import { ALPHABET, buildPdf, docWithPages, lettersTo, ruledTable, stream, text, toUnicode } from './support/pdf.js';

/** Taken before any test loads pdf.js (loadPdfJs is lazy). */
const nativePush = Array.prototype.push;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const realDir = path.resolve(repoRoot, '../shared/fixtures/real');
const expectedDirs = [path.resolve(repoRoot, '../shared/fixtures/expected'), path.resolve(repoRoot, 'samples/expected')];

// ---------------------------------------------------------------------------------------------------
// Helpers

const squash = (s: string) => s.replace(/\s+/g, '');
const isNumber = (s: string) => /^-?\d+(\.\d+)?$/.test(squash(s));

function grids(doc: LayoutDocument): LayoutGrid[] {
  return doc.blocks.filter((b): b is LayoutGrid => b.kind === 'grid');
}

function rowCells(g: LayoutGrid, row: number): LayoutCell[] {
  return g.cells.filter((c) => c.row === row).sort((a, b) => a.col - b.col);
}

/** The row whose label cell contains `label`; its number cells in column order. */
function numbersOfRow(g: LayoutGrid, label: string): { cells: LayoutCell[]; row: number } {
  const hit = g.cells.find((c) => squash(c.text).includes(squash(label)));
  assert.ok(hit, `no cell with label ${label}`);
  // The number cells sit on the last row the label covers (a label spans rows only in group columns).
  const row = hit.row + hit.rowSpan - 1;
  return { cells: rowCells(g, row).filter((c) => isNumber(c.text)), row };
}

function loadExpected(name: string): Record<string, number | null> {
  for (const dir of expectedDirs) {
    const f = path.join(dir, `${name}.json`);
    if (existsSync(f)) return JSON.parse(readFileSync(f, 'utf8')).cells;
  }
  throw new Error(`expected values for ${name} not found`);
}

const APPLICANT_COLS = ['naturalPerson', 'commercial', 'research', 'socialWelfare', 'legalService', 'otherOrg', 'total'];

async function expectError(p: Promise<unknown>, code: string, status: number): Promise<ConvertError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ConvertError, `expected ConvertError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.status, status);
    return err;
  }
  assert.fail(`expected ${code}`);
}

// ---------------------------------------------------------------------------------------------------
// Real reports

const REAL = [
  { file: 'huaian-city-2024', pages: 6 },
  { file: 'huaian-hongze-2024', pages: 5 },
];

for (const { file, pages } of REAL) {
  test(`real PDF ${file}: 表三, 表四 and 表二 values in their cells`, async (t) => {
    const pdf = path.join(realDir, `${file}.pdf`);
    if (!existsSync(pdf)) {
      t.skip(`${realDir} absent`);
      return;
    }
    const exp = loadExpected(file);
    const bytes = new Uint8Array(readFileSync(pdf));
    const doc = await extractPdf(bytes, { maxPages: 100, maxPixels: 1e8 });
    assert.equal(bytes.length, readFileSync(pdf).length, 'the caller’s bytes are left intact');
    assert.equal(doc.pages.length, pages);
    assert.ok(doc.pages.every((p) => p.source === 'text-layer' && p.width === 595 && p.height === 842));
    assert.deepEqual(doc.warnings, []);

    // 表三: one grid over the page break, 7 value columns in fixed positions.
    const t3 = grids(doc).find((g) => g.cells.some((c) => squash(c.text).includes('本年新收政府信息公开申请数量')));
    assert.ok(t3, '表三 grid');
    assert.equal(t3.structure, 'ruled');
    assert.equal(t3.cols, 10);
    const t3Pages = new Set(t3.cells.map((c) => c.page));
    assert.equal(t3Pages.size, 2, '表三 is merged over two pages');
    assert.equal(t3.continuedFrom, Math.min(...t3Pages));
    const rows: [string, string][] = [
      ['一、本年新收政府信息公开申请数量', 'applications.newReceived'],
      ['二、上年结转政府信息公开申请数量', 'applications.carriedOver'],
      ['(一)予以公开', 'applications.granted'],
      ['1.属于国家秘密', 'applications.denied.stateSecret'],
      ['1.本机关不掌握相关政府信息', 'applications.unavailable.notHeld'],
      ['1.信访举报投诉类申请', 'applications.notProcessed.complaint'],
      ['(七)总计', 'applications.total'],
      ['四、结转下年度继续办理', 'applications.carriedForward'],
    ];
    for (const [label, key] of rows) {
      const { cells } = numbersOfRow(t3, label);
      assert.deepEqual(
        cells.map((c) => Number(c.text)),
        APPLICANT_COLS.map((col) => exp[`${key}.${col}`]),
        `表三 row ${label}`,
      );
      assert.deepEqual(
        cells.map((c) => c.col),
        [3, 4, 5, 6, 7, 8, 9],
        `表三 row ${label}: value columns`,
      );
    }
    // The vertical group label and a label cut by the page break are whole.
    assert.ok(t3.cells.some((c) => squash(c.text) === '三、本年度办理结果' && c.rowSpan > 15));
    const unavailable = t3.cells.find((c) => squash(c.text) === '(四)无法提供');
    assert.ok(unavailable && unavailable.rowSpan === 3, '(四)无法提供 spans its 3 rows over the break');

    // 表四: one row of 15 numbers.
    const t4 = grids(doc).find((g) => g.cells.some((c) => c.text.includes('行政复议')) && g.cols === 15);
    assert.ok(t4, '表四 grid');
    const t4Row = rowCells(t4, t4.rows - 1);
    const t4Keys = ['review', 'litigationDirect', 'litigationAfterReview'].flatMap((g) => ['upheld', 'corrected', 'other', 'pending', 'total'].map((k) => `reviewLitigation.${g}.${k}`));
    assert.deepEqual(
      t4Row.map((c) => Number(c.text)),
      t4Keys.map((k) => exp[k]),
    );

    // 表二: four sub-tables in one grid, continued over a page break.
    const t2 = grids(doc).find((g) => g.cells.some((c) => squash(c.text).includes('第二十条第(一)项')));
    assert.ok(t2, '表二 grid');
    assert.equal(new Set(t2.cells.map((c) => c.page)).size, 2);
    assert.deepEqual(
      numbersOfRow(t2, '行政规范性文件').cells.map((c) => Number(c.text)),
      ['issued', 'repealed', 'inForce'].map((k) => exp[`active.normativeDocuments.${k}`]),
    );
    for (const [label, key] of [
      ['行政许可', 'active.licensing.decisions'],
      ['行政处罚', 'active.penalty.decisions'],
      ['行政强制', 'active.coercion.decisions'],
      ['行政事业性收费', 'active.fees.amount'],
    ]) {
      assert.deepEqual(numbersOfRow(t2, label).cells.map((c) => Number(c.text)), [exp[key]], `表二 ${label}`);
    }

    // Page footers (-3-, - 3 -) are neither in grids nor lines; every cell has its page and a bbox.
    const footer = /^[-－—–]\s*\d+\s*[-－—–]$|^第\d+页$/;
    for (const g of grids(doc)) {
      for (const c of g.cells) {
        assert.ok(!footer.test(c.text.trim()), `footer text in a grid: ${c.text}`);
        assert.ok(Number.isInteger(c.page) && c.page >= 1 && c.page <= pages);
        assert.ok(c.bbox && c.bbox.length === 4, 'cell bbox');
        const [x0, y0, x1, y1] = c.bbox;
        assert.ok(x0 < x1 && y0 < y1 && x0 >= 0 && y1 <= 842, `cell bbox ${c.bbox}`);
      }
    }
    for (const b of doc.blocks) if (b.kind === 'line') assert.ok(!footer.test(b.text.trim()), `footer line: ${b.text}`);
  });
}

test('real PDF cut in half is refused as PDF_CORRUPT', async (t) => {
  const pdf = path.join(realDir, 'huaian-hongze-2024.pdf');
  if (!existsSync(pdf)) {
    t.skip(`${realDir} absent`);
    return;
  }
  const all = new Uint8Array(readFileSync(pdf));
  const err = await expectError(extractPdf(all.slice(0, all.length >> 1), { maxPages: 100, maxPixels: 1e8 }), 'PDF_CORRUPT', 422);
  assert.match(err.message, /truncated/);
});

test('real PDF over the page limit: TOO_MANY_PAGES', async (t) => {
  const pdf = path.join(realDir, 'huaian-city-2024.pdf');
  if (!existsSync(pdf)) {
    t.skip(`${realDir} absent`);
    return;
  }
  const err = await expectError(extractPdf(new Uint8Array(readFileSync(pdf)), { maxPages: 3, maxPixels: 1e8 }), 'TOO_MANY_PAGES', 413);
  assert.equal(err.message, 'The PDF has 6 pages; the limit is 3 (XXGK_MAX_PAGES)');
});

test('dropping pdf.js font caches between pages changes nothing in the layout', async () => {
  // Chrome embeds about a hundred font subsets per page and later pages reuse them: with a limit of 8
  // the caches are dropped after every page and the shared fonts are parsed again.
  const bytes = readFileSync(path.join(repoRoot, 'samples/pdf/003_7d78940555e26d72.chrome.pdf'));
  const kept = await extractPdf(new Uint8Array(bytes), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  const dropped = await extractPdf(new Uint8Array(bytes), { maxPages: 10, maxPixels: 1e8 }, { ocr: false, fontCacheLimit: 8 });
  const t3 = grids(kept).find((g) => g.cells.some((c) => squash(c.text).includes('本年新收政府信息公开申请数量')));
  assert.ok(t3 && t3.cells.filter((c) => isNumber(c.text)).length > 100, '表三 with its numbers');
  assert.deepEqual(dropped, kept);
});

test('after pdf.js has read a PDF, Array.prototype.push is still the native one', async () => {
  // pdf.js's core-js swaps it for a slow polyfill (whose toString still says [native code]);
  // loadPdfJs puts the native one back.
  await extractPdf(new Uint8Array(readFileSync(path.join(repoRoot, 'samples/pdf/000_ac416d85e5af171b.chrome.pdf'))), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.equal(Array.prototype.push, nativePush);
});

// ---------------------------------------------------------------------------------------------------
// Hand-written PDFs

test('a truncated hand-written PDF is PDF_CORRUPT', async () => {
  const whole = docWithPages([text(72, 700, 'Hello')], '', ['<< >>']);
  await expectError(extractPdf(whole.slice(0, 60), { maxPages: 10, maxPixels: 1e8 }, { ocr: false }), 'PDF_CORRUPT', 422);
  await expectError(extractPdf(new TextEncoder().encode('hello, not a pdf'), { maxPages: 10, maxPixels: 1e8 }, { ocr: false }), 'PDF_CORRUPT', 422);
  await expectError(extractPdf(new Uint8Array(0), { maxPages: 10, maxPixels: 1e8 }, { ocr: false }), 'PDF_CORRUPT', 422);
});

test('a PDF with zero pages is PDF_NO_PAGES', async () => {
  const bytes = buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
  await expectError(extractPdf(bytes, { maxPages: 10, maxPixels: 1e8 }, { ocr: false }), 'PDF_NO_PAGES', 422);
});

test('a password-protected PDF is PDF_ENCRYPTED', async () => {
  // Standard security handler, RC4 40-bit; O and U do not match the empty password, so it needs one.
  const o = 'a1'.repeat(32);
  const u = 'b2'.repeat(32);
  const bytes = buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      `<< /Filter /Standard /V 1 /R 2 /O <${o}> /U <${u}> /P -44 >>`,
    ],
    '/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]',
  );
  const err = await expectError(extractPdf(bytes, { maxPages: 10, maxPixels: 1e8 }, { ocr: false }), 'PDF_ENCRYPTED', 422);
  assert.match(err.message, /encrypted/);
});

test('document JavaScript is ignored and the text extracts', async () => {
  const js = '<< /S /JavaScript /JS (app.alert\\("boom"\\); this.exportDataObject\\({cName: "x"}\\);) >>';
  const bytes = docWithPages([text(72, 700, 'Hello from a PDF with JavaScript', 12)], `/OpenAction 5 0 R /AA << /WC 5 0 R >>`, ['<< >>', js]);
  const doc = await extractPdf(bytes, { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.equal(doc.pages[0].source, 'text-layer');
  const lines = doc.blocks.filter((b) => b.kind === 'line');
  assert.deepEqual(
    lines.map((l) => l.text),
    ['Hello from a PDF with JavaScript'],
  );
  const line = lines[0];
  assert.equal(line.page, 1);
  assert.equal(line.source, 'text-layer');
  assert.equal(line.confidence, 1);
  // Baseline at y = 700 from the bottom: the box sits around 842 - 700 = 142 from the top.
  const [x0, y0, x1, y1] = line.bbox!;
  assert.ok(Math.abs(x0 - 72) < 1 && y0 > 125 && y0 < 142 && y1 > 142 && y1 < 146 && x1 > 200, `bbox ${line.bbox}`);
});

test('a page declaring a huge image neither renders nor hangs; it is marked for OCR', async () => {
  const image = `<< /Type /XObject /Subtype /Image /Width 200000 /Height 200000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\nabcd\nendstream`;
  const bytes = docWithPages(['q 595 0 0 842 0 0 cm /Im1 Do Q\n'], '', [image]);
  const t0 = Date.now();
  const doc = await extractPdf(bytes, { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.ok(Date.now() - t0 < 5000, 'finishes quickly');
  assert.equal(doc.pages[0].source, 'ocr');
  assert.deepEqual(doc.blocks, []);
  assert.equal(doc.warnings[0].code, 'PAGE_NEEDS_OCR');
  assert.equal(doc.warnings[0].page, 1);
});

test('an invisible text layer over a page-sized image (a searchable scan) goes to OCR; visible text over it does not', async () => {
  const image = `<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\nabcd\nendstream`;
  const lines = Array.from({ length: 12 }, (_, i) => `BT /F1 10 Tf 72 ${760 - 20 * i} Td (Line ${i} of the report with 12345 and 678) Tj ET`);
  const page = (mode: number) => `q 595 0 0 842 0 0 cm /Im1 Do Q\n${lines.map((l) => l.replace('BT ', `BT ${mode} Tr `)).join('\n')}\n`;
  const searchable = await extractPdf(docWithPages([page(3)], '', [image]), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.equal(searchable.pages[0].source, 'ocr');
  assert.equal(searchable.warnings[0].code, 'PAGE_NEEDS_OCR');
  assert.match(searchable.warnings[0].message, /invisible layer over a scanned image/);
  const visible = await extractPdf(docWithPages([page(0)], '', [image]), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.equal(visible.pages[0].source, 'text-layer');
  assert.equal(visible.blocks.filter((b) => b.kind === 'line').length, 12);
});

test('a text layer of private-use glyphs is not trusted', async () => {
  const font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>';
  const lines = Array.from({ length: 6 }, (_, i) => text(72, 780 - 20 * i, ALPHABET, 10, 'F2')).join('');
  const bytes = docWithPages([lines], '', ['<< >>', toUnicode(lettersTo(0xe000)), font], '/F1 3 0 R /F2 6 0 R');
  const doc = await extractPdf(bytes, { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.equal(doc.pages[0].source, 'ocr');
  assert.match(doc.warnings[0].message, /private-use/);
});

test('mojibake (Latin-1 letters for Chinese) is not trusted', async () => {
  // WinAnsi bytes 0xC0–0xFF are À…ÿ: what GBK text looks like when read as Latin-1.
  const junk = Array.from({ length: 40 }, (_, i) => `\\${(0o300 + ((i * 7) % 64)).toString(8)}`).join('');
  const lines = Array.from({ length: 8 }, (_, i) => text(72, 780 - 20 * i, junk)).join('');
  const doc = await extractPdf(docWithPages([lines], '', ['<< >>']), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.equal(doc.pages[0].source, 'ocr');
  assert.match(doc.warnings[0].message, /mojibake/);
});

test('Kangxi radicals (Chrome PDFs) are folded by NFKC', async () => {
  // A → ⼀ (U+2F00, 一), B → ⼈ (U+2F08, 人), C → ⾃ (U+2F83, 自), D → ⻓ (U+2ED3, 长).
  const font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>';
  const cmap = toUnicode([
    [0x41, '2f00'],
    [0x42, '2f08'],
    [0x43, '2f83'],
    [0x44, '2ed3'],
  ]);
  const doc = await extractPdf(docWithPages([text(72, 700, 'ABCD', 12, 'F2')], '', ['<< >>', cmap, font], '/F2 6 0 R'), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.deepEqual(
    doc.blocks.map((b) => (b.kind === 'line' ? b.text : '')),
    ['一人自长'],
  );
});

test('(cid:N) garbage in the text layer is not trusted', async () => {
  const garbage = Array.from({ length: 12 }, (_, i) => text(72, 780 - 20 * i, '(cid:12)(cid:345)(cid:67) (cid:8)(cid:90)'.replace(/[()]/g, (c) => `\\${c}`))).join('');
  const doc = await extractPdf(docWithPages([garbage, text(72, 700, 'A normal page of text that is fine.')], '', ['<< >>']), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  assert.equal(doc.pages[0].source, 'ocr');
  assert.equal(doc.pages[1].source, 'text-layer');
  assert.deepEqual(
    doc.warnings.map((w) => [w.code, w.page]),
    [['PAGE_NEEDS_OCR', 1]],
  );
  assert.ok(doc.blocks.every((b) => b.page === 2));
});

test('a ruled table over a page break is one grid: footers dropped, repeated header removed', async () => {
  const xs = [60, 220, 340, 460];
  const head = ['Item', 'Made', 'Total'];
  const rows1 = Array.from({ length: 30 }, (_, i) => [`Row ${i + 1}`, String(i + 1), String(10 * (i + 1))]);
  const rows2 = Array.from({ length: 5 }, (_, i) => [`Row ${i + 31}`, String(i + 31), String(10 * (i + 31))]);
  const page1 = text(60, 780, 'Report title', 14) + ruledTable(xs, 740, 20, [head, ...rows1]) + text(280, 40, '- 1 -');
  const page2 = text(260, 815, '- 2 -') + ruledTable(xs, 780, 20, [head, ...rows2]) + text(60, 600, 'Text after the table.') + text(290, 40, '-2-');
  const doc = await extractPdf(docWithPages([page1, page2], '', ['<< >>']), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  const gs = grids(doc);
  assert.equal(gs.length, 1);
  const g = gs[0];
  assert.equal(g.structure, 'ruled');
  assert.equal(g.rows, 1 + 30 + 5);
  assert.equal(g.cols, 3);
  assert.equal(g.page, 1);
  assert.equal(g.continuedFrom, 1);
  assert.deepEqual(
    rowCells(g, 0).map((c) => c.text),
    head,
  );
  assert.deepEqual(
    rowCells(g, 31).map((c) => [c.text, c.page]),
    [
      ['Row 31', 2],
      ['31', 2],
      ['310', 2],
    ],
  );
  assert.equal(g.cells.filter((c) => c.text === 'Item').length, 1, 'the repeated header is gone');
  const lastOnPage1 = rowCells(g, 30);
  assert.deepEqual(
    lastOnPage1.map((c) => [c.text, c.page]),
    [
      ['Row 30', 1],
      ['30', 1],
      ['300', 1],
    ],
  );
  // Cell boxes are in their own page's points (top-left origin).
  assert.deepEqual(rowCells(g, 31)[0].bbox, [60, 82, 220, 102]);
  assert.deepEqual(
    doc.blocks.filter((b) => b.kind === 'line').map((b) => (b.kind === 'line' ? b.text : '')),
    ['Report title', 'Text after the table.'],
  );
});

test('tables whose columns differ are not merged over a page break', async () => {
  const page1 = ruledTable([60, 220, 340, 460], 300, 20, [
    ['A', '1', '2'],
    ['B', '3', '4'],
  ]);
  const page2 = ruledTable([60, 150, 500], 780, 20, [
    ['C', '5'],
    ['D', '6'],
  ]);
  const doc = await extractPdf(docWithPages([page1, page2], '', ['<< >>']), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  const gs = grids(doc);
  assert.equal(gs.length, 2);
  assert.ok(gs.every((g) => g.continuedFrom === null));
});

test('spanning cells come out with rowSpan and colSpan', async () => {
  // 3 × 3 grid; the top row is one cell over 3 columns, the left column below it one cell over 2 rows.
  const s =
    '0.5 w\n' +
    '60 700 m 360 700 l S\n60 680 m 360 680 l S\n160 660 m 360 660 l S\n60 640 m 360 640 l S\n' +
    '60 700 m 60 640 l S\n360 700 m 360 640 l S\n160 680 m 160 640 l S\n260 680 m 260 640 l S\n' +
    text(64, 686, 'Caption') +
    text(64, 666, 'Group') +
    text(164, 666, '1') +
    text(264, 666, '2') +
    text(164, 646, '3') +
    text(264, 646, '4');
  const doc = await extractPdf(docWithPages([s], '', ['<< >>']), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  const g = grids(doc)[0];
  assert.equal(g.rows, 3);
  assert.equal(g.cols, 3);
  const pick = (c: LayoutCell) => [c.row, c.col, c.rowSpan, c.colSpan, c.text];
  assert.deepEqual(g.cells.map(pick), [
    [0, 0, 1, 3, 'Caption'],
    [1, 0, 2, 1, 'Group'],
    [1, 1, 1, 1, '1'],
    [1, 2, 1, 1, '2'],
    [2, 1, 1, 1, '3'],
    [2, 2, 1, 1, '4'],
  ]);
});

test('a borderless table becomes an aligned grid', async () => {
  let s = text(60, 780, 'Statistics', 14) + text(60, 750, 'The table below has no rules at all.');
  const rows = [
    ['Item', 'Made', 'Repealed', 'In force'],
    ['Rules', '1', '0', '11'],
    ['Normative documents', '8', '26', '66'],
    ['Licences', '447228', '', '5'],
  ];
  const xs = [60, 250, 330, 420];
  rows.forEach((r, i) => r.forEach((t, c) => t && (s += text(xs[c], 710 - 18 * i, t))));
  s += text(60, 600, 'A paragraph after the table.');
  const doc = await extractPdf(docWithPages([s], '', ['<< >>']), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
  const gs = grids(doc);
  assert.equal(gs.length, 1);
  const g = gs[0];
  assert.equal(g.structure, 'aligned');
  assert.equal(g.rows, 4);
  assert.equal(g.cols, 4);
  for (let r = 0; r < rows.length; r++) {
    assert.deepEqual(
      rowCells(g, r).map((c) => c.text),
      rows[r],
      `row ${r}`,
    );
  }
  assert.deepEqual(
    doc.blocks.map((b) => (b.kind === 'line' ? b.text : `grid ${b.rows}x${b.cols}`)),
    ['Statistics', 'The table below has no rules at all.', 'grid 4x4', 'A paragraph after the table.'],
  );
});
