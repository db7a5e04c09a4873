/** Page progress comes from the extractors page by page, not as one jump from 0 to N at the end. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { extract } from '../src/extract/index.js';
import { defaultLimits } from '../src/intake/limits.js';

const samples = join(import.meta.dirname, '..', 'samples');

/** `pages`: how many pages the file has (a list of no calls for no pages would otherwise pass). */
async function progressOf(file: string, format: 'pdf' | 'image', pages: number): Promise<[number, number][]> {
  const calls: [number, number][] = [];
  const { layout } = await extract({ bytes: readFileSync(join(samples, file)), format, limits: defaultLimits, onProgress: (done, total) => calls.push([done, total]) });
  const n = layout.pages.length;
  assert.equal(n, pages, `${file}: pages`);
  assert.deepEqual(calls, Array.from({ length: n }, (_, i) => [i + 1, n]), `${file}: one call per page, in order`);
  return calls;
}

test('a text PDF reports each page as it is laid out', async () => {
  assert.equal((await progressOf('pdf/003_7d78940555e26d72.chrome.pdf', 'pdf', 3)).length, 3);
});

test('a scanned PDF and an image report each page as it is read', { timeout: 300_000 }, async () => {
  assert.equal((await progressOf('scans/001_c47c3146309e273f.skew-jpeg.pdf', 'pdf', 5)).length, 5);
  assert.equal((await progressOf('scans/000_ac416d85e5af171b.clean-300.tif', 'image', 4)).length, 4);
});

test('convert() passes the pages on as they are done (what jobs show), then the total', async () => {
  const { convert } = await import('../src/pipeline.js');
  const calls: [number, number | null][] = [];
  const report = await convert(readFileSync(join(samples, 'pdf/003_7d78940555e26d72.chrome.pdf')), { filename: 'a.pdf', onProgress: (d, t) => calls.push([d, t]) });
  const n = report.source.pages;
  assert.equal(n, 3);
  assert.deepEqual(calls, [...Array.from({ length: n }, (_, i) => [i + 1, n] as [number, number]), [n, n]]);
});
