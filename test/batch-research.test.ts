/**
 * What a researcher does with a batch's dataset, through the batch command: a 上年结转 row printed as a
 * glued digit run that splits two ways inside its report is decided by the year before (a flag and an
 * alternative, the printed reading kept), and the README's pandas snippet loads the output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runBatch } from '../src/cli/batch.js';
import type { Report } from '../src/model/report.js';
import { parseCsv } from './support/csv.js';
import { yearReport } from './support/agency-years.js';
import { repoRoot, seeds } from './support/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'xxgk-research-'));
const input = join(root, 'in');
// The README's snippet reads `converted/`.
const out = join(root, 'converted');
after(() => rmSync(root, { recursive: true, force: true }));

const NATURAL = 'applications.carriedOver.naturalPerson';
const COMMERCIAL = 'applications.carriedOver.commercial';
const SPLIT_WHY = 'the only split that fits the neighbouring year';

before(async () => {
  mkdirSync(input, { recursive: true });
  // 2022 carries 11 applications of natural persons into 2023.
  writeFileSync(join(input, '2022.html'), yearReport(2022, {
    'applications.newReceived.naturalPerson': 26, 'applications.newReceived.total': 27,
    'applications.carriedForward.naturalPerson': 11, 'applications.carriedForward.total': 11,
  }));
  // 2023 as a crawled page (its text on one line, a row's digits glued): 上年结转 and 结转下年度 both print
  // 110000011, which the report's own checks cannot split (11 0 … 11 or 1 10 … 11 balance either way).
  const crawled = readFileSync(join(repoRoot, 'samples', 'crawled', `${seeds[3]}.glued.txt`), 'utf8');
  let text = crawled;
  for (const row of ['上年结转政府信息公开申请数量', '结转下年度继续办理']) {
    assert.ok(text.includes(`${row}0000000`), row);
    text = text.replace(`${row}0000000`, `${row}110000011`);
  }
  writeFileSync(join(input, '2023.txt'), text);
  const sink = { write: (s: string) => void s, isTTY: false };
  assert.equal(await runBatch([input, '--out', out], { stderr: sink }), 0);
});

function table(name: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(join(out, name), 'utf8'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

test('a glued run that splits two ways is decided by the year before: a flag and an alternative, never a new value', () => {
  const json = JSON.parse(readFileSync(join(out, '2023.txt.json'), 'utf8')) as Report;
  const printed = new Map(json.tables.flatMap((t) => t.cells).map((c) => [c.key, c]));
  // The report alone: the reading it chose, the other split as its alternative.
  assert.deepEqual([printed.get(NATURAL)!.value, printed.get(COMMERCIAL)!.value], [1, 10]);
  assert.deepEqual(printed.get(NATURAL)!.alternatives.map((a) => [a.value, a.source]), [[11, 'split']]);

  const series = table('series-checks.csv').filter((s) => s.file === '2023.txt' && s.holds === 'false');
  assert.deepEqual(series.map((s) => [s.check, s.lhs, s.rhs, s.previousFile]), [
    [`series.${NATURAL}`, '1', '11', '2022.html'],
    [`series.${COMMERCIAL}`, '10', '0', '2022.html'],
  ]);
  assert.equal(series[0].alternatives, `2023.txt ${NATURAL}=11 (series.${NATURAL}: ${SPLIT_WHY})`);

  const cells = table('cells.csv');
  const cell = (key: string) => cells.find((c) => c.file === '2023.txt' && c.key === key)!;
  for (const [key, value, other] of [[NATURAL, '1', '11'], [COMMERCIAL, '10', '0']]) {
    assert.equal(cell(key).value, value, `${key}: the printed reading stays`);
    assert.equal(cell(key).flags, `series:series.${key}`);
    assert.equal(
      cell(key).alternatives,
      `${other} (split: another split of glued digits that fits the checks as well) | ${other} (series: series.${key}: ${SPLIT_WHY})`,
    );
  }
  // 2022's firm cell: flagged (the pair as read disagrees), offered nothing from the reading 2022 speaks against.
  const older = cells.find((c) => c.file === '2022.html' && c.key === 'applications.carriedForward.naturalPerson')!;
  assert.deepEqual([older.value, older.flags, older.alternatives], ['11', `series:series.${NATURAL}`, '']);
  // 结转下年度 of 2023 has no next year here: the same glued run stays undecided, unflagged.
  assert.equal(cell('applications.carriedForward.naturalPerson').flags, '');
  assert.equal(cell('applications.carriedForward.naturalPerson').alternatives, '11 (split: another split of glued digits that fits the checks as well)');

  const row = table('dataset.csv').find((r) => r.file === '2023.txt')!;
  assert.deepEqual([row[NATURAL], row[COMMERCIAL], row.seriesChecksFailed], ['1', '10', `series.${COMMERCIAL} series.${NATURAL}`]);
  const low = table('low-confidence.csv').find((l) => l.file === '2023.txt' && l.key === NATURAL)!;
  assert.match(low.why, new RegExp(`^low confidence \\(0\\.\\d+ < 0\\.9\\); series check series\\.${NATURAL.replace(/\./g, '\\.')}$`));
  // The per-file JSON is the report alone: the series stays out of it.
  assert.deepEqual(printed.get(NATURAL)!.flags, []);
});

test("the README's pandas snippet loads cells.csv and dataset.csv", (t) => {
  // setup.sh --test installs Debian's python3-pandas; a python3 found first on the PATH (pyenv) may lack it.
  const pythons = process.env.XXGK_PYTHON ? [process.env.XXGK_PYTHON] : ['python3', '/usr/bin/python3'];
  const python = pythons.find((p) => spawnSync(p, ['-c', 'import pandas']).status === 0);
  if (!python) return t.skip(`pandas is not installed for ${pythons.join(' or ')} (setup.sh --test installs python3-pandas; XXGK_PYTHON names another python)`);
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const snippet = /```python\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(snippet?.includes('cells.csv'), 'the README has a pandas snippet that loads cells.csv');
  const check = [
    'import json',
    'key = cells.agencyKey.iloc[0]',
    `print(json.dumps({"cells": len(cells), "reports": len(reports), "carried": counts.loc[(key, 2023, "2023.txt"), "${NATURAL}"].item(),`,
    `  "wide": reports.set_index("file").loc["2022.html", "applications.carriedForward.total"].item()}))`,
  ].join('\n');
  const r = spawnSync(python, ['-c', `${snippet}\n${check}`], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const cellRows = table('cells.csv').length;
  assert.deepEqual(JSON.parse(r.stdout), { cells: cellRows, reports: 2, carried: 1, wide: 11 });
});
