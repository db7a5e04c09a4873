/**
 * Print and scan quirks (issue 11): watermarks drawn as real text in a PDF, a red official seal over a
 * colour scan's numbers, a photographed page, 〇 and O for zero in numeric cells, and the skewed JPEG
 * scans of a 表四 and of a legacy 统计表. The samples are in samples/scans (scripts/ocr/make-print-variants.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { compare, type CellOutcome, type Expected } from '../src/eval/expected.js';
import { numericLines, repairNumber } from '../src/extract/ocr/numbers.js';
import { applyHomography, findPageQuad, homography } from '../src/extract/ocr/photo.js';
import { extractPdf } from '../src/extract/pdf/index.js';
import { closeOcrPool } from '../src/extract/ocr/pool.js';
import type { Report } from '../src/model/report.js';
import { convert } from '../src/pipeline.js';
import { samplesDir } from './support/fixtures.js';
import { docWithPages, ruledTable, text } from './support/pdf.js';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

interface ScanEntry {
  file: string;
  seed: string;
  expected: string;
  route: string;
  variant: string;
  degradation: number;
  seal?: { cx: number; cy: number; r: number };
  corners?: [number, number][];
}

const manifest = JSON.parse(readFileSync(join(samplesDir, 'scans', 'manifest.json'), 'utf8')) as ScanEntry[];
const entry = (variant: string, seed?: string) => {
  const e = manifest.find((m) => m.variant === variant && (!seed || m.seed === seed));
  assert.ok(e, `samples/scans/manifest.json has a ${variant} sample`);
  return e;
};
const expectedOf = (e: { expected: string }) => JSON.parse(readFileSync(join(samplesDir, e.expected), 'utf8')) as Expected;
const describeCells = (cells: CellOutcome[]) => cells.map((c) => `${c.key}: expected ${c.expected}, got ${c.got} (${c.state}, conf ${c.confidence})`);
const cellsOf = (r: Report) => r.tables.flatMap((t) => t.cells).map((c) => ({ key: c.key, state: c.state, value: c.value, confidence: c.confidence }));

after(async () => {
  await closeOcrPool();
});

async function convertEntry(e: ScanEntry): Promise<Report> {
  return convert(readFileSync(join(samplesDir, e.file)), { filename: e.file.split('/').pop() });
}

/** Scans whose agency OCR misreads, and why: their agency problem is not counted. Every other scan's is. */
const AGENCY_MISREAD: Record<string, string> = {
  '004_a98acada5b20935e': 'OCR reads 岩垅乡 as 岩城乡 on every 004 scan',
};

/** Cells not right, and document problems (the agency's too, unless AGENCY_MISREAD names the scan's seed). */
function mismatches(report: Report, e: ScanEntry): { wrong: string[]; problems: string[] } {
  const { cells, problems } = compare(report, expectedOf(e));
  const agencyMisread = e.seed in AGENCY_MISREAD;
  return { wrong: describeCells(cells.filter((c) => !c.right)), problems: problems.filter((p) => !(agencyMisread && p.startsWith('agency'))) };
}

describe('watermarks drawn as text in a PDF are page furniture', () => {
  for (const variant of ['watermark-diagonal', 'watermark-faint']) {
    test(`${variant}: every cell as in the clean PDF, and the watermark is reported`, async () => {
      const e = entry(variant);
      const marked = await convert(readFileSync(join(samplesDir, e.file)), { filename: 'marked.pdf' });
      const clean = await convert(readFileSync(join(samplesDir, 'pdf', `${e.seed}.chrome.pdf`)), { filename: 'clean.pdf' });
      assert.equal(marked.source.route, 'pdf-text');
      const { cells, problems } = compare(marked, expectedOf(e));
      assert.deepEqual(describeCells(cells.filter((c) => !c.right)), []);
      assert.deepEqual(problems, []);
      assert.deepEqual(cellsOf(marked), cellsOf(clean));
      const w = marked.warnings.find((x) => x.code === 'PDF_WATERMARK');
      assert.ok(w, 'a PDF_WATERMARK warning');
      assert.match(w.message, /仅供参考/);
      assert.ok(!clean.warnings.some((x) => x.code === 'PDF_WATERMARK'), 'the clean PDF has none');
    });
  }

  test('a watermark in the page content (rotated Tm, light grey, ca 0.2) is dropped; white-on-dark and vertical text stay', async () => {
    const xs = [60, 220, 340, 460];
    // The header row is shaded dark and printed in white; a vertical label runs down the first column.
    const header = '0.2 0.2 0.2 rg 60 742 400 20 re f 1 1 1 rg\n' + text(64, 748, 'Item') + text(224, 748, 'Count') + text(344, 748, 'Total') + '0 0 0 rg\n';
    const body = ruledTable(xs, 762, 20, [['', '', ''], ['alpha', '12', '34'], ['beta', '5', '6'], ['gamma', '7', '0']]);
    const vertical = 'BT /F1 9 Tf 0 1 -1 0 40 670 Tm (SIDE) Tj ET\n';
    const c = Math.SQRT1_2.toFixed(4);
    const marks = [
      // Diagonal, mid grey, opaque: over the body's numbers.
      `BT 0.55 g /F1 28 Tf ${c} ${c} -${c} ${c} 200 640 Tm (DRAFT 2024) Tj ET\n`,
      // Level, light grey: across the rows.
      `BT 0.8 g /F1 14 Tf 1 0 0 1 250 705 Tm (DRAFT 99) Tj ET\n`,
      // Level, black, 20 % opaque (ExtGState /GS1).
      `q /GS1 gs BT 0 g /F1 14 Tf 1 0 0 1 250 685 Tm (COPY 7) Tj ET Q\n`,
    ].join('');
    const page = header + body + vertical + marks + text(60, 600, 'This page has enough text of its own to stand beside its watermark.');
    const gs = '<< /Type /ExtGState /ca 0.2 /CA 0.2 >>';
    const pdf = docWithPages([page], '', ['<< >>', gs], '/F1 3 0 R >> /ExtGState << /GS1 5 0 R');
    const doc = await extractPdf(pdf, { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
    const grid = doc.blocks.find((b) => b.kind === 'grid');
    assert.ok(grid && grid.kind === 'grid');
    const rows = new Map<number, string[]>();
    for (const cell of grid.cells) rows.set(cell.row, [...(rows.get(cell.row) ?? []), cell.text]);
    assert.deepEqual([...rows.values()], [['Item', 'Count', 'Total'], ['alpha', '12', '34'], ['beta', '5', '6'], ['gamma', '7', '0']]);
    const lines = doc.blocks.filter((b) => b.kind === 'line').map((b) => (b.kind === 'line' ? b.text : ''));
    assert.ok(lines.includes('SIDE'), `vertical text kept: ${JSON.stringify(lines)}`);
    assert.ok(!lines.some((l) => /DRAFT|COPY/.test(l)), `watermark left out: ${JSON.stringify(lines)}`);
    assert.ok(doc.warnings.some((w) => w.code === 'PDF_WATERMARK'));
  });

  test('a page printed all in light grey is read as it is (faint only beside darker text)', async () => {
    const page = '0.75 g\n' + text(60, 700, 'Everything on this page is printed in a light grey ink.') + text(60, 680, 'It is still the page, not a watermark.');
    const doc = await extractPdf(docWithPages([page], '', ['<< >>']), { maxPages: 10, maxPixels: 1e8 }, { ocr: false });
    assert.deepEqual(doc.blocks.map((b) => (b.kind === 'line' ? b.text : '')), ['Everything on this page is printed in a light grey ink.', 'It is still the page, not a watermark.']);
    assert.ok(!doc.warnings.some((w) => w.code === 'PDF_WATERMARK'));
  });
});

describe('〇 and O read in a numeric cell are 0', () => {
  test('look-alikes of zero are repaired; text that is no number is not', () => {
    for (const z of ['〇', '○', 'O', 'o', 'Ο', 'О']) assert.equal(repairNumber(z), '0', z);
    assert.equal(repairNumber('1〇'), '10');
    assert.equal(repairNumber('2O5'), '205');
    assert.equal(repairNumber('二〇二三年'), null);
    assert.equal(repairNumber('Other'), null);
  });

  test('a cell is numeric by its row as well as its column: 表四 has one value row under header cells', () => {
    const header = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
    const cells = [
      ...header.map((text, col) => ({ row: 0, col, text })),
      ...['0', '0', '〇', 'O', '〇'].map((text, col) => ({ row: 1, col, text })),
    ];
    const { rows, cols } = numericLines(cells);
    assert.deepEqual([...rows], [1]);
    // Each column holds one header and one value: no column is numeric on its own.
    assert.deepEqual([...cols], []);
    // A legacy table's last row continued alone on the next page: label, unit, two values.
    const tail = numericLines([{ row: 0, col: 0, text: '行政诉讼数' }, { row: 0, col: 1, text: '件' }, { row: 0, col: 2, text: '0' }, { row: 0, col: 3, text: '〇' }]);
    assert.deepEqual([...tail.rows], [0]);
    // A header row is no numeric row even when a cell reads like one.
    assert.deepEqual([...numericLines([{ row: 0, col: 0, text: '指标名称' }, { row: 0, col: 1, text: '单位' }, { row: 0, col: 2, text: '2018' }, { row: 0, col: 3, text: '历年累计' }]).rows], []);
  });
});

describe('a red official seal over 表三 on a colour scan', () => {
  /** Printed cells whose box reaches into the seal's circle, and the others; bbox and circle in the same unit. */
  function bySeal(report: Report, seal: { cx: number; cy: number; r: number }, unit = 1) {
    const cx = seal.cx * unit;
    const cy = seal.cy * unit;
    const r = seal.r * unit;
    const under: { key: string; confidence: number }[] = [];
    const away: { key: string; confidence: number }[] = [];
    for (const c of report.tables.flatMap((t) => t.cells)) {
      if (c.state === 'missing' || !c.evidence.bbox) continue;
      const [x0, y0, x1, y1] = c.evidence.bbox;
      const nx = Math.max(x0, Math.min(cx, x1));
      const ny = Math.max(y0, Math.min(cy, y1));
      (Math.hypot(nx - cx, ny - cy) < r ? under : away).push({ key: c.key, confidence: c.confidence });
    }
    return { under, away };
  }

  test('image: the red ink is dropped before OCR, every cell exact, the cells its ink covers are below 0.9', async () => {
    const e = entry('seal');
    assert.ok(e.seal);
    const report = await convertEntry(e);
    assert.deepEqual(mismatches(report, e), { wrong: [], problems: [] });
    assert.ok(report.warnings.some((w) => w.code === 'OCR_RED_INK'), 'an OCR_RED_INK warning');
    const { under, away } = bySeal(report, e.seal);
    // The ink covers the digits of some of the cells its circle reaches (ring, star, characters).
    assert.ok(under.filter((c) => c.confidence < 0.9).length >= 8, JSON.stringify(under));
    assert.deepEqual(away.filter((c) => c.confidence < 0.9), [], 'no cell away from the seal lost confidence');
  });

  test('scanned PDF: the same colour page as a JPEG in a PDF reads alike', async () => {
    const e = entry('seal');
    const jpg = readFileSync(join(samplesDir, e.file));
    const doc = await PDFDocument.create();
    const img = await doc.embedJpg(jpg);
    const page = doc.addPage([(img.width * 72) / 300, (img.height * 72) / 300]);
    page.drawImage(img, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
    const report = await convert(await doc.save(), { filename: 'sealed.pdf' });
    assert.equal(report.source.route, 'pdf-ocr');
    assert.deepEqual(mismatches(report, e), { wrong: [], problems: [] });
    assert.ok(report.warnings.some((w) => w.code === 'OCR_RED_INK'));
    const { under, away } = bySeal(report, e.seal!, 72 / 300);
    assert.ok(under.filter((c) => c.confidence < 0.9).length >= 8, JSON.stringify(under));
    assert.deepEqual(away.filter((c) => c.confidence < 0.9), []);
  });
});

describe('zeros printed as 〇 and O', () => {
  test('〇 in 表三 and O in 表四 are read as 0 with confidence; the labels keep their characters', async () => {
    const e = entry('zero-circle');
    const report = await convertEntry(e);
    assert.deepEqual(mismatches(report, e), { wrong: [], problems: [] });
    const numbers = report.tables.flatMap((t) => t.cells).filter((c) => c.state === 'number');
    assert.equal(numbers.length, 190);
    assert.deepEqual(numbers.filter((c) => c.confidence < 0.9).map((c) => `${c.key} ${c.confidence}`), []);
    // 3.其他 is a label among zeros: it keeps its characters (read alone when a strip lost them).
    const other = report.tables.flatMap((t) => t.cells).find((c) => c.key === 'applications.other.other.total');
    assert.match(other?.rowLabel ?? '', /3\.?其他/);
  });
});

describe('the two scans issue 11 reported (1° of skew, JPEG)', () => {
  test('004: 表四 whole on its page comes out as its 15 zeros, not blank', async () => {
    const e = entry('skew-jpeg', '004_a98acada5b20935e');
    const report = await convertEntry(e);
    assert.deepEqual(mismatches(report, e), { wrong: [], problems: [] });
    const t4 = report.tables.find((t) => t.id === 'reviewLitigation')!;
    assert.equal(t4.cells.length, 15);
    assert.deepEqual(t4.cells.filter((c) => c.state !== 'number' || c.value !== 0 || c.confidence < 0.9).map((c) => `${c.key} ${c.state} ${c.confidence}`), []);
  });

  test('001: the last row of the legacy 附表, alone on the next page, is read', async () => {
    const e = entry('skew-jpeg', '001_c47c3146309e273f');
    const report = await convertEntry(e);
    assert.deepEqual(mismatches(report, e), { wrong: [], problems: [] });
    const last = report.tables.flatMap((t) => t.cells).filter((c) => c.key.startsWith('legacyIndicators.litigation.count.'));
    assert.deepEqual(last.map((c) => [c.key, c.state, c.value, c.confidence >= 0.9]), [
      ['legacyIndicators.litigation.count.thisYear', 'number', 0, true],
      ['legacyIndicators.litigation.count.cumulative', 'number', 0, true],
    ]);
  });
});

describe('a photographed page (perspective, a dark desk, light falling off to one corner)', () => {
  /** Slope (dy/dx) of the line through the centres of the boxes, by least squares. */
  function slope(boxes: number[][]): number {
    const pts = boxes.map((b) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
    const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    return pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  }

  test('image: the page is found and squared up, its light evened out; every cell exact, boxes on the photo', async () => {
    const e = entry('photo');
    assert.ok(e.corners);
    const report = await convertEntry(e);
    assert.deepEqual(mismatches(report, e), { wrong: [], problems: [] });
    const codes = report.warnings.map((w) => w.code);
    assert.ok(codes.includes('OCR_PHOTO') && codes.includes('OCR_UNEVEN_LIGHT'), codes.join());
    const numbers = report.tables.flatMap((t) => t.cells).filter((c) => c.state === 'number');
    assert.deepEqual(numbers.filter((c) => c.confidence < 0.9).map((c) => `${c.key} ${c.confidence}`), []);
    // Evidence is in the photo's pixels: inside the page's corners, and a printed row runs along the
    // page's tilted edges (top edge slope 140/2060, bottom 140/2320), not level.
    const [tl, tr, br, bl] = e.corners;
    const inside = (x: number, y: number) => [[tl, tr], [tr, br], [br, bl], [bl, tl]].every(([a, b]) => (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0);
    for (const c of numbers) assert.ok(inside((c.evidence.bbox![0] + c.evidence.bbox![2]) / 2, (c.evidence.bbox![1] + c.evidence.bbox![3]) / 2), `${c.key} ${c.evidence.bbox}`);
    const row = report.tables.find((t) => t.id === 'reviewLitigation')!.cells.map((c) => c.evidence.bbox!);
    const k = slope(row);
    assert.ok(k > 0.05 && k < 0.075, `表四's row runs at slope ${k.toFixed(4)}`);
  });

  test('the page quadrilateral is found within a few pixels of where the photo put it; a scan has none', async () => {
    const e = entry('photo');
    const bytes = readFileSync(join(samplesDir, e.file));
    const { data, info } = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const quad = findPageQuad({ data, width: info.width, height: info.height });
    assert.ok(quad, 'a page on the desk');
    quad.forEach(([x, y], i) => assert.ok(Math.hypot(x - e.corners![i][0], y - e.corners![i][1]) < 4, `corner ${i}: ${x.toFixed(1)},${y.toFixed(1)} vs ${e.corners![i]}`));
    // The homography maps the rectangle's corners onto the quadrilateral's, and points in between projectively.
    const h = homography([[0, 0], [100, 0], [100, 140], [0, 140]], quad);
    quad.forEach((q, i) => {
      const p = applyHomography(h, ...([[0, 0], [100, 0], [100, 140], [0, 140]][i] as [number, number]));
      assert.ok(Math.hypot(p[0] - q[0], p[1] - q[1]) < 1e-6);
    });
    const scan = readFileSync(join(samplesDir, 'scans', '003_7d78940555e26d72.clean-300.tif'));
    const page = await sharp(scan, { page: 1 }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    assert.equal(findPageQuad({ data: page.data, width: page.info.width, height: page.info.height }), null);
  });

  test('scanned PDF: the same photo as a PDF page reads alike', async () => {
    const e = entry('photo');
    const doc = await PDFDocument.create();
    const img = await doc.embedJpg(readFileSync(join(samplesDir, e.file)));
    const page = doc.addPage([(img.width * 72) / 300, (img.height * 72) / 300]);
    page.drawImage(img, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
    const report = await convert(await doc.save(), { filename: 'photo.pdf' });
    assert.equal(report.source.route, 'pdf-ocr');
    assert.deepEqual(mismatches(report, e), { wrong: [], problems: [] });
    assert.ok(report.warnings.some((w) => w.code === 'OCR_PHOTO'));
  });
});
