/** Every born-digital sample of the evaluation corpus converts exactly: what `npm run eval` gates on, in CI. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadCorpus } from '../src/eval/corpus.js';
import type { Expected } from '../src/eval/expected.js';
import { schemaErrors } from '../src/model/validate.js';
import { convert } from '../src/pipeline.js';
import { assertExpected } from './support/assert-expected.js';
import { hasShared, repoRoot, sharedReal } from './support/fixtures.js';

const corpus = loadCorpus(repoRoot);

test('the corpus holds every route there are samples for', (t) => {
  const routes = new Set(corpus.map((s) => s.route));
  for (const r of ['text', 'html', 'docx']) assert.ok(routes.has(r), r);
  if (!hasShared) t.diagnostic(`${sharedReal} is absent: the real PDFs are not in the corpus`);
  else assert.ok(corpus.some((s) => s.variant === 'real'));
});

test('every seed has an HTML rendering and a DOCX, and there is a GBK and a traditional copy', () => {
  for (const seed of new Set(corpus.filter((s) => s.variant === 'seed').map((s) => s.seed))) {
    assert.ok(corpus.some((s) => s.seed === seed && s.route === 'html' && s.variant === 'plain'), `${seed} has an HTML rendering`);
    assert.ok(corpus.some((s) => s.seed === seed && s.route === 'docx'), `${seed} has a DOCX`);
  }
  assert.ok(corpus.some((s) => s.variant === 'gbk'));
  assert.ok(corpus.some((s) => s.variant === 'traditional'));
});

for (const sample of corpus.filter((s) => s.bornDigital)) {
  test(`${sample.id} converts exactly`, async () => {
    const report = await convert(readFileSync(sample.path), { filename: sample.path.split('/').pop() });
    assert.deepEqual(schemaErrors(JSON.parse(JSON.stringify(report))), []);
    assert.equal(report.source.route, sample.route);
    assertExpected(report, JSON.parse(readFileSync(sample.expected, 'utf8')) as Expected, sample.id);
  });
}
