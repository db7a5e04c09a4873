/**
 * Prose-only legacy reports (templates.md §C4): seed 001 without its 附表 gives the figures its prose
 * states, and only those; conflicting and vague wordings give nothing; reports of the 2019 forms and
 * later get no prose fallback.
 * Run: node --import tsx --test test/prose-legacy.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Expected } from '../src/eval/expected.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../src/check/summary.js';
import { convert } from '../src/pipeline.js';
import { assertExpected } from './support/assert-expected.js';
import { samplesDir } from './support/fixtures.js';

const cellsOf = (report: Awaited<ReturnType<typeof convert>>) =>
  Object.fromEntries(report.tables.flatMap((t) => t.cells).map((c) => [c.key, c.value]));

test('seed 001 without its 附表: the figures its prose states, from the prose, for review', async () => {
  const name = '001_c47c3146309e273f.prose';
  const report = await convert(readFileSync(join(samplesDir, 'prose', `${name}.txt`)), { filename: `${name}.txt` });
  const expected = JSON.parse(readFileSync(join(samplesDir, 'expected', `${name}.json`), 'utf8')) as Expected;
  assertExpected(report, expected, name);
  assert.deepEqual(report.warnings.map((w) => w.code), ['PROSE_ONLY']);
  const cells = report.tables.flatMap((t) => t.cells);
  assert.ok(cells.every((c) => c.evidence.source === 'prose' && c.evidence.page === 1 && c.evidence.bbox === null));
  assert.ok(cells.every((c) => c.confidence < DEFAULT_REVIEW_THRESHOLD), 'prose figures are offered for review');
  assert.equal(report.summary.lowConfidence, cells.length);
  const granted = cells.find((c) => c.key === 'legacyIndicators.responses.granted.thisYear')!;
  assert.equal(granted.text, '同意公开答复数0条');
  assert.equal(granted.unit, '条');
});

test('traditional prose: 累计 picks the column; a figure stated twice differently and vague wordings give nothing', async () => {
  const text = [
    '某縣2012年政府信息公開工作年度報告',
    '2012年度主動公開政府信息1200條，歷年累計主動公開信息5000條。',
    '全年受理依申請公開3件，其中網上申請2件、當面申請1件。',
    '另外受理依申請公開4件。共發佈各類信息57條，不同意公開答復2件。',
  ].join('\n');
  const report = await convert(Buffer.from(text), { filename: 'r.txt' });
  assert.equal(report.report.template, 'legacy');
  assert.deepEqual(cellsOf(report), {
    'legacyIndicators.proactive.total.thisYear': 1200,
    'legacyIndicators.proactive.total.cumulative': 5000,
    'legacyIndicators.requests.online.thisYear': 2,
    'legacyIndicators.requests.inPerson.thisYear': 1,
  });

  const later = await convert(Buffer.from(text.replace('2012年', '2020年')), { filename: 'r.txt' });
  assert.equal(later.report.template, 'unknown', 'the 2019 forms are not read from prose');
  assert.deepEqual(later.tables, []);
});
