/** PDF input through the HTTP API: real reports with evidence boxes, tables over page breaks, and bad PDFs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import request from 'supertest';
import type { Report } from '../src/model/report.js';
import { convertVia, testApp } from './support/app.js';
import { hasShared, samplesDir, sharedReal } from './support/fixtures.js';
import { buildPdf, docWithPages, text } from './support/pdf.js';

const { app } = testApp();
const post = (bytes: Uint8Array, name: string) => request(app).post(`/v1/convert?filename=${name}`).set('Content-Type', 'application/pdf').send(Buffer.from(bytes));

for (const name of ['huaian-city-2024', 'huaian-hongze-2024']) {
  test(`${name}.pdf: every printed cell has its page and a box in page points`, async (t) => {
    if (!hasShared) return t.skip(`${sharedReal} is absent`);
    const report = await convertVia(app, readFileSync(join(sharedReal, `${name}.pdf`)), `${name}.pdf`);
    assert.equal(report.source.route, 'pdf-text');
    const printed = report.tables.flatMap((tb) => tb.cells).filter((c) => c.state !== 'missing');
    assert.ok(printed.length >= 186);
    for (const c of printed) {
      assert.equal(c.evidence.source, 'text-layer', c.key);
      assert.ok(c.evidence.page! >= 1 && c.evidence.page! <= report.source.pages, c.key);
      const [x0, y0, x1, y1] = c.evidence.bbox!;
      assert.ok(x0 < x1 && y0 < y1 && x0 >= 0 && y0 >= 0 && x1 <= 600 && y1 <= 850, `${c.key} ${c.evidence.bbox}`);
      assert.ok(c.confidence >= 0.9, `${c.key} ${c.confidence}`);
    }
  });
}

for (const variant of ['repeated-header', 'no-header']) {
  test(`a 表三 continued on the next page (${variant}) is one merged table`, async () => {
    const report = await convertVia(app, readFileSync(join(samplesDir, 'pdf', `003_7d78940555e26d72.continued-${variant}.pdf`)), `${variant}.pdf`);
    const apps = report.tables.find((tb) => tb.id === 'applications')!;
    const pages = new Set(apps.cells.map((c) => c.evidence.page));
    assert.equal(pages.size, 2, 'the values come from two pages');
    const generic = report.genericTables[apps.genericTable!];
    assert.notEqual(generic.continuedFrom, null, 'the generic table says it was merged');
    const withHeader = report.genericTables.filter((g) => g.cells.some((c) => c.text.includes('申请人情况')));
    assert.equal(withHeader.length, 1, 'one table holds the 表三 header');
    // The repeated header is not read as a row: every row appears once.
    assert.equal(generic.cells.filter((c) => c.text.replace(/\s/g, '') === '自然人').length, 1);
    assert.equal(report.summary.checksFailed, 0);
  });
}

function assertError(res: request.Response, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
}

test('an encrypted PDF: 422 saying so', async () => {
  const bytes = buildPdf(
    ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
      `<< /Filter /Standard /V 1 /R 2 /O <${'a1'.repeat(32)}> /U <${'b2'.repeat(32)}> /P -44 >>`],
    '/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]',
  );
  const res = await post(bytes, 'locked.pdf');
  assertError(res, 422, 'PDF_ENCRYPTED');
  assert.match(res.body.error.message, /encrypted/);
});

test('a truncated PDF and a PDF with no pages: 422', async () => {
  const whole = readFileSync(join(samplesDir, 'pdf/003_7d78940555e26d72.chrome.pdf'));
  assertError(await post(whole.subarray(0, whole.length / 3), 'cut.pdf'), 422, 'PDF_CORRUPT');
  assertError(await post(buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']), 'empty.pdf'), 422, 'PDF_NO_PAGES');
});

test('a PDF of 3 000 pages is refused by the page limit', async () => {
  const pages = Array.from({ length: 3000 }, (_, i) => text(72, 770, `page ${i + 1}`));
  const started = Date.now();
  const res = await post(docWithPages(pages), 'long.pdf');
  assertError(res, 413, 'TOO_MANY_PAGES');
  assert.match(res.body.error.message, /3000 pages.*limit is 500/);
  assert.ok(Date.now() - started < 15_000);
});

test('a page declaring a 50 000 × 50 000 px image neither hangs nor crashes', async () => {
  const image = '<< /Type /XObject /Subtype /Image /Width 50000 /Height 50000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\nabcd\nendstream';
  const started = Date.now();
  const res = await post(docWithPages(['q 595 0 0 842 0 0 cm /Im1 Do Q\n'], '', [image]), 'huge-image.pdf');
  assert.ok(Date.now() - started < 20_000, 'answers quickly');
  if (res.status === 200) {
    const report = res.body as Report;
    assert.ok(report.warnings.some((w) => w.page === 1), JSON.stringify(report.warnings));
    assert.equal(report.summary.filled, 0, 'no numbers invented');
  } else {
    assert.ok([413, 422].includes(res.status), JSON.stringify(res.body));
  }
});

test('JavaScript in a PDF is ignored; the text is read', async () => {
  const js = '<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>';
  const res = await post(docWithPages([text(72, 770, 'Annual report 2023')], '/OpenAction 4 0 R', [js]), 'script.pdf');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.source.route, 'pdf-text');
});

test('page images: a PDF page as PNG with its scale, cached; markup documents have none', async () => {
  const report = await convertVia(app, readFileSync(join(samplesDir, 'pdf/003_7d78940555e26d72.chrome.pdf')), 'pages.pdf');
  const res = await request(app).get(`/v1/results/${report.id}/pages/2.png`).buffer(true);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'image/png');
  assert.equal(Number(res.headers['x-page-scale']), 2);
  const png = res.body as Buffer;
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  // Chromium prints US Letter: 612 × 792 points at 144 dpi → 1224 × 1584 pixels.
  assert.ok(Math.abs(png.readUInt32BE(16) - 612 * 2) <= 2 && Math.abs(png.readUInt32BE(20) - 792 * 2) <= 2, `${png.readUInt32BE(16)} × ${png.readUInt32BE(20)}`);
  const again = await request(app).get(`/v1/results/${report.id}/pages/2.png`).buffer(true);
  assert.deepEqual(again.body, png);
  assert.equal((await request(app).get(`/v1/results/${report.id}/pages/9.png`)).body.error.code, 'PAGE_NOT_FOUND');
  const markup = await convertVia(app, readFileSync(join(samplesDir, 'html/003_7d78940555e26d72.html')), 'x.html');
  const none = await request(app).get(`/v1/results/${markup.id}/pages/1.png`);
  assert.equal(none.status, 404);
  assert.equal(none.body.error.code, 'NO_PAGE_IMAGE');
});
