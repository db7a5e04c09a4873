/**
 * A BMP scan converts through the extractor's own BMP decoder (sharp has none); its page image must
 * come through the same decoder, or the correction UI shows no page for a file that converted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import request from 'supertest';
import { convertVia, testApp } from './support/app.js';
import { expectedFor } from './support/fixtures.js';

const repo = join(import.meta.dirname, '..');
const app = testApp().app;

/** A 24-bit bottom-up BMP (BITMAPINFOHEADER) of RGB pixels: written here so no binary sample is needed. */
function writeBmp(rgb: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(stride * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      out[row + x * 3] = rgb[i + 2];
      out[row + x * 3 + 1] = rgb[i + 1];
      out[row + x * 3 + 2] = rgb[i];
    }
  }
  return out;
}

test('a BMP scan converts and its page image is a PNG of the page', { timeout: 300_000 }, async (t) => {
  const tif = readFileSync(join(repo, 'samples/scans/000_ac416d85e5af171b.clean-300.tif'));
  const { data, info } = await sharp(tif).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const bmp = writeBmp(data, info.width, info.height);
  const report = await convertVia(app, bmp, 'scan.bmp');
  assert.equal(report.source.route, 'image-ocr');
  // The BMP was read, and read as the same pixels are in a PNG (the TIF's first page: sharp reads one page):
  // the same value and state in every cell, and the cells it found are the seed's.
  const png1 = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).png().toBuffer();
  const fromPng = await convertVia(app, png1, 'scan.png');
  assert.equal(fromPng.source.route, 'image-ocr');
  const cells = (r: typeof report) => r.tables.flatMap((t) => t.cells).map((c) => `${c.key} ${c.state} ${c.value}`);
  assert.deepEqual(cells(report), cells(fromPng));
  const expected = expectedFor('000_ac416d85e5af171b').cells;
  const found = report.tables.flatMap((t) => t.cells).filter((c) => c.state !== 'missing');
  assert.ok(found.length > 0, 'the BMP was read');
  t.diagnostic(`${found.length} cells found on the first page`);
  assert.deepEqual(found.filter((c) => c.value !== expected[c.key]).map((c) => `${c.key} ${c.value} (expected ${expected[c.key]})`), []);
  const res = await request(app).get(`/v1/results/${report.id}/pages/1.png`).buffer(true);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.headers['content-type'], 'image/png');
  assert.equal(Number(res.headers['x-page-scale']), 1);
  const png = res.body as Buffer;
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [info.width, info.height]);
});
