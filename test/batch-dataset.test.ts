/**
 * The research dataset through the batch command: one agency's reports over three years (made from a
 * sample: 上年结转 matching the year before, then not; the last with a blank and a missing cell), a
 * duplicate, a non-report, a corrupt PDF and a scan. Every output file is read back for content, the
 * XLSX's sheets too. Then: exit codes with --ignore-permanent-failures, Ctrl-C (finish the files in
 * flight, or abandon them), corrections fetched back from the service (a later copy of the corrected
 * bytes does not take its place), and Ctrl-C while they are fetched.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import express from 'express';
import { runBatch } from '../src/cli/batch.js';
import { INDEX_FILE } from '../src/batch/resume.js';
import type { BatchResult } from '../src/batch/runner.js';
import { loadCorpus } from '../src/eval/corpus.js';
import type { Report } from '../src/model/report.js';
import { parseCsv } from './support/csv.js';
import { CELLS_COLUMNS } from '../src/output/cells.js';
import { CODEBOOK_COLUMNS } from '../src/output/codebook.js';
import { DATASET_CELL_KEYS, DATASET_COLUMNS, LOW_CONFIDENCE_COLUMNS } from '../src/output/dataset.js';
import { SERIES_COLUMNS } from '../src/output/series-checks.js';
import { convert } from '../src/pipeline.js';
import { yearReport } from './support/agency-years.js';
import { testApp } from './support/app.js';
import { readXlsx } from './support/xlsx-read.js';
import { listening } from './support/listen.js';
import { repoRoot, sample, seeds } from './support/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'xxgk-dataset-batch-'));
const input = join(root, 'in');
const out = join(root, 'out');
after(() => rmSync(root, { recursive: true, force: true }));

const YEARS: Record<number, Record<string, number>> = {
  // Carries 2 applications into 2023.
  2022: {
    'applications.newReceived.naturalPerson': 17, 'applications.newReceived.total': 18,
    'applications.carriedForward.naturalPerson': 2, 'applications.carriedForward.total': 2,
  },
  // 二、上年结转 = 2022's 四、结转下年度继续办理: the series holds.
  2023: {
    'applications.newReceived.naturalPerson': 13, 'applications.newReceived.total': 14,
    'applications.carriedOver.naturalPerson': 2, 'applications.carriedOver.total': 2,
  },
  // 上年结转 5, but 2023 carried nothing forward: the series fails (each report holds on its own).
  2024: {
    'applications.newReceived.naturalPerson': 10, 'applications.newReceived.total': 11,
    'applications.carriedOver.naturalPerson': 5, 'applications.carriedOver.total': 5,
  },
};

const scan = loadCorpus(repoRoot).find((s) => s.route === 'image-ocr' && s.seed === seeds[1] && s.variant === 'clean-300')!;
const SCAN = `scans/${scan.path.split('/').pop()}`;

/**
 * The report as printed with one cell left empty (表二 规章's 本年废止件数: blank) and one row left out
 * (行政强制: its cell is missing), the two states an empty dataset cell used to mix up.
 */
function withBlankAndMissing(html: Buffer): Buffer {
  let text = html.toString('utf8');
  for (const [printed, edited] of [
    [/(<td[^>]*>规章<\/td><td[^>]*>0<\/td><td[^>]*>)0(<\/td>)/, '$1$2'],
    [/<tr><td[^>]*>行政强制<\/td><td[^>]*>0<\/td><\/tr>/, ''],
  ] as const) {
    assert.match(text, printed);
    text = text.replace(printed, edited);
  }
  return Buffer.from(text, 'utf8');
}

function place(rel: string, bytes: Buffer): void {
  const path = join(input, ...rel.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

before(() => {
  for (const y of [2022, 2023]) place(`同心县/${y}.html`, yearReport(y, YEARS[y]));
  place('同心县/2024.html', withBlankAndMissing(yearReport(2024, YEARS[2024])));
  place('镜像/2023-copy.html', yearReport(2023, YEARS[2023]));
  place('notice.txt', Buffer.from('关于召开2023年度安全生产工作会议的通知\n各乡镇：定于3月5日召开会议，请准时参加。\n', 'utf8'));
  const pdf = sample(`pdf/${seeds[0]}.chrome.pdf`);
  place('broken.pdf', pdf.subarray(0, 800));
  place(SCAN, readFileSync(scan.path));
});

function sink() {
  const lines: string[] = [];
  return { lines, text: () => lines.join(''), write: (s: string) => lines.push(s), isTTY: false };
}

/** A CSV of the output folder as records keyed by its header. */
function table(dir: string, name: string): { header: string[]; rows: Record<string, string>[] } {
  const [header, ...rows] = parseCsv(readFileSync(join(dir, name), 'utf8'));
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

test('the dataset of three years of one agency, a duplicate, a non-report, a corrupt file and a scan', async () => {
  const log = sink();
  let r!: BatchResult;
  const code = await runBatch([input, '--out', out], { stderr: log, onResult: (x) => (r = x) });
  assert.equal(code, 1, log.text());
  assert.equal(r.reports, 4, 'three years and the scan; the duplicate and the non-report are not counted');

  // dataset.csv: a row per file, with its status.
  const dataset = table(out, 'dataset.csv');
  assert.deepEqual(dataset.header, DATASET_COLUMNS);
  const status = Object.fromEntries(dataset.rows.map((x) => [x.file, x.status]));
  assert.deepEqual(status, {
    'broken.pdf': 'failed', 'notice.txt': 'not a report', [SCAN]: 'converted',
    '同心县/2022.html': 'converted', '同心县/2023.html': 'converted', '同心县/2024.html': 'converted', '镜像/2023-copy.html': 'duplicate',
  });
  const row = (file: string) => dataset.rows.find((x) => x.file === file)!;
  assert.equal(row('镜像/2023-copy.html').duplicateOf, '同心县/2023.html');
  assert.equal(row('镜像/2023-copy.html').sha256, row('同心县/2023.html').sha256);
  assert.equal(row('镜像/2023-copy.html')['applications.carriedOver.total'], '', 'a duplicate is not counted twice');
  assert.equal(row('broken.pdf').failure, 'PDF_CORRUPT');
  for (const y of [2022, 2023, 2024]) {
    const x = row(`同心县/${y}.html`);
    assert.deepEqual([x.year, x.template, x.agency, x.publishedOn], [String(y), 'gov2021', '同心县人民政府办公室', `${y + 1}-01-22`]);
    assert.equal(x.title, `同心县人民政府办公室${y}年政府信息公开工作年度报告`);
    assert.equal(x.failedChecks, '', 'each year holds on its own');
    assert.deepEqual([x.province, x.city, x.county], ['宁夏回族自治区', '吴忠市', '同心县']);
    for (const [k, v] of Object.entries(YEARS[y])) assert.equal(x[k], String(v), `${y} ${k}`);
  }
  assert.equal(row('同心县/2024.html').seriesChecksFailed, 'series.applications.carriedOver.naturalPerson series.applications.carriedOver.total');
  assert.equal(row('同心县/2023.html').seriesChecksFailed, 'series.applications.carriedOver.naturalPerson series.applications.carriedOver.total');
  assert.equal(row('同心县/2022.html').seriesChecksFailed, '');
  const scanRow = row(SCAN);
  assert.deepEqual([scanRow.route, scanRow.template, scanRow.year], ['image-ocr', 'legacy', '2018']);
  // Blank vs missing vs a cell the form lacks: each its own marker (the 2021 form has no 上一年项目数量).
  const y2024 = row('同心县/2024.html');
  assert.deepEqual(
    [y2024['active.regulations.issued'], y2024['active.regulations.repealed'], y2024['active.coercion.decisions'], y2024['active.licensing.previousItems']],
    ['0', 'blank', 'missing', ''],
  );
  assert.equal(y2024.warnings, 'ROW_NOT_FOUND');
  assert.equal(row('同心县/2023.html')['active.regulations.repealed'], '0');
  assert.equal(row('notice.txt').failure, 'NOT_A_REPORT', 'the code failures.csv gives it');

  // cells.csv: the long table of the four reports.
  const cells = table(out, 'cells.csv');
  assert.deepEqual(cells.header, CELLS_COLUMNS);
  const reports = Object.fromEntries(
    ['同心县/2022.html', '同心县/2023.html', '同心县/2024.html', SCAN].map((f) => [f, JSON.parse(readFileSync(join(out, `${f}.json`), 'utf8')) as Report]),
  );
  assert.equal(cells.rows.length, Object.values(reports).reduce((n, rep) => n + rep.tables.reduce((m, t) => m + t.cells.length, 0), 0));
  assert.ok(!cells.rows.some((c) => c.file === '镜像/2023-copy.html' || c.file === 'notice.txt'));
  const cell = (file: string, key: string) => cells.rows.find((c) => c.file === file && c.key === key)!;
  const c2024 = cell('同心县/2024.html', 'applications.carriedOver.total');
  assert.deepEqual([c2024.value, c2024.state, c2024.unit, c2024.rowLabel, c2024.colLabel], ['5', 'number', '件', '二、上年结转政府信息公开申请数量', '申请人情况 › 总计']);
  assert.equal(c2024.flags, 'series:series.applications.carriedOver.total');
  assert.match(c2024.alternatives, /^0 \(series: series\.applications\.carriedOver\.total: what 2023's report \(同心县\/2023\.html\) gives\)$/);
  assert.match(cell('同心县/2023.html', 'applications.carriedForward.total').alternatives, /^5 \(series: /);
  assert.equal(cell('同心县/2023.html', 'applications.carriedOver.total').flags, '');
  const blank = cell('同心县/2024.html', 'active.regulations.repealed');
  const missing = cell('同心县/2024.html', 'active.coercion.decisions');
  assert.deepEqual([blank.state, blank.value, blank.page, blank.rowLabel, blank.colLabel], ['blank', '', '1', '第二十条第（一）项 › 规章', '本年废止件数']);
  assert.deepEqual([missing.state, missing.value, missing.page, missing.rowLabel], ['missing', '', '', '第二十条第（六）项 › 行政强制']);
  const scanCell = cells.rows.find((c) => c.file === SCAN && c.state === 'number')!;
  assert.equal(scanCell.source, 'ocr');
  assert.ok(Number(scanCell.page) >= 1 && Number(scanCell.page) <= reports[SCAN].source.pages, scanCell.page);
  assert.ok(Number(scanCell.confidence) > 0 && Number(scanCell.confidence) <= 1);

  // codebook.csv: one row per cell column, labels from the forms.
  const book = table(out, 'codebook.csv');
  assert.deepEqual(book.header, CODEBOOK_COLUMNS);
  assert.deepEqual(book.rows.map((b) => b.key), DATASET_CELL_KEYS);
  const entry = book.rows.find((b) => b.key === 'applications.carriedOver.total')!;
  assert.deepEqual([entry.tableTitle, entry.rowLabel, entry.colLabel, entry.unit, entry.templates, entry.seriesChecks],
    ['三、收到和处理政府信息公开申请情况', '二、上年结转政府信息公开申请数量', '总计', '件', 'gov2021 gov2019', 'series.applications.carriedOver.total']);
  assert.match(entry.checks, /applications\.balance\.total/);

  // series-checks.csv: 2022→2023 holds, 2023→2024 fails in two columns.
  const series = table(out, 'series-checks.csv');
  assert.deepEqual(series.header, SERIES_COLUMNS);
  assert.equal(series.rows.length, 14, '7 columns × 2 pairs of years');
  assert.ok(series.rows.every((s) => s.agencyKey === reports['同心县/2022.html'].report.agencyKey && s.agencyKey.endsWith('同心县人民政府办公室')));
  assert.deepEqual(series.rows.filter((s) => s.holds === 'false').map((s) => [s.check, s.year, s.previousYear, s.lhs, s.rhs]), [
    ['series.applications.carriedOver.naturalPerson', '2024', '2023', '5', '0'],
    ['series.applications.carriedOver.total', '2024', '2023', '5', '0'],
  ]);
  assert.ok(series.rows.filter((s) => s.year === '2023').every((s) => s.holds === 'true' && s.previousFile === '同心县/2022.html'));

  // low-confidence.csv: where to look and why, series checks included.
  const low = table(out, 'low-confidence.csv');
  assert.deepEqual(low.header, LOW_CONFIDENCE_COLUMNS);
  const seriesLow = low.rows.find((l) => l.file === '同心县/2024.html' && l.key === 'applications.carriedOver.total')!;
  assert.deepEqual([seriesLow.agency, seriesLow.year, seriesLow.page, seriesLow.why], ['同心县人民政府办公室', '2024', '1', 'series check series.applications.carriedOver.total']);
  assert.ok(!low.rows.some((l) => l.file === '镜像/2023-copy.html'));
  const lowMissing = low.rows.find((l) => l.file === '同心县/2024.html' && l.key === 'active.coercion.decisions')!;
  assert.deepEqual([lowMissing.state, lowMissing.rowLabel, lowMissing.why], ['missing', '行政强制', 'warning ROW_NOT_FOUND']);
  assert.ok(!low.rows.some((l) => l.key === 'active.regulations.repealed'), 'a cell printed empty is an answer, not a doubt');
  for (const l of low.rows) assert.ok(l.why && l.rowLabel, JSON.stringify(l));
  // Each counted report's cellsToReview is its rows there; its confidences are the model's.
  for (const x of dataset.rows.filter((d) => d.status === 'converted')) {
    assert.equal(Number(x.cellsToReview), low.rows.filter((l) => l.file === x.file).length, x.file);
    const rep = reports[x.file];
    assert.deepEqual(
      [x.templateConfidence, x.agencyConfidence, x.yearConfidence, x.titleConfidence, x.publishedOnConfidence, x.confidence],
      [rep.report.templateConfidence, ...(['agency', 'year', 'title', 'publishedOn'] as const).map((f) => rep.report.fields[f].confidence), rep.summary.confidence].map(String),
      x.file,
    );
  }
  assert.ok(Number(row('同心县/2024.html').cellsToReview) >= 3, 'two series cells and the missing one');

  // failures.csv: the corrupt file and the non-report.
  assert.deepEqual(table(out, 'failures.csv').rows.map((f) => [f.file, f.code]), [['broken.pdf', 'PDF_CORRUPT'], ['notice.txt', 'NOT_A_REPORT']]);

  // dataset.xlsx: its sheets hold what the CSVs hold, cell for cell (markers included).
  const book2 = await readXlsx(readFileSync(join(out, 'dataset.xlsx')));
  const sheets = { dataset: 'dataset.csv', codebook: 'codebook.csv', 'low-confidence': 'low-confidence.csv', 'series-checks': 'series-checks.csv', failures: 'failures.csv' };
  assert.deepEqual([...book2.keys()], Object.keys(sheets));
  for (const [name, csv] of Object.entries(sheets)) {
    const fromCsv = parseCsv(readFileSync(join(out, csv), 'utf8'));
    // A sheet leaves trailing empty cells out: both sides padded to the longer row, so extra cells still differ.
    const sheet = book2.get(name)!;
    const width = (i: number) => Math.max(sheet[i]?.length ?? 0, fromCsv[i]?.length ?? 0);
    const pad = (rows: string[][]) => rows.map((r, i) => Array.from({ length: width(i) }, (_, j) => r[j] ?? ''));
    assert.deepEqual(pad(sheet), pad(fromCsv), name);
  }
  const sheetRow = book2.get('dataset')!.find((x) => x[0] === '同心县/2024.html')!;
  assert.equal(sheetRow[DATASET_COLUMNS.indexOf('active.coercion.decisions')], 'missing');
});

test('exit codes: known permanent failures (not a report, unsupported) need not make it 1', async () => {
  const quiet = { stderr: sink() };
  assert.equal(await runBatch([input, '--out', out, '--ignore-permanent-failures'], quiet), 1, 'a corrupt file still counts');
  unlinkSync(join(input, 'broken.pdf'));
  place('notes.xyz', Buffer.from('x'));
  assert.equal(await runBatch([input, '--out', out], quiet), 1);
  let r!: BatchResult;
  assert.equal(await runBatch([input, '--out', out, '--ignore-permanent-failures'], { stderr: sink(), onResult: (x) => (r = x) }), 0);
  assert.deepEqual(r.failures.map((f) => [f.file, f.code]), [['notes.xyz', 'UNSUPPORTED'], ['notice.txt', 'NOT_A_REPORT']], 'still listed');
  assert.equal(r.converted, 0, 'nothing converted again');
});

/** Sends Ctrl-C to this process (the batch's handler, no default action) when `when` matches a progress line. */
function interruptOn(when: RegExp, times: number) {
  const s = sink();
  let sent = false;
  return {
    ...s,
    write: (text: string) => {
      s.write(text);
      if (!sent && when.test(text)) {
        sent = true;
        for (let i = 0; i < times; i++) process.emit('SIGINT', 'SIGINT');
      }
    },
  };
}

test('Ctrl-C: the file in flight finishes, the rest wait; dataset and failures.csv are written, and the next run resumes', async () => {
  const dir = join(root, 'sigint');
  const outS = join(root, 'sigint-out');
  for (const s of [seeds[0], seeds[2], seeds[3]]) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(repoRoot, 'samples', 'seeds', `${s}.txt`), join(dir, `${s}.txt`));
  }
  const log = interruptOn(/ ok /, 1);
  let r!: BatchResult;
  assert.equal(await runBatch([dir, '--out', outS, '-j', '1'], { stderr: log, onResult: (x) => (r = x) }), 130);
  assert.deepEqual([r.converted, r.notStarted, r.abandoned, r.interrupted], [1, 2, 0, true]);
  assert.match(log.text(), /interrupted: 2 files were not converted\. The dataset holds what is done\. To resume, run the same command again/);
  assert.equal(process.listenerCount('SIGINT'), 0, 'the handler is removed');
  assert.equal(table(outS, 'dataset.csv').rows.length, 1);
  assert.deepEqual(table(outS, 'failures.csv').rows, []);
  let again!: BatchResult;
  assert.equal(await runBatch([dir, '--out', outS], { stderr: sink(), onResult: (x) => (again = x) }), 0);
  assert.deepEqual([again.converted, again.skipped], [2, 1]);
  assert.equal(table(outS, 'dataset.csv').rows.length, 3);
});

// The timeout only guards against a hang should abandoning break: the request for slow.txt never ends by itself.
test('Ctrl-C twice: a file in flight is abandoned unrecorded, and the next run converts it', { timeout: 300_000 }, async () => {
  // A service that does not answer for slow.txt while `hold`: only abandoning ends its request.
  let hold = true;
  const held: express.Response[] = [];
  const fake = express();
  fake.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  fake.get('/v1/schema', (_req, res) => void res.json({}));
  fake.post('/v1/convert', express.raw({ type: () => true, limit: '10mb' }), async (req, res) => {
    if (hold && req.query.filename === 'slow.txt') return void held.push(res);
    res.json(await convert(req.body as Buffer, { filename: String(req.query.filename) }));
  });
  const { server, url } = await listening(fake);
  const dir = join(root, 'abandon');
  const outA = join(root, 'abandon-out');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(repoRoot, 'samples', 'seeds', `${seeds[3]}.txt`), join(dir, 'good.txt'));
  copyFileSync(join(repoRoot, 'samples', 'seeds', `${seeds[4]}.txt`), join(dir, 'slow.txt'));
  try {
    const log = interruptOn(/ ok +good\.txt/, 2);
    let r!: BatchResult;
    assert.equal(await runBatch([dir, '--out', outA, '--server', url, '-j', '2'], { stderr: log, onResult: (x) => (r = x) }), 130);
    assert.deepEqual([r.converted, r.abandoned, r.failed], [1, 1, 0]);
    assert.match(log.text(), /\(1 abandoned in flight\)/);
    assert.deepEqual(table(outA, 'dataset.csv').rows.map((x) => x.file), ['good.txt']);
    assert.ok(!readFileSync(join(outA, INDEX_FILE), 'utf8').includes('slow.txt'), 'not recorded: the next run converts it');
    assert.ok(!existsSync(join(outA, 'slow.txt.json')));
    hold = false;
    for (const res of held) res.status(503).end(); // to nobody: the batch gave the request up
    let again!: BatchResult;
    assert.equal(await runBatch([dir, '--out', outA, '--server', url], { stderr: sink(), onResult: (x) => (again = x) }), 0);
    assert.deepEqual([again.converted, again.skipped], [1, 1]);
    assert.deepEqual(table(outA, 'dataset.csv').rows.map((x) => x.file), ['good.txt', 'slow.txt']);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('corrections come back: --refresh-corrected merges a reviewer’s saved cells, with who and when', async () => {
  const { app } = testApp({ XXGK_API_KEYS: 'ann:k' });
  const { server, url } = await listening(app);
  const dir = join(root, 'review');
  const outR = join(root, 'review-out');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(repoRoot, 'samples', 'seeds', `${seeds[3]}.txt`), join(dir, 'r.txt'));
  try {
    assert.equal(await runBatch([dir, '--out', outR, '--server', url, '--api-key', 'k'], { stderr: sink() }), 0);
    const report = JSON.parse(readFileSync(join(outR, 'r.txt.json'), 'utf8')) as Report;
    const key = 'applications.newReceived.naturalPerson';
    const auth = { Authorization: 'Bearer k', 'Content-Type': 'application/json' };
    const history = await (await fetch(`${url}/v1/results/${report.id}/corrections`, { headers: auth })).json() as { version: number };
    const put = await fetch(`${url}/v1/results/${report.id}/corrections`, { method: 'PUT', headers: auth, body: JSON.stringify({ baseVersion: history.version, changes: [{ key, value: 14 }] }) });
    assert.equal(put.status, 200, await put.clone().text());

    // A plain run does not ask the service about corrections.
    assert.equal(await runBatch([dir, '--out', outR, '--server', url, '--api-key', 'k'], { stderr: sink() }), 0);
    assert.equal(table(outR, 'dataset.csv').rows[0][key], '15');

    const log = sink();
    let r!: BatchResult;
    assert.equal(await runBatch([dir, '--out', outR, '--server', url, '--api-key', 'k', '--refresh-corrected'], { stderr: log, onResult: (x) => (r = x) }), 0);
    assert.deepEqual([r.refresh?.checked, r.refresh?.refreshed], [1, 1], log.text());
    const row = table(outR, 'dataset.csv').rows[0];
    assert.deepEqual([row[key], row.correctedCells], ['14', '1']);
    const c = table(outR, 'cells.csv').rows.find((x) => x.key === key)!;
    assert.deepEqual([c.value, c.source, c.correctedBy], ['14', 'manual', 'ann']);
    assert.match(c.correctedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    assert.equal(table(outR, 'cells.csv').rows.filter((x) => x.correctedBy).length, 1);
    const json = JSON.parse(readFileSync(join(outR, 'r.txt.json'), 'utf8')) as Report;
    assert.equal(json.tables.flatMap((t) => t.cells).find((x) => x.key === key)!.value, 14);

    // Nothing newer: nothing fetched again, and the marks stay.
    assert.equal(await runBatch([dir, '--out', outR, '--server', url, '--api-key', 'k', '--refresh-corrected'], { stderr: sink(), onResult: (x) => (r = x) }), 0);
    assert.deepEqual([r.refresh?.checked, r.refresh?.refreshed], [1, 0]);
    assert.equal(table(outR, 'dataset.csv').rows[0].correctedCells, '1');
    assert.equal(await runBatch([dir, '--out', outR, '--refresh-corrected'], { stderr: sink() }), 2, 'needs --server');

    // A copy added later that sorts first: the corrected file is still the one counted.
    copyFileSync(join(dir, 'r.txt'), join(dir, 'a.txt'));
    assert.equal(await runBatch([dir, '--out', outR], { stderr: sink(), onResult: (x) => (r = x) }), 0);
    assert.equal(r.reused, 1);
    const rows = table(outR, 'dataset.csv').rows.map((x) => [x.file, x.status, x.duplicateOf, x.correctedCells]);
    assert.deepEqual(rows, [['a.txt', 'duplicate', 'r.txt', ''], ['r.txt', 'converted', '', '1']]);
    assert.deepEqual(table(outR, 'cells.csv').rows.filter((x) => x.correctedBy).map((x) => [x.file, x.key, x.value]), [['r.txt', key, '14']]);
    // And the refresh asks about the file the dataset counts, so the counted file does not change with it.
    assert.equal(await runBatch([dir, '--out', outR, '--server', url, '--api-key', 'k', '--refresh-corrected'], { stderr: sink(), onResult: (x) => (r = x) }), 0);
    assert.deepEqual([r.refresh?.checked, r.refresh?.refreshed], [1, 0]);
    assert.deepEqual(table(outR, 'dataset.csv').rows.map((x) => [x.file, x.status, x.duplicateOf, x.correctedCells]), rows);
  } finally {
    server.close();
  }
});

test('Ctrl-C while corrections are fetched: no further report is asked about, the dataset is written, exit 130', async () => {
  // A service holding the two results, with one saved correction each; the first question about them is interrupted.
  const results = new Map<string, Report>();
  let asked = 0;
  const fake = express();
  fake.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  fake.get('/v1/schema', (_req, res) => void res.json({}));
  fake.post('/v1/convert', express.raw({ type: () => true, limit: '10mb' }), async (req, res) => {
    const report = await convert(req.body as Buffer, { filename: String(req.query.filename) });
    results.set(report.id, report);
    res.json(report);
  });
  fake.get('/v1/results/:id/corrections', (req, res) => {
    if (asked++ === 0) process.emit('SIGINT', 'SIGINT');
    const key = 'applications.newReceived.naturalPerson';
    res.json({ resultId: req.params.id, version: 2, corrections: [{ key, oldValue: 15, newValue: 14, oldText: null, newText: null, oldState: 'number', newState: 'number', who: 'ann', at: '2026-01-02T03:04:05.000Z', version: 2 }] });
  });
  fake.get('/v1/results/:id', (req, res) => void res.json(results.get(req.params.id)));
  const { server, url } = await listening(fake);
  const dir = join(root, 'refresh-stop');
  const outF = join(root, 'refresh-stop-out');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(repoRoot, 'samples', 'seeds', `${seeds[3]}.txt`), join(dir, 'a.txt'));
  copyFileSync(join(repoRoot, 'samples', 'seeds', `${seeds[2]}.txt`), join(dir, 'b.txt'));
  try {
    assert.equal(await runBatch([dir, '--out', outF, '--server', url], { stderr: sink() }), 0);
    const log = sink();
    let r!: BatchResult;
    assert.equal(await runBatch([dir, '--out', outF, '--server', url, '--refresh-corrected'], { stderr: log, onResult: (x) => (r = x) }), 130, log.text());
    assert.deepEqual([asked, r.refresh?.checked, r.refresh?.refreshed, r.refresh?.notAsked], [1, 1, 1, 1]);
    assert.match(log.text(), /interrupted, 1 not asked about/);
    assert.match(log.text(), /and 1 report was not asked about corrections\. The dataset holds what is done\. To resume, run the same command again/);
    assert.deepEqual(table(outF, 'dataset.csv').rows.map((x) => [x.file, x.correctedCells]), [['a.txt', '1'], ['b.txt', '0']]);
    assert.equal(process.listenerCount('SIGINT'), 0);
  } finally {
    server.close();
  }
});
