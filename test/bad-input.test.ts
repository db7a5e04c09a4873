/** Bad input answers the right 4xx quickly with a JSON error, and the service keeps answering. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { convertVia, testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';
import { zerosDeflated, zip } from './support/zip.js';

const { app, errors } = testApp();
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

async function postRaw(body: Buffer, filename: string, contentType = 'application/octet-stream') {
  const started = Date.now();
  const res = await request(app).post(`/v1/convert?filename=${encodeURIComponent(filename)}`).set('Content-Type', contentType).send(body);
  return { res, ms: Date.now() - started };
}

async function stillWorks() {
  const report = await convertVia(app, sample(`seeds/${seeds[3]}.txt`), 'after.txt', 'text/plain');
  assert.equal(report.report.template, 'gov2021');
}

function assertError(res: request.Response, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
  assert.ok(res.body.error.message.length > 20, 'the message says what is wrong');
  assert.doesNotMatch(JSON.stringify(res.body), /at .*\.(ts|js):\d+/, 'no stack trace');
}

test('empty body: 400', async () => {
  const { res } = await postRaw(Buffer.alloc(0), 'report.pdf');
  assertError(res, 400, 'EMPTY_BODY');
  const multipart = await request(app).post('/v1/convert').field('note', 'no file');
  assertError(multipart, 400, 'EMPTY_BODY');
  await stillWorks();
});

test('a 60 MB upload: 413, raw and multipart', async () => {
  const big = Buffer.alloc(60 * 1024 * 1024, 0x41);
  const { res } = await postRaw(big, 'big.txt', 'text/plain');
  assertError(res, 413, 'TOO_LARGE');
  const mp = await request(app).post('/v1/convert').attach('file', big, 'big.txt');
  assertError(mp, 413, 'TOO_LARGE');
  await stillWorks();
});

test('a PNG renamed .docx: 415 naming what the bytes are', async () => {
  const { res } = await postRaw(PNG, 'report.docx');
  assertError(res, 415, 'TYPE_MISMATCH');
  assert.match(res.body.error.message, /named \.docx.*image/);
  await stillWorks();
});

test('unknown binary: 415', async () => {
  const { res } = await postRaw(Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0x00, 0x10, 0x20]), 'blob.bin');
  assertError(res, 415, 'UNSUPPORTED_TYPE');
});

test('a truncated DOCX: 422', async () => {
  const docx = sample(`docx/${seeds[3]}.docx`);
  const { res } = await postRaw(docx.subarray(0, Math.floor(docx.length / 2)), 'cut.docx');
  assertError(res, 422, 'DOCX_CORRUPT');
  await stillWorks();
});

test('a DOCX whose XML inflates to gigabytes is refused with memory bounded', async () => {
  const before = process.memoryUsage().rss;
  // Honest headers: 2 GiB declared.
  const honest = zip([{ name: '[Content_Types].xml', data: zerosDeflated(1), declaredSize: 1 << 20 }, { name: 'word/document.xml', data: zerosDeflated(2048), declaredSize: 2 ** 31 }]);
  const a = await postRaw(honest, 'bomb.docx');
  assertError(a.res, 413, 'DOCX_TOO_LARGE');
  // Lying headers: 1 KiB declared, 2 GiB inside.
  const liar = zip([{ name: '[Content_Types].xml', data: zerosDeflated(1), declaredSize: 1024 }, { name: 'word/document.xml', data: zerosDeflated(2048), declaredSize: 1024 }]);
  const b = await postRaw(liar, 'liar.docx');
  assert.ok([413, 422].includes(b.res.status), `status ${b.res.status}`);
  const grew = (process.memoryUsage().rss - before) / 2 ** 20;
  assert.ok(grew < 300, `RSS grew ${grew.toFixed(0)} MiB`);
  assert.ok(a.ms < 5000 && b.ms < 5000, `answered in ${a.ms} / ${b.ms} ms`);
  await stillWorks();
});

test('HTML with 100 000 nested tags: 422, quickly', async () => {
  const html = `<html><body>${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}</body></html>`;
  const { res, ms } = await postRaw(Buffer.from(html), 'deep.html', 'text/html');
  assertError(res, 422, 'HTML_TOO_DEEP');
  assert.ok(ms < 5000, `${ms} ms`);
  await stillWorks();
});

test('invalid bytes in a declared charset: 422', async () => {
  const body = Buffer.concat([Buffer.from('<html><body><p>'), Buffer.alloc(2000, 0xff), Buffer.from('</p></body></html>')]);
  const { res } = await postRaw(body, 'bad.html', 'text/html; charset=utf-8');
  assertError(res, 422, 'INVALID_ENCODING');
  await stillWorks();
});

test('a GBK page mislabelled as UTF-8 is still read', async () => {
  const gbk = sample(`html/${seeds[0]}.gbk.html`);
  const report = await convertVia(app, gbk, 'mislabelled.html', 'text/html; charset=utf-8');
  assert.equal(report.report.template, 'gov2019');
  assert.equal(report.summary.filled, 198);
});

test('unknown routes answer JSON 404, and nothing above logged an internal error', async () => {
  const res = await request(app).get('/v2/nothing');
  assertError(res, 404, 'NOT_FOUND');
  assert.deepEqual(errors, []);
});

test('GET /v1/schema serves the JSON Schema, /healthz answers', async () => {
  const schema = await request(app).get('/v1/schema');
  assert.equal(schema.status, 200);
  assert.equal(JSON.parse(schema.text).title, 'xxgk/report@1');
  const health = await request(app).get('/healthz');
  assert.deepEqual(health.body, { status: 'ok' });
});
