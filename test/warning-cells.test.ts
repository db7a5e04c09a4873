/**
 * A warning names the cells it puts in doubt, and the review queue takes them: a row of glued digits that
 * split too many ways leaves its cells missing, yet the document prints them, so a reviewer must see them,
 * may correct them, and they leave the queue once set. A missing cell no warning names stays uncorrectable.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import request from 'supertest';
import { applyCorrections } from '../src/check/index.js';
import { correctable, queuedBySummary, queuedCells } from '../src/check/queue.js';
import type { Report } from '../src/model/report.js';
import { schemaErrors } from '../src/model/validate.js';
import { LOW_CONFIDENCE_COLUMNS, lowConfidenceRows } from '../src/output/dataset.js';
import { testApp } from './support/app.js';
import { sample, samplesDir, seeds } from './support/fixtures.js';

const original = readFileSync(join(samplesDir, 'crawled/real/pingtan-gaj-2022.txt'), 'utf8');
const glued = original.replace('一、本年新收政府信息公开申请数量1000001', '一、本年新收政府信息公开申请数量1234567891234567891234567');
const ROW = 'applications.newReceived.';
const THRESHOLD = 0.9;

const { app } = testApp();

async function convertGlued() {
  assert.notEqual(glued, original);
  const res = await request(app).post('/v1/convert?filename=glued.txt').set('Content-Type', 'text/plain').send(Buffer.from(glued));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Report;
}

test('SPLIT_GAVE_UP names its row\'s cells; missing as they are, the queue takes them, and lets them go once set', async () => {
  const report = await convertGlued();
  assert.deepEqual(schemaErrors(report), []);
  const warning = report.warnings.find((w) => w.code === 'SPLIT_GAVE_UP')!;
  const row = report.tables.flatMap((t) => t.cells).filter((c) => c.key.startsWith(ROW));
  assert.deepEqual(warning.cells, row.map((c) => c.key));
  assert.equal(row.length, 7);
  assert.ok(row.every((c) => c.state === 'missing'));

  const queued = queuedCells(report.tables, report.checks, report.warnings, THRESHOLD);
  for (const c of row) assert.ok(queued.has(c.key), `${c.key} is queued`);
  // The count the results list stores follows the same rule (the service's threshold is this test's).
  assert.equal(queuedBySummary(report), queued.size);
  // What may be entered follows the warning too.
  assert.ok(row.every((c) => correctable(c, report.warnings)));
  const unnamed = report.tables.flatMap((t) => t.cells).find((c) => !c.key.startsWith(ROW) && c.state === 'number')!;
  assert.ok(correctable(unnamed, report.warnings));
  assert.ok(!correctable({ ...unnamed, state: 'missing' }, report.warnings), 'a missing cell no warning names');

  // The batch's low-confidence.csv lists them too, with the warning as the reason.
  const [KEY, STATE, WHY] = (['key', 'state', 'why'] as const).map((c) => LOW_CONFIDENCE_COLUMNS.indexOf(c));
  const listed = (r: Report) => lowConfidenceRows(r, THRESHOLD).filter((l) => String(l[KEY]).startsWith(ROW));
  assert.deepEqual(listed(report).map((l) => [l[KEY], l[STATE], l[WHY]]), row.map((c) => [c.key, 'missing', 'warning SPLIT_GAVE_UP']));

  const corrected = applyCorrections(structuredClone(report), row.map((c, i) => ({ key: c.key, value: [1, 0, 0, 0, 0, 0, 1][i] })), THRESHOLD);
  const after = queuedCells(corrected.tables, corrected.checks, corrected.warnings, THRESHOLD);
  for (const c of row) assert.ok(!after.has(c.key), `${c.key} left the queue once a reviewer set it`);
  // And low-confidence.csv no longer sends anyone to look at them.
  assert.deepEqual(listed(corrected), []);
});

test('the service takes a correction of a cell a warning names, and still refuses one of a cell the document lacks', async () => {
  // Seed 002 without its 表四 (heading and all): the form has the table, the document does not print it.
  const seed = sample(`seeds/${seeds[2]}.txt`).toString('utf8');
  const [head, tail] = seed.split('四、政府信息公开行政复议、行政诉讼情况');
  const lacking = `${head.replace(/#### $/, '')}${tail.slice(tail.indexOf('#### 五、'))}`;
  const res = await request(app).post('/v1/convert?filename=lacking.txt').set('Content-Type', 'text/plain').send(Buffer.from(lacking));
  assert.equal(res.status, 200);
  const absent = (res.body as Report).tables.find((t) => t.id === 'reviewLitigation')!.cells[0];
  assert.equal(absent.state, 'missing');
  const refused = await request(app).put(`/v1/results/${res.body.id}/corrections`).send({ baseVersion: 0, changes: [{ key: absent.key, value: 1 }] });
  assert.equal(refused.status, 422);
  assert.match(refused.body.error.message, /not printed in the document/);

  const report = await convertGlued();
  const warned = `${ROW}naturalPerson`;

  const saved = await request(app).put(`/v1/results/${report.id}/corrections`).send({ baseVersion: 0, changes: [{ key: warned, value: 1 }] });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const served = (await request(app).get(`/v1/results/${report.id}`)).body as typeof report;
  const cell = served.tables.flatMap((t) => t.cells).find((c) => c.key === warned)!;
  assert.deepEqual([cell.state, cell.value, cell.evidence.source], ['number', 1, 'manual']);
});
