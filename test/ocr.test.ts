/**
 * The OCR route: scanned images (image-ocr) and scanned PDFs (pdf-ocr), on the regenerable scans
 * in samples/scans (scripts/ocr/make-scans.ts) and, when ../shared is there, on renderings of the real
 * PDFs made at test time. A representative subset keeps the file within a few minutes on 2 cores.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { compare, type CellOutcome, type Expected } from '../src/eval/expected.js';
import { closeOcrPool } from '../src/extract/ocr/pool.js';
import { repairNumber } from '../src/extract/ocr/numbers.js';
import { decodePage, inspectImage } from '../src/extract/ocr/decode.js';
import { estimateSkew, isQuarterTurned } from '../src/extract/ocr/straighten.js';
import { renderPdfPage } from '../src/extract/pdf/render.js';
import { openPdf } from '../src/extract/pdf/load.js';
import { ConvertError } from '../src/intake/errors.js';
import { defaultLimits } from '../src/intake/limits.js';
import type { Report } from '../src/model/report.js';
import { convert } from '../src/pipeline.js';
import { expectedFor, hasShared, samplesDir, sharedReal } from './support/fixtures.js';

interface ScanEntry {
  file: string;
  seed: string;
  expected: string;
  route: 'image-ocr' | 'pdf-ocr';
  variant: string;
  degradation: number;
  traditional?: boolean;
}

const manifest = JSON.parse(readFileSync(join(samplesDir, 'scans', 'manifest.json'), 'utf8')) as ScanEntry[];
const entry = (file: string) => {
  const e = manifest.find((m) => m.file === `scans/${file}`);
  assert.ok(e, `${file} is in samples/scans/manifest.json`);
  return e;
};
const expectedOf = (e: ScanEntry) => JSON.parse(readFileSync(join(samplesDir, e.expected), 'utf8')) as Expected;

after(async () => {
  await closeOcrPool();
});

async function convertScan(e: ScanEntry): Promise<Report> {
  const bytes = readFileSync(join(samplesDir, e.file));
  return convert(bytes, { filename: e.file.split('/').pop() });
}

const describeCells = (cells: CellOutcome[]) => cells.map((c) => `${c.key}: expected ${c.expected}, got ${c.got} (${c.state}, conf ${c.confidence})`);

describe('clean 300 dpi scans: every canonical cell exact', () => {
  for (const file of ['003_7d78940555e26d72.clean-300.tif', '000_ac416d85e5af171b.clean-300.tif']) {
    test(file, async () => {
      const e = entry(file);
      const report = await convertScan(e);
      assert.equal(report.source.route, 'image-ocr');
      assert.ok(report.source.ocr, 'the report names the OCR engine');
      const exp = expectedOf(e);
      const { cells, problems } = compare(report, exp);
      assert.deepEqual(describeCells(cells.filter((c) => !c.right)), []);
      assert.equal(report.report.template, exp.template);
      assert.equal(report.report.year, exp.year);
      assert.deepEqual(problems.filter((p) => !p.startsWith('agency')), []);
    });
  }
});

test('degraded scans: ≥ 99 % of numeric cells exact, and every wrong cell below confidence 0.5', async () => {
  const files = ['002_428db422c0ca7d7e.noisy.tif', '003_7d78940555e26d72.rotated.tif', '001_c47c3146309e273f.blurred.tif', '000_ac416d85e5af171b.jpeg.jpg', '004_a98acada5b20935e.dpi150.tif', '002_428db422c0ca7d7e.rot90.tif'];
  let numeric = 0;
  let right = 0;
  const confidentWrong: string[] = [];
  for (const file of files) {
    const e = entry(file);
    assert.ok(e.degradation > 0);
    const report = await convertScan(e);
    const { cells } = compare(report, expectedOf(e));
    for (const c of cells) {
      if (typeof c.expected === 'number') {
        numeric++;
        if (c.right) right++;
      }
      if (!c.right && c.confidence >= 0.5) confidentWrong.push(`${file} ${describeCells([c])[0]}`);
    }
  }
  assert.ok(right / numeric >= 0.99, `${right}/${numeric} numeric cells exact`);
  assert.deepEqual(confidentWrong, []);
});

test('a traditional-character page maps to the right rows', async () => {
  const e = manifest.find((m) => m.traditional);
  assert.ok(e, 'the manifest has a traditional-character scan');
  const report = await convertScan(e);
  const { cells } = compare(report, expectedOf(e));
  assert.deepEqual(describeCells(cells.filter((c) => !c.right)), []);
  assert.ok(report.warnings.some((w) => w.code === 'OCR_TRADITIONAL'));
});

test('scanned PDF: OCR of its pages gives the tables, with boxes in PDF points as evidence', async () => {
  const e = manifest.find((m) => m.variant === 'scanned-pdf');
  assert.ok(e);
  assert.equal(e.route, 'pdf-ocr');
  const report = await convert(readFileSync(join(samplesDir, e.file)), { filename: 'scan.pdf' });
  assert.equal(report.source.route, 'pdf-ocr');
  assert.deepEqual(report.source.ocr?.pages, [1, 2, 3, 4]);
  assert.ok(report.warnings.some((w) => w.code === 'OCR_DESKEWED'), 'the scan was straightened');
  const { cells } = compare(report, expectedOf(e));
  assert.deepEqual(describeCells(cells.filter((c) => !c.right)), []);
  for (const c of report.tables.flatMap((t) => t.cells).filter((x) => x.state === 'number')) {
    assert.equal(c.evidence.source, 'ocr');
    // A4 in points, the box inside its page.
    const [x0, y0, x1, y1] = c.evidence.bbox!;
    assert.ok(c.evidence.page! >= 1 && x0 >= 0 && y0 >= 0 && x1 <= 596 && y1 <= 843 && x0 < x1 && y0 < y1, `${c.key} ${c.evidence.bbox}`);
  }
});

test('searchable PDF (tesseract\'s invisible text over the scan, pages of made-up size): read by our OCR, exact', async () => {
  const e = manifest.find((m) => m.variant === 'searchable-pdf');
  assert.ok(e);
  const bytes = readFileSync(join(samplesDir, e.file));
  const report = await convert(bytes, { filename: 'searchable.pdf' });
  assert.equal(report.source.route, 'pdf-ocr');
  const reasons = report.warnings.filter((w) => w.code === 'PAGE_OCR').map((w) => w.message);
  assert.equal(reasons.length, report.source.pages);
  assert.ok(reasons.every((m) => /invisible layer over a scanned image/.test(m)), reasons.join('\n'));
  const { cells } = compare(report, expectedOf(e));
  assert.deepEqual(describeCells(cells.filter((c) => !c.right)), []);
  // The pages are about 2550 points wide: the boxes are in those points, inside the page.
  const right = report.tables.flatMap((t) => t.cells).filter((c) => c.state === 'number').map((c) => c.evidence.bbox![2]);
  assert.ok(Math.max(...right) > 1000 && Math.max(...right) < 2550, `right edges up to ${Math.max(...right)}`);
});

describe('bad input', () => {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };

  test('a 30 000 × 30 000 px PNG is refused by the pixel limit before decoding (413)', async () => {
    const w = 30_000;
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(w, 0);
    ihdr.writeUInt32BE(w, 4);
    ihdr[8] = 1; // 1-bit gray: the whole file stays small
    const row = Buffer.alloc(1 + w / 8, 0xff);
    row[0] = 0;
    const raw = Buffer.alloc(row.length * w);
    for (let y = 0; y < w; y++) row.copy(raw, y * row.length);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    await assert.rejects(convert(png, { filename: 'huge.png' }), (e: ConvertError) => e.code === 'IMAGE_TOO_LARGE' && e.status === 413);
    assert.ok(performance.now() - t0 < 2000, 'refused from the header, not after decoding');
    assert.ok(process.memoryUsage().rss - rss < 200e6);
  });

  test('a truncated JPEG is refused as corrupt (422)', async () => {
    const jpg = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
    await assert.rejects(convert(jpg.subarray(0, jpg.length >> 1), { filename: 'cut.jpg' }), (e: ConvertError) => e.code === 'IMAGE_CORRUPT' && e.status === 422);
  });

  test('a TIFF with more pages than the limit is refused (413)', async () => {
    const pages = 501;
    const tif = await sharp(Buffer.alloc(pages, 255), { raw: { width: 1, height: pages, channels: 1, pageHeight: 1 } }).tiff().toBuffer();
    assert.equal((await sharp(tif).metadata()).pages, pages);
    await assert.rejects(convert(tif, { filename: 'many.tif' }), (e: ConvertError) => e.code === 'TOO_MANY_PAGES' && e.status === 413);
  });

  test('an image with no table gives template unknown, no crash', async () => {
    const img = await sharp({
      text: { text: '<span foreground="black">关于做好政务公开工作的通知 2023年</span>', font: 'Noto Sans CJK SC 12', dpi: 300, rgba: true },
    }).flatten({ background: '#ffffff' }).extend({ top: 300, bottom: 300, left: 200, right: 200, background: '#ffffff' }).png().toBuffer();
    const report = await convert(img, { filename: 'note.png' });
    assert.equal(report.source.route, 'image-ocr');
    assert.equal(report.report.template, 'unknown');
    assert.ok(report.warnings.some((w) => w.code === 'OCR_NO_TABLE'));
  });
});

describe('image preparation', () => {
  test('skew and quarter turns are found', async () => {
    const e = entry('003_7d78940555e26d72.clean-300.tif');
    const bytes = readFileSync(join(samplesDir, e.file));
    const info = await inspectImage(bytes, defaultLimits);
    const page = await decodePage(bytes, info, 1);
    assert.equal(isQuarterTurned(page.image), false);
    const g = page.image;
    for (const angle of [1.5, -0.7]) {
      const { data, info: i } = await sharp(Buffer.from(g.data), { raw: { width: g.width, height: g.height, channels: 1 } })
        .rotate(angle, { background: '#ffffff' }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      const skew = estimateSkew({ data, width: i.width, height: i.height });
      assert.ok(Math.abs(skew - angle) <= 0.1, `rotated ${angle}°, estimated ${skew}°`);
    }
    const { data, info: i } = await sharp(Buffer.from(g.data), { raw: { width: g.width, height: g.height, channels: 1 } })
      .rotate(90).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    assert.equal(isQuarterTurned({ data, width: i.width, height: i.height }), true);
  });

  test('numeric repair applies look-alikes only to numbers', () => {
    assert.equal(repairNumber('O'), '0');
    assert.equal(repairNumber('1O5'), '105');
    assert.equal(repairNumber('l2'), '12');
    assert.equal(repairNumber('-26'), '-26');
    assert.equal(repairNumber('7730.28'), '7730.28');
    assert.equal(repairNumber('规章'), null);
    assert.equal(repairNumber('第1项'), null);
  });
});

describe('real PDFs rendered to scans at test time (not committed)', { skip: hasShared ? false : 'needs ../shared/fixtures/real (not present)' }, () => {
  test('huaian-city-2024 rendered at 300 dpi reads like its text layer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xxgk-ocr-real-'));
    try {
      const pdf = readFileSync(join(sharedReal, 'huaian-city-2024.pdf'));
      const opened = await openPdf(pdf);
      const pages = [];
      try {
        for (let p = 1; p <= opened.doc.numPages; p++) pages.push(await renderPdfPage(opened.doc, p, 300));
      } finally {
        await opened.close();
      }
      const w = Math.max(...pages.map((p) => p.image.width));
      const h = Math.max(...pages.map((p) => p.image.height));
      const raws = await Promise.all(pages.map((p) => sharp(Buffer.from(p.image.data), { raw: { width: p.image.width, height: p.image.height, channels: 1 } })
        .extend({ right: w - p.image.width, bottom: h - p.image.height, background: '#ffffff' }).extractChannel(0).raw().toBuffer()));
      const tif = join(dir, 'huaian-city-2024.tif');
      writeFileSync(tif, await sharp(Buffer.concat(raws), { raw: { width: w, height: h * raws.length, channels: 1, pageHeight: h } })
        .tiff({ compression: 'deflate', xres: 300 / 25.4, yres: 300 / 25.4 }).toBuffer());
      const report = await convert(readFileSync(tif), { filename: 'huaian-city-2024.tif' });
      const { cells } = compare(report, expectedFor('huaian-city-2024'));
      const numeric = cells.filter((c) => typeof c.expected === 'number');
      const exact = numeric.filter((c) => c.right).length;
      assert.ok(exact / numeric.length >= 0.99, `${exact}/${numeric.length} numeric cells exact`);
      assert.deepEqual(describeCells(cells.filter((c) => !c.right && c.confidence >= 0.5)), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
