/** Checks across documents (src/check/series.ts): one agency's reports paired year by year by the series rules. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { agencyKeyOf, runSeriesChecks } from '../src/check/series.js';
import type { Report } from '../src/model/report.js';
import { convert } from '../src/pipeline.js';
import { sample, seeds } from './support/fixtures.js';

let gov2021: Report; // seed 003: 同心县人民政府办公室 2023, carriedOver and carriedForward all 0
let gov2019: Report; // seed 000: 卫东区 2019

before(async () => {
  gov2021 = await convert(sample(`seeds/${seeds[3]}.txt`), { filename: 'a.txt' });
  gov2019 = await convert(sample(`seeds/${seeds[0]}.txt`), { filename: 'b.txt' });
});

/** A copy of a report as another year's, with some cells set (value, state number). */
function yearOf(base: Report, year: number, values: Record<string, number> = {}): Report {
  const r = structuredClone(base);
  r.report.year = year;
  r.source.sha256 = `${base.source.sha256.slice(0, 50)}${year}`;
  for (const c of r.tables.flatMap((t) => t.cells)) {
    if (c.key in values) Object.assign(c, { value: values[c.key], text: String(values[c.key]), state: 'number' });
  }
  return r;
}

test('上年结转 of year N against 结转下年度继续办理 of N−1: holds, fails with flags on both years and the value each year gives', () => {
  const y2022 = yearOf(gov2021, 2022, { 'applications.carriedForward.naturalPerson': 2, 'applications.carriedForward.total': 2 });
  const y2023 = yearOf(gov2021, 2023, { 'applications.carriedOver.naturalPerson': 2, 'applications.carriedOver.total': 2 });
  const y2024 = yearOf(gov2021, 2024, { 'applications.carriedOver.naturalPerson': 5, 'applications.carriedOver.total': 5 });
  const { results, marks } = runSeriesChecks([
    { file: '2022.txt', report: y2022 },
    { file: '2023.txt', report: y2023 },
    { file: '2024.txt', report: y2024 },
    { file: 'other-agency.txt', report: { ...yearOf(gov2019, 2023), report: { ...gov2019.report, year: 2023 } } },
  ]);
  const carried = results.filter((r) => r.id.startsWith('series.applications.carriedOver.'));
  assert.equal(carried.length, 14, '7 columns × (2022→2023, 2023→2024); the other agency is not paired');
  assert.ok(carried.filter((r) => r.year === 2023).every((r) => r.holds && r.previousFile === '2022.txt'));
  const failing = carried.filter((r) => !r.holds).map((r) => [r.id, r.year, r.lhs, r.rhs]);
  assert.deepEqual(failing, [
    ['series.applications.carriedOver.naturalPerson', 2024, 5, 0],
    ['series.applications.carriedOver.total', 2024, 5, 0],
  ]);
  const cur = marks.get('2024.txt')!.get('applications.carriedOver.total')!;
  assert.deepEqual(cur.flags, ['series:series.applications.carriedOver.total']);
  assert.deepEqual(cur.alternatives.map((a) => a.value), [0]);
  assert.match(cur.alternatives[0].why, /2023's report \(2023\.txt\)/);
  const prev = marks.get('2023.txt')!.get('applications.carriedForward.total')!;
  assert.deepEqual([prev.flags, prev.alternatives.map((a) => a.value)], [['series:series.applications.carriedOver.total'], [5]]);
  assert.equal(marks.get('2022.txt'), undefined, 'nothing failed for 2022');
  // Nothing was changed in the reports.
  assert.equal(y2024.tables.flatMap((t) => t.cells).find((c) => c.key === 'applications.carriedOver.total')!.value, 5);
});

test('the 2019 form: 上一年项目数量 of year N = 上一年项目数量 + 本年增/减 of N−1; never between different forms', () => {
  const prevItems = gov2019.tables.flatMap((t) => t.cells).find((c) => c.key === 'active.penalty.previousItems')!;
  const change = gov2019.tables.flatMap((t) => t.cells).find((c) => c.key === 'active.penalty.change')!;
  assert.equal(prevItems.state, 'number');
  const next = (prevItems.value ?? 0) + (change.value ?? 0);
  const y2020 = yearOf(gov2019, 2020, { 'active.penalty.previousItems': next, 'active.licensing.previousItems': 999 });
  const { results } = runSeriesChecks([{ file: '2019.txt', report: gov2019 }, { file: '2020.txt', report: y2020 }]);
  const byId = new Map(results.map((r) => [r.id, r]));
  assert.equal(byId.get('series.active.previousItems.penalty')!.holds, true);
  assert.equal(byId.get('series.active.previousItems.licensing')!.holds, false);
  assert.deepEqual(byId.get('series.active.previousItems.licensing')!.notes.length, 1, 'only year N’s single cell gets a value; N−1 has two cells');
  // A gov2021 report of 2020 by the same agency: the 2019-form rule does not apply, the 表三 rule does.
  const on2021 = { ...yearOf(gov2021, 2020), report: { ...gov2021.report, year: 2020, agency: gov2019.report.agency, agencyKey: gov2019.report.agencyKey } };
  const mixed = runSeriesChecks([{ file: '2019.txt', report: gov2019 }, { file: '2020.txt', report: on2021 as Report }]).results;
  assert.ok(mixed.length > 0 && mixed.every((r) => r.id.startsWith('series.applications.')));
});

test('glued digits split two ways are decided by the neighbouring year, as an alternative, never a new value', () => {
  const y2022 = yearOf(gov2021, 2022, { 'applications.carriedForward.naturalPerson': 12, 'applications.carriedForward.total': 12 });
  const y2023 = yearOf(gov2021, 2023, { 'applications.carriedOver.naturalPerson': 2, 'applications.carriedOver.total': 12 });
  const cell = y2023.tables.flatMap((t) => t.cells).find((c) => c.key === 'applications.carriedOver.naturalPerson')!;
  cell.alternatives = [{ value: 12, confidence: 0.4, why: 'another split of 1212', source: 'split' }, { value: 21, confidence: 0.3, why: 'another split', source: 'split' }];
  const { results, marks } = runSeriesChecks([{ file: '2022.txt', report: y2022 }, { file: '2023.txt', report: y2023 }]);
  const r = results.find((x) => x.id === 'series.applications.carriedOver.naturalPerson')!;
  assert.equal(r.holds, false);
  const alts = marks.get('2023.txt')!.get('applications.carriedOver.naturalPerson')!.alternatives;
  assert.ok(alts.some((a) => a.value === 12 && /only split that fits/.test(a.why)), JSON.stringify(alts));
  assert.equal(alts.length, 1, `one alternative per cell and check: the split's reason replaces the plain offer of the same value; ${JSON.stringify(alts)}`);
  assert.equal(cell.value, 2, 'the printed reading stays');
  // The split explains the failure: 2022's firm cell is flagged (the pair as read disagrees) but offered
  // nothing taken from 2023's reading that 2022 speaks against.
  const older = marks.get('2022.txt')!.get('applications.carriedForward.naturalPerson')!;
  assert.deepEqual([older.flags, older.alternatives], [['series:series.applications.carriedOver.naturalPerson'], []]);
  assert.deepEqual(r.notes, ['2023.txt applications.carriedOver.naturalPerson=12 (series.applications.carriedOver.naturalPerson: the only split that fits the neighbouring year)']);
  // When the printed split fits and the others do not, the note says so.
  const read12 = yearOf(y2023, 2023, { 'applications.carriedOver.naturalPerson': 12 });
  read12.tables.flatMap((t) => t.cells).find((c) => c.key === cell.key)!.alternatives = [{ ...cell.alternatives[0], value: 2 }, cell.alternatives[1]];
  const fits = runSeriesChecks([
    { file: '2022.txt', report: y2022 },
    { file: '2023.txt', report: read12 },
  ]).results.find((x) => x.id === 'series.applications.carriedOver.naturalPerson')!;
  assert.equal(fits.holds, true);
  assert.match(fits.notes.join(), /printed split fits the neighbouring year/);
});

test('a year in two formats (different bytes): the neighbouring years’ cells get one flag and one alternative per check', () => {
  const y2022 = yearOf(gov2021, 2022, { 'applications.carriedForward.naturalPerson': 2, 'applications.carriedForward.total': 2 });
  const y2023 = yearOf(gov2021, 2023, { 'applications.carriedOver.naturalPerson': 5, 'applications.carriedOver.total': 5 });
  const y2023doc = structuredClone(y2023);
  y2023doc.source.sha256 = `${y2023.source.sha256.slice(0, 50)}docx`;
  const y2024 = yearOf(gov2021, 2024, { 'applications.carriedOver.naturalPerson': 7, 'applications.carriedOver.total': 7 });
  const { results, marks } = runSeriesChecks([
    { file: '2022.txt', report: y2022 },
    { file: '2023.docx', report: y2023doc },
    { file: '2023.txt', report: y2023 },
    { file: '2024.txt', report: y2024 },
  ]);
  const id = 'series.applications.carriedOver.total';
  // Each file is still checked: both 2023 files against 2022, 2024 against both 2023 files.
  assert.deepEqual(results.filter((r) => r.id === id && !r.holds).map((r) => `${r.previousFile}→${r.file}`), ['2022.txt→2023.docx', '2022.txt→2023.txt', '2023.docx→2024.txt', '2023.txt→2024.txt']);
  const older = marks.get('2022.txt')!.get('applications.carriedForward.total')!;
  assert.deepEqual(older.flags, [`series:${id}`]);
  assert.deepEqual(older.alternatives.map((a) => a.value), [5]);
  const newer = marks.get('2024.txt')!.get('applications.carriedOver.total')!;
  assert.deepEqual(newer.flags, [`series:${id}`]);
  assert.deepEqual(newer.alternatives.map((a) => a.value), [0]);
  for (const file of ['2023.txt', '2023.docx']) {
    const both = marks.get(file)!.get('applications.carriedOver.total')!;
    assert.deepEqual(both.flags, [`series:${id}`], file);
    assert.deepEqual(both.alternatives.map((a) => a.value), [2], `${file}: the value 2022 gives (the only single cell on this check's side)`);
  }
});

test('agency key: the model’s agencyKey when the report has one, else the name folded (script, spaces, brackets)', () => {
  assert.equal(agencyKeyOf(gov2021), gov2021.report.agencyKey);
  assert.ok(gov2021.report.agencyKey?.endsWith('同心县人民政府办公室'), String(gov2021.report.agencyKey));
  const r = structuredClone(gov2021);
  r.report.agencyKey = null;
  r.report.agency = '同心縣人民政府（辦公室）';
  assert.equal(agencyKeyOf(r), '同心县人民政府办公室');
  r.report.agency = null;
  assert.equal(agencyKeyOf(r), null);
});
