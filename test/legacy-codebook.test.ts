/**
 * The legacy 附表 in the dataset: the codebook names each known indicator in Chinese, and the reader
 * takes each of those wordings as its own indicator, 不同意公开答复数 (docs' legacy form, row 4) included.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { codebookEntry } from '../src/output/codebook.js';
import { convert } from '../src/pipeline.js';
import { legacyKey } from '../src/reconstruct/legacy-table.js';
import { legacyIndicators } from '../src/templates/forms.js';
import { repoRoot } from './support/fixtures.js';

test('every known legacy indicator has a Chinese label in the codebook, and the reader takes it as that indicator', () => {
  assert.equal(legacyIndicators.length, 20);
  for (const { key, label } of legacyIndicators) {
    assert.equal(legacyKey(`3.${label}`), key, label);
    const entry = codebookEntry(`legacyIndicators.${key}.thisYear`)!;
    assert.deepEqual([entry.rowLabel, entry.label], [label, `${label} × 本年度`]);
  }
});

test('a 附表 printing 不同意公开答复数 gives responses.denied, not a second 同意公开 row', async () => {
  // A real crawled 2013 report whose row reads 3.不予公开答复数, worded as the national 附表 words it.
  const text = readFileSync(join(repoRoot, 'samples', 'crawled', 'real', 'pingtan-gaj-2013.txt'), 'utf8');
  assert.ok(text.includes('3.不予公开答复数'));
  const report = await convert(Buffer.from(text.replace('3.不予公开答复数', '3.不同意公开答复数'), 'utf8'), { filename: 'gaj-2013.txt' });
  const cells = new Map(report.tables.flatMap((t) => t.cells).map((c) => [c.key, c]));
  const value = (k: string) => cells.get(`legacyIndicators.responses.${k}.thisYear`)?.value;
  assert.deepEqual(['total', 'granted', 'partial', 'denied', 'other'].map(value), [3, 2, 0, 1, 0]);
  assert.ok(![...cells.keys()].some((k) => k.startsWith('legacyIndicators.row.')), 'no row left unrecognised');
  assert.deepEqual(report.checks.filter((c) => !c.holds).map((c) => c.id), [], '答复总数 = 1 + 2 + 3 + 4 holds');
});
