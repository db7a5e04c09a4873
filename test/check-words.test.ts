/**
 * Checks in the form's words (issue #16): the statement each check carries is worded from the form's
 * printed labels, on a real seed with one digit changed, and rows are named with their group where the
 * leaf alone is ambiguous.
 * Run: node --import tsx --test test/check-words.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyCorrections, DEFAULT_REVIEW_THRESHOLD } from '../src/check/index.js';
import type { CheckResult, Report } from '../src/model/report.js';
import { schemaErrors } from '../src/model/validate.js';
import { convert } from '../src/pipeline.js';
import { templates } from '../src/templates/forms.js';
import { expandChecks } from '../src/templates/rules.js';
import { checkStatement, rowTitle } from '../src/templates/wording.js';
import { repo } from './support/browser.js';

const seed = readFileSync(join(repo, 'samples/seeds/000_ac416d85e5af171b.txt'), 'utf8');

async function misread(): Promise<Report> {
  // 158 where the report prints 156, as scripts/screenshots.ts does.
  const changed = seed.replace('一、本年新收政府信息公开申请数量 | 156 |', '一、本年新收政府信息公开申请数量 | 158 |');
  assert.notEqual(changed, seed);
  return convert(new TextEncoder().encode(changed), { filename: 'weidong-2019.txt' });
}

const byId = (checks: CheckResult[], id: string) => {
  const c = checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} is evaluated`);
  return c;
};

test('a real report\'s checks are stated in the form\'s printed labels, with both sides\' numbers', async () => {
  const report = await misread();
  assert.equal(report.report.template, 'gov2019');
  const balance = byId(report.checks, 'applications.balance.naturalPerson');
  assert.equal(balance.holds, false);
  assert.equal(balance.statement, '自然人：一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量 = （七）总计 + 四、结转下年度继续办理');
  assert.deepEqual([balance.lhs, balance.rhs], [158, 156]);
  // Every result row summed is named by the group they make up, not by 20-odd terms.
  assert.equal(byId(report.checks, 'applications.total.naturalPerson').statement, '自然人：（七）总计 = 三、本年度办理结果各项之和');
  const rowTotal = byId(report.checks, 'applications.rowTotal.newReceived');
  assert.equal(rowTotal.holds, false);
  assert.equal(rowTotal.statement, '一、本年新收政府信息公开申请数量：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他');
  assert.equal(byId(report.checks, 'reviewLitigation.total.review').statement, '行政复议：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结');
  const prose = byId(report.checks, 'prose.applications.newReceived.total');
  assert.match(prose.statement ?? '', /^一、总体情况“[^”]*\d+[件起个条]” = 表中 一、本年新收政府信息公开申请数量 × 总计$/);
  // Every check has one, and the report with them is still a valid xxgk/report@1.
  assert.deepEqual(report.checks.filter((c) => !c.statement).map((c) => c.id), []);
  assert.deepEqual(schemaErrors(report), []);
});

test('a correction re-derives the statements (the UI and the API show the same words)', async () => {
  const report = await misread();
  const before = new Map(report.checks.map((c) => [c.id, c.statement]));
  const fixed = applyCorrections(report, [{ key: 'applications.newReceived.naturalPerson', value: 156 }], DEFAULT_REVIEW_THRESHOLD);
  const balance = byId(fixed.checks, 'applications.balance.naturalPerson');
  assert.equal(balance.holds, true);
  assert.equal(balance.statement, '自然人：一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量 = （七）总计 + 四、结转下年度继续办理');
  for (const c of fixed.checks) assert.equal(c.statement, before.get(c.id), c.id);
});

test('rows carry their group where the leaf alone is ambiguous', () => {
  const at = (table: 'applications' | 'active', row: string) => ({ table, row, col: 'total', rowLabel: '', colLabel: '' });
  assert.equal(rowTitle(templates.gov2021, at('applications', 'other.other')), '（六）其他处理 › 3.其他');
  assert.equal(rowTitle(templates.gov2021, at('applications', 'denied.stateSecret')), '（三）不予公开 › 1.属于国家秘密');
  assert.equal(rowTitle(templates.gov2021, at('applications', 'unavailable.notHeld')), '（四）无法提供 › 1.本机关不掌握相关政府信息');
  // Numbered once in the table: the leaf says it all.
  assert.equal(rowTitle(templates.gov2021, at('applications', 'granted')), '（一）予以公开');
  assert.equal(rowTitle(templates.gov2021, at('applications', 'newReceived')), '一、本年新收政府信息公开申请数量');
  // Off the form (legacy 附表): the label the document printed.
  assert.equal(rowTitle(templates.legacy, { table: 'legacyIndicators', row: 'requests.total', col: 'thisYear', rowLabel: '受理申请总数', colLabel: '本年度' }), '受理申请总数');
});

test('（六）其他处理 printed as three rows still sums to the whole group; legacy checks read the printed labels', () => {
  const form = templates.gov2021;
  const rows = form.tables.find((t) => t.id === 'applications')!.rows.map((r) => r.key).filter((k) => k !== 'other');
  const present = new Set(rows.map((r) => `applications.${r}.naturalPerson`));
  const place = (k: string) => ({ table: 'applications' as const, row: k.slice('applications.'.length, -'.naturalPerson'.length), col: 'naturalPerson', rowLabel: '', colLabel: '' });
  const total = expandChecks(form, [{ id: 'applications', rows, cols: ['naturalPerson'] }], present).find((c) => c.id === 'applications.total.naturalPerson')!;
  assert.ok(total.rhs.includes('applications.other.other.naturalPerson'));
  assert.equal(checkStatement(form, total, place), '自然人：（七）总计 = 三、本年度办理结果各项之和');
  // Without 3.其他 the side is not the whole group: the whole subgroups are named, 3.其他's siblings each with their group.
  const partial = { ...total, rhs: total.rhs.filter((k) => k !== 'applications.other.other.naturalPerson') };
  const words = checkStatement(form, partial, place);
  assert.match(words, /^自然人：（七）总计 = （一）予以公开 \+ （二）部分公开[^+]* \+ （三）不予公开各项之和 \+ （四）无法提供各项之和 \+ （五）不予处理各项之和 \+ （六）其他处理 › 1\.申请人无正当理由[^+]* \+ （六）其他处理 › 2\.申请人逾期未按收费通知要求缴纳费用/);
  assert.doesNotMatch(words, /三、本年度办理结果各项之和/);

  const legacy = { table: 'legacyIndicators' as const, rowLabel: '受理申请总数', row: 'requests.total' };
  const cells = new Map([
    ['c', { ...legacy, col: 'cumulative', colLabel: '累计' }],
    ['y', { ...legacy, col: 'thisYear', colLabel: '2012年' }],
  ]);
  assert.equal(checkStatement(templates.legacy, { lhs: ['c'], rhs: ['y'], relation: 'gte' }, (k) => cells.get(k)), '受理申请总数：历年累计 ≥ 本年度');
});
