/** Checks never change printed values: failures are flagged with a suggestion; glued digits are split with the checks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanonicalCell, Report } from '../src/model/report.js';
import { convertVia, testApp } from './support/app.js';
import { readFileSync } from 'node:fs';
import { hasShared, sample, seeds, sharedReal } from './support/fixtures.js';

const { app } = testApp();
const cellsOf = (r: Report) => new Map<string, CanonicalCell>(r.tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));
const seedText = (i: number) => sample(`seeds/${seeds[i]}.txt`).toString('utf8');
const KEY = 'applications.newReceived.naturalPerson';
const post = (text: string, name: string) => convertVia(app, Buffer.from(text, 'utf8'), name, 'text/plain; charset=utf-8');

test('a changed digit in 表三 stays as printed, is flagged, and the original is offered', async () => {
  const text = seedText(0).replace('一、本年新收政府信息公开申请数量 | 156 |', '一、本年新收政府信息公开申请数量 | 158 |');
  const report = await post(text, 'changed.txt');
  const cell = cellsOf(report).get(KEY)!;
  assert.equal(cell.value, 158);
  assert.equal(cell.text, '158');
  const failing = report.checks.filter((c) => !c.holds && !c.soft).map((c) => c.id).sort();
  assert.deepEqual(failing, ['applications.balance.naturalPerson', 'applications.rowTotal.newReceived']);
  assert.deepEqual(cell.flags.sort(), ['check:applications.balance.naturalPerson', 'check:applications.rowTotal.newReceived']);
  assert.deepEqual(cell.alternatives.map((a) => a.value), [156]);
  // Markup is read right even when the document is inconsistent: the failed checks lower the
  // confidence only a little, and the flags put the cell in front of a reviewer anyway.
  const clean = cellsOf(await post(seedText(0), 'clean.txt')).get(KEY)!;
  assert.ok(cell.confidence < clean.confidence, `confidence ${cell.confidence} is below the consistent document's ${clean.confidence}`);
  assert.equal(report.summary.checksFailed, 2);
  // The other cells of the failing checks are flagged too, but no single change of theirs explains both.
  const total = cellsOf(report).get('applications.newReceived.total')!;
  assert.ok(total.flags.includes('check:applications.rowTotal.newReceived'));
  assert.deepEqual(total.alternatives, []);
});

test('glued digits that split one way only under the checks are read exactly', async () => {
  // 同心县 2023: 15 | 1 | 0 | 0 | 0 | 0 | 16, glued by a crawler into one string.
  const text = seedText(3).replace(/一、本年新收政府信息公开申请数量\n\n15\n\n1\n\n0\n\n0\n\n0\n\n0\n\n16\n/, '一、本年新收政府信息公开申请数量\n\n151000016\n');
  assert.ok(text.includes('151000016'));
  const report = await post(text, 'glued.txt');
  const cells = cellsOf(report);
  const got = ['naturalPerson', 'commercial', 'research', 'socialWelfare', 'legalService', 'otherOrg', 'total'].map((c) => cells.get(`applications.newReceived.${c}`)!.value);
  assert.deepEqual(got, [15, 1, 0, 0, 0, 0, 16]);
  assert.ok(cells.get('applications.newReceived.naturalPerson')!.confidence >= 0.9);
  assert.equal(report.checks.filter((c) => !c.holds && !c.soft).length, 0);
  // 一、总体情况 says 全年共受理依申请公开事项16件: the prose agrees with the split.
  assert.equal(report.checks.find((c) => c.id === 'prose.applications.newReceived.total')?.holds, true);
});

test('glued digits that split two ways get low confidence and the other split as an alternative', async () => {
  // 规章 1 | 0 | 10 or 10 | 1 | 0: 表二 has no check to tell them apart.
  const text = seedText(3).replace(/规章\n\n0\n\n0\n\n0\n/, '规章\n\n1010\n');
  const report = await post(text, 'ambiguous.txt');
  const cells = cellsOf(report);
  const keys = ['issued', 'repealed', 'inForce'].map((c) => `active.regulations.${c}`);
  const values = keys.map((k) => cells.get(k)!.value);
  const splits = [[1, 0, 10], [10, 1, 0]];
  const chosen = splits.findIndex((s) => s.join() === values.join());
  assert.ok(chosen >= 0, `values ${values} are one of the two splits`);
  const other = splits[1 - chosen];
  keys.forEach((k, i) => {
    const c = cells.get(k)!;
    assert.ok(c.confidence <= 0.6, `${k} confidence ${c.confidence}`);
    assert.deepEqual(c.alternatives.map((a) => a.value), [other[i]]);
  });
});

test('the blank 2021 form gives every cell blank, never 0', async (t) => {
  if (!hasShared) return t.skip(`${sharedReal} is absent`);
  const report = await convertVia(app, readFileSync(`${sharedReal}/template-2021-blank.docx`), 'template-2021-blank.docx');
  assert.equal(report.report.template, 'gov2021');
  const cells = report.tables.flatMap((t) => t.cells);
  assert.equal(cells.length, 200);
  for (const c of cells) {
    assert.equal(c.state, 'blank', c.key);
    assert.equal(c.value, null, c.key);
  }
  assert.equal(report.summary.filled, 0);
});

test('a local extra row in 表二 is kept as extra.<n> with its printed label, and nothing else moves', async () => {
  // Hubei-style addition after 行政规范性文件, in the one-cell-per-line text of 同心县 2023.
  const extraLabel = '其他主动公开文件（部门规范性文件等）';
  const text = seedText(3).replace(/(行政规范性文件\n\n7\n\n11\n\n20\n)/, `$1\n${extraLabel}\n\n3\n\n1\n\n12\n`);
  assert.ok(text.includes(extraLabel));
  const report = await post(text, 'extra.txt');
  const cells = cellsOf(report);
  assert.deepEqual(['issued', 'repealed', 'inForce'].map((c) => cells.get(`active.extra.1.${c}`)?.value), [3, 1, 12]);
  assert.equal(cells.get('active.extra.1.issued')!.rowLabel, extraLabel);
  assert.equal(cells.get('active.licensing.decisions')!.value, 0);
  assert.equal(cells.get('active.normativeDocuments.inForce')!.value, 20);
  assert.equal([...cells.keys()].filter((k) => k.includes('.extra.')).length, 3);
});
