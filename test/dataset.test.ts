/** The dataset view (column order, rows, review rows), the CSV writer, the ZIP writer and the XLSX writer. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Report } from '../src/model/report.js';
import { BOM, csvField, parseCsv, toCsv } from '../src/output/csv.js';
import {
  DATASET_CELL_KEYS,
  DATASET_COLUMNS,
  DATASET_META_COLUMNS,
  datasetRow,
  LOW_CONFIDENCE_COLUMNS,
  lowConfidenceRows,
} from '../src/output/dataset.js';
import { columnName, xlsx } from '../src/output/xlsx.js';
import { crc32, zip } from '../src/output/zip.js';
import { convert } from '../src/pipeline.js';
import { legacyIndicators, templates } from '../src/templates/forms.js';
import { expectedFor, sample, seeds } from './support/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'xxgk-dataset-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function keysOf(id: 'gov2021' | 'gov2019'): string[] {
  return templates[id].tables.flatMap((t) => t.rows.flatMap((r) => (r.columns ?? t.columns.map((c) => c.key)).map((c) => `${t.id}.${r.key}.${c}`)));
}

test('dataset columns: meta columns, then gov2021 keys, gov2019-only keys, legacy known keys; no duplicates', () => {
  assert.deepEqual(DATASET_COLUMNS.slice(0, DATASET_META_COLUMNS.length), ['file', 'agency', 'year', 'template', 'route', 'confidence', 'checksFailed']);
  assert.deepEqual(DATASET_COLUMNS.slice(DATASET_META_COLUMNS.length), DATASET_CELL_KEYS);
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

test('a dataset row holds the printed values; blank, missing and illegible cells are empty', async () => {
  for (const seed of seeds) {
    const report = await convert(sample(`seeds/${seed}.txt`), { filename: `${seed}.txt` });
    const row = datasetRow(report, `x/${seed}.txt`);
    assert.equal(row.length, DATASET_COLUMNS.length);
    assert.equal(row[0], `x/${seed}.txt`);
    assert.equal(row[3], expectedFor(seed).template);
    assert.equal(row[2], expectedFor(seed).year);
    const cells = expectedFor(seed).cells;
    DATASET_CELL_KEYS.forEach((k, i) => assert.equal(row[DATASET_META_COLUMNS.length + i], cells[k] ?? null, `${seed} ${k}`));
  }
  const report = await convert(sample(`seeds/${seeds[3]}.txt`), { filename: 'r.txt' });
  const cell = report.tables.flatMap((t) => t.cells).find((c) => c.key === 'applications.newReceived.total')!;
  Object.assign(cell, { state: 'illegible', value: null, text: '1?6', confidence: 0.2 });
  const col = DATASET_COLUMNS.indexOf('applications.newReceived.total');
  assert.equal(datasetRow(report)[col], null);
  assert.equal(datasetRow(report)[0], 'r.txt');
});

test('review rows: printed cells under the threshold, illegible cells and cells of failing checks; never missing ones', async () => {
  const report: Report = await convert(sample(`seeds/${seeds[4]}.txt`), { filename: 'r.txt' });
  const cells = report.tables.flatMap((t) => t.cells);
  assert.deepEqual(lowConfidenceRows(report, 'r.txt', 0.5), []);
  const [a, b, c, d] = cells;
  Object.assign(a, { confidence: 0.3 });
  Object.assign(b, { state: 'illegible', value: null, text: '▯', confidence: 0.95 });
  Object.assign(c, { state: 'missing', value: null, confidence: 0.1 });
  d.flags.push('check:test.fails');
  report.checks.push({ id: 'test.fails', rule: 'x = y', holds: false, lhs: 1, rhs: 2, cells: [d.key] });
  const rows = lowConfidenceRows(report, 'f/r.txt', 0.5);
  assert.deepEqual(rows.map((r) => r[1]), [a.key, b.key, d.key]);
  assert.deepEqual(rows[0], ['f/r.txt', a.key, a.value, a.text, 'number', 0.3, '']);
  assert.deepEqual(rows[1].slice(2, 5), [null, '▯', 'illegible']);
  assert.equal(rows[2][6], 'check:test.fails');
  assert.equal(LOW_CONFIDENCE_COLUMNS.length, rows[0].length);
  // Every printed cell falls under a threshold above all confidences.
  assert.equal(lowConfidenceRows(report, 'r', 1.01).length, cells.filter((x) => x.state !== 'missing').length);
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

test('ZIP: CRC-32, and unzip reads every entry back', (t) => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  const big = Buffer.from('重复的内容 '.repeat(2000));
  const bytes = zip([
    { name: 'a.txt', data: 'hello' },
    { name: 'dir/中文.txt', data: big },
    { name: 'empty', data: '' },
  ]);
  const path = join(tmp, 't.zip');
  writeFileSync(path, bytes);
  if (spawnSync('unzip', ['-v']).error) return t.skip('unzip is not installed');
  assert.match(execFileSync('unzip', ['-t', path], { encoding: 'utf8' }), /No errors detected/);
  assert.equal(execFileSync('unzip', ['-p', path, 'a.txt'], { encoding: 'utf8' }), 'hello');
  assert.deepEqual(execFileSync('unzip', ['-p', path, 'dir/中文.txt']), big);
  assert.ok(bytes.length < big.length / 10, 'deflated');
});

test('XLSX: column names, and LibreOffice reads strings and numbers back', (t) => {
  assert.deepEqual([0, 25, 26, 51, 52, 701, 702].map(columnName), ['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  const rows = [
    ['file', 'agency', 'n', 'x'],
    ['a/b.pdf', '淮安市人民政府 <办公室> & "co", ltd', 0, -26],
    ['c.txt', 'line1\nline2', 8942.393, null],
    ['d.txt', '', 0.9057, 3985758],
  ];
  const path = join(tmp, 'book.xlsx');
  writeFileSync(path, xlsx([{ name: 'dataset', rows }, { name: 'dataset', rows: [['second sheet']] }]));
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
