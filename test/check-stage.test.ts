/**
 * The check stage (src/check/index.ts) is one function for the pipeline, the corrections path and the
 * review UI: the same checks, flags and suggestions whoever runs it, however often. Also the form's
 * arithmetic (src/templates/rules.ts) on its own.
 * Run: node --import tsx --test test/check-stage.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyCorrections, DEFAULT_REVIEW_THRESHOLD, runChecks } from '../src/check/index.js';
import type { CanonicalCell, Report } from '../src/model/report.js';
import { convert } from '../src/pipeline.js';
import { templates } from '../src/templates/forms.js';
import { evaluate, expandChecks, type CellValue } from '../src/templates/rules.js';
import { Review } from '../web/src/review.js';
import { sample, seeds } from './support/fixtures.js';

const NATURAL = 'applications.newReceived.naturalPerson';
const cellOf = (r: Report, key: string): CanonicalCell => r.tables.flatMap((t) => t.cells).find((c) => c.key === key)!;
const seed000 = () => convert(sample(`seeds/${seeds[0]}.txt`), { filename: 'seed.txt' });

test('the pipeline, the corrections path and the review UI report the same checks, the prose cross-check included', async () => {
  const report = await seed000();
  const ids = (r: { id: string; holds: boolean }[]) => r.map((c) => `${c.id}:${c.holds}`).sort();
  // Seed 000's overview states a count its 表三 does not hold: a soft check that fails.
  assert.ok(report.checks.some((c) => c.id === 'prose.applications.newReceived.total' && !c.holds));
  const served = applyCorrections(structuredClone(report), [], DEFAULT_REVIEW_THRESHOLD);
  const review = new Review(structuredClone(report), 'id', 1, DEFAULT_REVIEW_THRESHOLD);
  assert.deepEqual(ids(served.checks), ids(report.checks));
  assert.deepEqual(ids(review.results), ids(report.checks));
  assert.deepEqual(ids(review.corrected().checks), ids(report.checks));
  assert.deepEqual(review.corrected().summary, report.summary);
});

test('a correction is certain, and its checks, flags and suggestions follow it, in the service and in the UI alike', async () => {
  const report = await seed000();
  const printed = cellOf(report, NATURAL).value!;
  const broken = applyCorrections(structuredClone(report), [{ key: NATURAL, value: printed + 2 }], DEFAULT_REVIEW_THRESHOLD);
  const cell = cellOf(broken, NATURAL);
  assert.equal(cell.confidence, 1);
  assert.equal(cell.evidence.source, 'manual');
  const failing = broken.checks.filter((c) => !c.holds && !c.soft).map((c) => c.id);
  assert.ok(failing.includes('applications.rowTotal.newReceived'), failing.join());
  assert.ok(cellOf(broken, 'applications.newReceived.total').flags.includes('check:applications.rowTotal.newReceived'));
  // The one change that makes every failing check hold again is offered: the printed value.
  assert.deepEqual(cell.alternatives.map((a) => [a.source, a.value]), [['check', printed]]);
  assert.equal(broken.summary.checksFailed, failing.length);

  const review = new Review(structuredClone(report), 'id', 1, DEFAULT_REVIEW_THRESHOLD);
  review.setValue(NATURAL, printed + 2);
  assert.deepEqual(review.hardFailing.map((c) => c.id).sort(), [...failing].sort());
  review.setValue(NATURAL, printed);
  assert.equal(review.hardFailing.length, 0);
});

test('running the stage again derives the same flags and suggestions, never twice', async () => {
  const report = await seed000();
  const broken = applyCorrections(report, [{ key: NATURAL, value: 1 }], DEFAULT_REVIEW_THRESHOLD);
  const snapshot = JSON.stringify(broken.tables);
  const again = runChecks({ tables: broken.tables, template: broken.report.template, sections: broken.sections, threshold: DEFAULT_REVIEW_THRESHOLD });
  assert.equal(JSON.stringify(broken.tables), snapshot);
  assert.deepEqual(again.checks, broken.checks);
  // Alternatives from glued splits are reconstruction's: the stage keeps them.
  const cell = cellOf(broken, 'applications.newReceived.total');
  cell.alternatives.push({ value: 7, confidence: 0.3, why: 'another split of glued digits that fits the checks as well', source: 'split' });
  runChecks({ tables: broken.tables, template: broken.report.template, sections: broken.sections, threshold: DEFAULT_REVIEW_THRESHOLD });
  assert.equal(cell.alternatives.filter((a) => a.source === 'split').length, 1);
});

test('the form\'s arithmetic: blank counts as nothing, a missing cell leaves its check out, legacy cumulative ≥ this year', () => {
  const printed = [{ id: 'applications', rows: ['newReceived', 'carriedOver', 'total', 'carriedForward'], cols: ['naturalPerson', 'total'] }];
  const present = new Set(['newReceived', 'carriedOver', 'total', 'carriedForward'].flatMap((r) => [`applications.${r}.naturalPerson`, `applications.${r}.total`]));
  const checks = expandChecks(templates.gov2021, printed, present);
  const balance = checks.find((c) => c.id === 'applications.balance.naturalPerson')!;
  assert.deepEqual(balance.lhs, ['applications.newReceived.naturalPerson', 'applications.carriedOver.naturalPerson']);
  const values = new Map<string, CellValue>([
    ['applications.newReceived.naturalPerson', { state: 'number', value: 5 }],
    ['applications.carriedOver.naturalPerson', { state: 'blank', value: null }],
    ['applications.total.naturalPerson', { state: 'number', value: 4 }],
    ['applications.carriedForward.naturalPerson', { state: 'number', value: 1 }],
  ]);
  assert.deepEqual(evaluate(balance, values), { id: balance.id, rule: balance.rule, holds: true, lhs: 5, rhs: 5, cells: [...balance.lhs, ...balance.rhs] });
  values.set('applications.carriedForward.naturalPerson', { state: 'missing', value: null });
  assert.equal(evaluate(balance, values), null);

  const legacy = expandChecks(templates.legacy, [{ id: 'legacyIndicators', rows: ['proactive.total'], cols: ['thisYear', 'cumulative'] }],
    new Set(['legacyIndicators.proactive.total.thisYear', 'legacyIndicators.proactive.total.cumulative']));
  const cumulative = legacy.find((c) => c.relation === 'gte')!;
  const r = evaluate(cumulative, new Map([
    ['legacyIndicators.proactive.total.cumulative', { state: 'number', value: 440 }],
    ['legacyIndicators.proactive.total.thisYear', { state: 'number', value: 441 }],
  ]));
  assert.equal(r?.holds, false);
  assert.equal(r?.soft, true);
});

test('a failing check over two rows is not the glued row\'s own total: other. is no row of other.noCorrection.', async () => {
  const { rawConfidence } = await import('../src/check/confidence.js');
  const report = await seed000();
  const cell = structuredClone(cellOf(report, 'applications.granted.total'));
  const key = 'applications.other.total';
  Object.assign(cell, { key, row: 'other', col: 'total' });
  const basis = { labelScore: 1, placement: 1, readingShare: 1, note: 'glued' as const };
  const across = { id: 'across', rule: 'r', holds: false, lhs: 1, rhs: 2, cells: [key, 'applications.other.noCorrection.total'] };
  const held = { id: 'held', rule: 'r', holds: true, lhs: 1, rhs: 1, cells: [key, 'applications.total.total'] };
  assert.equal(rawConfidence(cell, basis, [across, held], true).cap, undefined);
  const ownRow = { ...across, cells: [key, 'applications.other.naturalPerson'] };
  assert.equal(rawConfidence(cell, basis, [ownRow, held], true).cap, 0.45);
});
