/** The dataset view (column order, rows with state markers, review rows, codebook, cells), the CSV writer, the ZIP writer and the XLSX writer. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Report } from '../src/model/report.js';
import { BOM, csvField, toCsv } from '../src/output/csv.js';
import { parseCsv } from './support/csv.js';
import { CELLS_COLUMNS, cellRows } from '../src/output/cells.js';
import { CODEBOOK_COLUMNS, codebook, codebookRows } from '../src/output/codebook.js';
import {
  DATASET_CELL_KEYS,
  DATASET_COLUMNS,
  DATASET_META_COLUMNS,
  datasetRow,
  LOW_CONFIDENCE_COLUMNS,
  lowConfidenceRows,
  STATE_MARKERS,
  type DatasetEntry,
} from '../src/output/dataset.js';
import { columnName, xlsx } from '../src/output/xlsx.js';
import { zip } from '../src/output/zip.js';
import { convert } from '../src/pipeline.js';
import { legacyIndicators, templates } from '../src/templates/forms.js';
import { expectedFor, sample, seeds } from './support/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'xxgk-dataset-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function keysOf(id: 'gov2021' | 'gov2019'): string[] {
  return templates[id].tables.flatMap((t) => t.rows.flatMap((r) => (r.columns ?? t.columns.map((c) => c.key)).map((c) => `${t.id}.${r.key}.${c}`)));
}

const META = DATASET_META_COLUMNS.length;
const entryOf = (report: Report, file: string): DatasetEntry => ({ file, status: 'converted', report, sha256: report.source.sha256 });

test('dataset columns: meta columns, then gov2021 keys, gov2019-only keys, legacy known keys; no duplicates', () => {
  assert.deepEqual(DATASET_COLUMNS.slice(0, 5), ['file', 'status', 'duplicateOf', 'failure', 'sha256']);
  for (const c of ['agency', 'agencyConfidence', 'agencyKey', 'province', 'city', 'county', 'year', 'title', 'publishedOn', 'templateConfidence', 'route', 'cellsToReview', 'failedChecks', 'warnings', 'correctedCells']) {
    assert.ok(DATASET_META_COLUMNS.includes(c as never), c);
  }
  assert.deepEqual(DATASET_COLUMNS.slice(META), DATASET_CELL_KEYS);
  assert.equal(new Set(DATASET_CELL_KEYS).size, DATASET_CELL_KEYS.length);
  const g21 = keysOf('gov2021');
  const g19only = keysOf('gov2019').filter((k) => !g21.includes(k));
  const legacy = DATASET_CELL_KEYS.filter((k) => k.startsWith('legacyIndicators.'));
  assert.deepEqual(DATASET_CELL_KEYS, [...g21, ...g19only, ...legacy]);
  assert.equal(DATASET_CELL_KEYS[0], 'active.regulations.issued');
  assert.ok(DATASET_CELL_KEYS.includes('applications.other.naturalPerson') && DATASET_CELL_KEYS.includes('applications.other.other.total'));
  assert.equal(legacy.length, legacyIndicators.length * 2);
  assert.deepEqual(legacy.slice(0, 4), [
    'legacyIndicators.proactive.total.thisYear', 'legacyIndicators.proactive.total.cumulative',
    'legacyIndicators.proactive.website.thisYear', 'legacyIndicators.proactive.website.cumulative',
  ]);
  // Every key a labelled sample prints has a column.
  for (const seed of seeds) for (const k of Object.keys(expectedFor(seed).cells)) assert.ok(DATASET_CELL_KEYS.includes(k), k);
});

test('a dataset row holds the printed values; blank and missing cells carry their marker, cells the form lacks are empty', async () => {
  let blanks = 0;
  for (const seed of seeds) {
    const report = await convert(sample(`seeds/${seed}.txt`), { filename: `${seed}.txt` });
    const row = datasetRow(entryOf(report, `x/${seed}.txt`));
    const at = (c: string) => row[DATASET_COLUMNS.indexOf(c)];
    assert.equal(row.length, DATASET_COLUMNS.length);
    assert.deepEqual([at('file'), at('status'), at('sha256')], [`x/${seed}.txt`, 'converted', report.source.sha256]);
    assert.equal(at('template'), expectedFor(seed).template);
    assert.equal(at('year'), expectedFor(seed).year);
    assert.deepEqual([at('agencyKey'), at('agencyConfidence'), at('yearConfidence')], [report.report.agencyKey, report.report.fields.agency.confidence, report.report.fields.year.confidence]);
    if (seed === seeds[3]) assert.deepEqual([at('division'), at('province'), at('city'), at('county')], ['640324', '宁夏回族自治区', '吴忠市', '同心县']);
    const state = new Map(report.tables.flatMap((t) => t.cells.map((c) => [c.key, c.state] as const)));
    const cells = expectedFor(seed).cells;
    DATASET_CELL_KEYS.forEach((k, i) => {
      const got = row[META + i];
      if (typeof cells[k] === 'number') assert.equal(got, cells[k], `${seed} ${k}`);
      else if (cells[k] === null) {
        blanks++;
        assert.equal(got, STATE_MARKERS.blank, `${seed} ${k} is printed empty`);
      } else assert.equal(got, state.get(k) === 'missing' ? STATE_MARKERS.missing : null, `${seed} ${k} is not printed`);
    });
  }
  assert.equal(blanks, 6, 'seed 002 prints （一）予以公开 empty: six blank cells');
  const report = await convert(sample(`seeds/${seeds[3]}.txt`), { filename: 'r.txt' });
  const cell = report.tables.flatMap((t) => t.cells).find((c) => c.key === 'applications.newReceived.total')!;
  Object.assign(cell, { state: 'illegible', value: null, text: '1?6', confidence: 0.2 });
  const col = DATASET_COLUMNS.indexOf('applications.newReceived.total');
  assert.equal(datasetRow(report)[col], 'illegible');
  assert.equal(datasetRow(report)[0], 'r.txt');
  assert.equal(datasetRow(report)[DATASET_COLUMNS.indexOf('cellsToReview')], 1);
  // A duplicate keeps its report columns but no values: it is not counted twice.
  const dup = datasetRow({ ...entryOf(report, 'b/r.txt'), status: 'duplicate', duplicateOf: 'r.txt' });
  assert.equal(dup[DATASET_COLUMNS.indexOf('duplicateOf')], 'r.txt');
  assert.deepEqual(dup.slice(META).filter((v) => v !== null), []);
});

test('review rows: printed cells under the threshold, illegible cells and cells of failing checks, with where and why; never missing ones', async () => {
  const report: Report = await convert(sample(`seeds/${seeds[4]}.txt`), { filename: 'r.txt' });
  const cells = report.tables.flatMap((t) => t.cells);
  assert.deepEqual(lowConfidenceRows(report, 0.5), []);
  const [a, b, c, d] = cells;
  Object.assign(a, { confidence: 0.3 });
  Object.assign(b, { state: 'illegible', value: null, text: '▯', confidence: 0.95 });
  Object.assign(c, { state: 'missing', value: null, confidence: 0.1 });
  d.flags.push('check:test.fails');
  report.checks.push({ id: 'test.fails', rule: 'x = y', holds: false, lhs: 1, rhs: 2, cells: [d.key] });
  report.checks.push({ id: 'test.soft', rule: 'x = y', holds: false, lhs: 1, rhs: 2, cells: [d.key], soft: true });
  const series = new Map([[a.key, { flags: ['series:series.x'], alternatives: [] }]]);
  const rows = lowConfidenceRows({ ...entryOf(report, 'f/r.txt'), series }, 0.5);
  const col = (name: string) => LOW_CONFIDENCE_COLUMNS.indexOf(name as never);
  assert.deepEqual(rows.map((r) => r[col('key')]), [a.key, b.key, d.key]);
  assert.deepEqual(rows[0].slice(0, 9), ['f/r.txt', report.report.agency, report.report.year, a.evidence.page, 'active', a.key, a.rowLabel, a.colLabel, a.value]);
  assert.ok(typeof rows[0][col('page')] === 'number', 'a page to look at');
  assert.equal(rows[0][col('why')], 'low confidence (0.3 < 0.5); series check series.x');
  assert.equal(rows[1][col('why')], 'illegible');
  assert.equal(rows[2][col('why')], 'failing check test.fails; soft check test.soft');
  assert.equal(rows[2][col('flags')], 'check:test.fails');
  assert.equal(LOW_CONFIDENCE_COLUMNS.length, rows[0].length);
  // Every printed cell falls under a threshold above all confidences.
  assert.equal(lowConfidenceRows(report, 1.01).length, cells.filter((x) => x.state !== 'missing').length);
});

test('codebook: every cell column with the form labels and groups, unit, templates and checks from the template data', () => {
  const book = codebook();
  assert.deepEqual(book.map((e) => e.key), DATASET_CELL_KEYS);
  const byKey = new Map(book.map((e) => [e.key, e]));
  const other = byKey.get('applications.other.other.otherOrg')!;
  assert.equal(other.label, '（六）其他处理 › 3.其他 × 其他');
  assert.deepEqual(other.rowGroups, ['三、本年度办理结果', '（六）其他处理']);
  assert.deepEqual(other.colGroups, ['申请人情况', '法人或其他组织']);
  assert.deepEqual(other.templates, ['gov2021', 'gov2019']);
  assert.ok(other.checks.includes('applications.total.otherOrg') && other.checks.includes('applications.rowTotal.other.other'), other.checks.join(' '));
  // Every check a report's failedChecks or softChecksFailed may name is in the codebook, the prose one too.
  assert.deepEqual(byKey.get('applications.newReceived.total')!.checks, ['applications.balance.total', 'applications.rowTotal.newReceived', 'prose.applications.newReceived.total']);
  const carried = byKey.get('applications.carriedOver.total')!;
  assert.deepEqual(carried.seriesChecks, ['series.applications.carriedOver.total']);
  assert.ok(byKey.get('applications.carriedForward.total')!.seriesChecks.includes('series.applications.carriedOver.total'));
  const prev = byKey.get('active.penalty.previousItems')!;
  assert.deepEqual([prev.templates, prev.unit, prev.rowLabel, prev.colLabel], [['gov2019'], '件', '行政处罚', '上一年项目数量']);
  assert.deepEqual(prev.seriesChecks, ['series.active.previousItems.penalty']);
  const money = byKey.get('active.fees.amount')!;
  assert.equal(money.unit, '万元');
  const legacy = byKey.get('legacyIndicators.requests.total.cumulative')!;
  assert.equal(legacy.colLabel, '历年累计');
  assert.ok(legacy.checks.includes('legacyIndicators.sum.requests.total.cumulative'));
  assert.match(legacy.legacyWording, /受理/);
  const rows = codebookRows();
  assert.equal(rows[0].length, CODEBOOK_COLUMNS.length);
});

test('cells.csv rows: one per cell of a converted report, the form labels, state, unit, page, flags and corrections', async () => {
  const report = await convert(sample(`seeds/${seeds[3]}.txt`), { filename: 'r.txt' });
  const corrections = new Map([['applications.newReceived.total', { who: 'ann', at: '2026-01-02T03:04:05.000Z' }]]);
  const series = new Map([['applications.carriedOver.total', { flags: ['series:series.applications.carriedOver.total'], alternatives: [{ value: 2, why: 'next year', source: 'series' as const }] }]]);
  const rows = cellRows({ ...entryOf(report, 'a/r.txt'), corrections, series });
  assert.equal(rows.length, report.tables.reduce((n, t) => n + t.cells.length, 0));
  const col = (name: string) => CELLS_COLUMNS.indexOf(name as never);
  const find = (key: string) => rows.find((r) => r[col('key')] === key)!;
  const nr = find('applications.newReceived.total');
  assert.deepEqual([nr[col('file')], nr[col('value')], nr[col('state')], nr[col('unit')], nr[col('colLabel')]], ['a/r.txt', 16, 'number', '件', '申请人情况 › 总计']);
  assert.deepEqual([nr[col('correctedBy')], nr[col('correctedAt')]], ['ann', '2026-01-02T03:04:05.000Z']);
  const co = find('applications.carriedOver.total');
  assert.equal(co[col('flags')], 'series:series.applications.carriedOver.total');
  assert.equal(co[col('alternatives')], '2 (series: next year)');
  const other = await convert(sample(`seeds/${seeds[2]}.txt`), { filename: 'b.txt' });
  const blank = cellRows(entryOf(other, 'b.txt')).find((r) => r[col('key')] === 'applications.granted.naturalPerson')!;
  assert.deepEqual([blank[col('value')], blank[col('state')]], [null, 'blank'], 'a blank cell has no value and says so');
  assert.deepEqual(cellRows({ ...entryOf(report, 'b/r.txt'), status: 'duplicate' }), []);
});

test('CSV: RFC 4180 quoting, CRLF, a BOM, and it parses back', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(-26), '-26');
  assert.equal(csvField(8942.393), '8942.393');
  assert.equal(csvField(Number.NaN), '');
  const rows = [['文件', 'x'], ['淮安市, "人民政府"', 'a\r\nb'], ['', '']];
  const text = toCsv(rows);
  assert.ok(text.startsWith(BOM));
  assert.equal(text, `${BOM}文件,x\r\n"淮安市, ""人民政府""","a\r\nb"\r\n,\r\n`);
  assert.deepEqual(parseCsv(text), rows);
  assert.ok(!toCsv([['a']], { bom: false }).startsWith(BOM));
});

test('ZIP: equal input gives equal bytes, and unzip reads every entry back by its UTF-8 name', async (t) => {
  const big = Buffer.from('重复的内容 '.repeat(2000));
  const entries = [
    { name: 'a.txt', data: 'hello' },
    { name: 'dir/中文.txt', data: big },
    { name: 'empty', data: '' },
  ];
  const bytes = await zip(entries);
  assert.deepEqual(await zip(entries), bytes);
  // The entries carry the fixed 1980-01-01 00:00 DOS time, not the clock's, so a later run gives the same bytes.
  assert.equal(bytes.readUInt32LE(0), 0x04034b50);
  assert.deepEqual([bytes.readUInt16LE(10), bytes.readUInt16LE(12)], [0, (1 << 5) | 1]);
  const path = join(tmp, 't.zip');
  writeFileSync(path, bytes);
  if (spawnSync('unzip', ['-v']).error) return t.skip('unzip is not installed');
  assert.match(execFileSync('unzip', ['-t', path], { encoding: 'utf8' }), /No errors detected/);
  assert.equal(execFileSync('unzip', ['-p', path, 'a.txt'], { encoding: 'utf8' }), 'hello');
  assert.deepEqual(execFileSync('unzip', ['-p', path, 'dir/中文.txt']), big);
  assert.ok(bytes.length < big.length / 10, 'deflated');
});

test('XLSX: column names, and LibreOffice reads strings and numbers back', async (t) => {
  assert.deepEqual([0, 25, 26, 51, 52, 701, 702].map(columnName), ['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  const rows = [
    ['file', 'agency', 'n', 'x'],
    ['a/b.pdf', '淮安市人民政府 <办公室> & "co", ltd', 0, -26],
    ['c.txt', 'line1\nline2', 8942.393, null],
    ['d.txt', '', 0.9057, 3985758],
  ];
  const path = join(tmp, 'book.xlsx');
  writeFileSync(path, await xlsx([{ name: 'dataset', rows }, { name: 'dataset', rows: [['second sheet']] }]));
  if (spawnSync('unzip', ['-v']).error) return t.skip('unzip is not installed');
  assert.match(execFileSync('unzip', ['-t', path], { encoding: 'utf8' }), /No errors detected/);
  const csv = libreofficeCsv(path);
  if (csv === null) return t.skip('LibreOffice Calc is not available (soffice missing or cannot open spreadsheets)');
  assert.deepEqual(parseCsv(csv), rows.map((r) => r.map((v) => (v === null ? '' : String(v)))));
});

/** The first sheet of an XLSX as CSV text through LibreOffice, or null when LibreOffice cannot do it here. */
function libreofficeCsv(xlsxPath: string): string | null {
  const outDir = mkdtempSync(join(tmp, 'lo-'));
  const r = spawnSync(
    process.env.XXGK_SOFFICE ?? 'soffice',
    [`-env:UserInstallation=file://${join(outDir, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', outDir, xlsxPath],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const out = join(outDir, xlsxPath.split('/').pop()!.replace(/\.xlsx$/, '.csv'));
  try {
    return readFileSync(out, 'utf8');
  } catch {
    if (r.error || r.status !== 0 || /could not be loaded/.test(r.stderr + r.stdout)) return null;
    throw new Error(`LibreOffice wrote no CSV: ${r.stdout} ${r.stderr}`);
  }
}
