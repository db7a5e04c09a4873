/**
 * `xxgk-convert batch`: a nested folder of every sample format plus a corrupt and an unsupported
 * file, converted in-process and through the service; resume; the XLSX through LibreOffice; the
 * service client's 202/jobs protocol against a fake service.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import express from 'express';
import { runBatch } from '../src/cli/batch.js';
import { Progress } from '../src/batch/progress.js';
import { RemoteClient, RemoteError } from '../src/batch/remote.js';
import { INDEX_FILE } from '../src/batch/resume.js';
import { runBatchJob, type BatchResult } from '../src/batch/runner.js';
import type { Expected } from '../src/eval/expected.js';
import type { Report } from '../src/model/report.js';
import { BOM } from '../src/output/csv.js';
import { parseCsv } from './support/csv.js';
import { DATASET_CELL_KEYS, DATASET_COLUMNS, DATASET_META_COLUMNS, LOW_CONFIDENCE_COLUMNS } from '../src/output/dataset.js';
import { convert } from '../src/pipeline.js';
import { testApp } from './support/app.js';
import { listening } from './support/listen.js';
import { assertExpected } from './support/assert-expected.js';
import { loadCorpus, type Sample } from '../src/eval/corpus.js';
import { expectedFor, repoRoot, sample, samplesDir, seeds } from './support/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'xxgk-batch-'));
const input = join(root, 'in');
/** The output folder sits inside the input: the walk must leave it alone. */
const out = join(input, '_out');
/** Input path (relative) → the expected values it must give. */
const expectedByFile = new Map<string, Expected>();
const BAD = ['notes.xyz', 'word/a/broken.docx'];

function place(rel: string, bytes: Buffer, expected?: Expected): void {
  const path = join(input, ...rel.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  if (expected) expectedByFile.set(rel, expected);
}

/** Every sample format: the seeds, HTML, DOCX, one PDF per seed, and one scan (OCR costs seconds a page). */
const corpus = loadCorpus(repoRoot).filter((s) => s.id.startsWith('samples/'));
const folderOf: Record<string, string> = { html: '2023/网页', docx: 'word/a/b', 'pdf-text': 'pdf', 'image-ocr': 'scans' };
const picked = corpus.filter((s) =>
  (s.route === 'html' || s.route === 'docx') ||
  (s.route === 'pdf-text' && s.variant === 'chromium') ||
  (s.route === 'image-ocr' && s.seed === seeds[1] && s.variant === 'clean-300'));
const expectedOf = (s: Sample) => JSON.parse(readFileSync(s.expected, 'utf8')) as Expected;

before(() => {
  for (const seed of seeds) place(`2023/text/${seed}.txt`, sample(`seeds/${seed}.txt`), expectedFor(seed));
  for (const s of picked) place(`${folderOf[s.route]}/${basename(s.path)}`, readFileSync(s.path), expectedOf(s));
  const docx = sample(`docx/${seeds[0]}.docx`);
  place('word/a/broken.docx', docx.subarray(0, Math.floor(docx.length / 3)));
  place('notes.xyz', Buffer.from('not a report'));
  place('.hidden.txt', sample(`seeds/${seeds[1]}.txt`));
  place('word/.cache/x.txt', sample(`seeds/${seeds[1]}.txt`));
  symlinkSync(input, join(input, 'word', 'loop')); // a link to an ancestor: no loop
});
after(() => rmSync(root, { recursive: true, force: true }));

function sink() {
  const lines: string[] = [];
  return { lines, text: () => lines.join(''), write: (s: string) => lines.push(s), isTTY: false };
}

const readCsv = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

/**
 * dataset.csv against the expected values: a row per file (converted ones and `failed`), every cell column
 * (a number, `blank` for a cell printed empty, `missing` or empty for one not printed).
 */
function assertDataset(csvText: string, expected: Map<string, Expected>, failed: string[], duplicates: Record<string, string> = {}): void {
  assert.ok(csvText.startsWith(BOM), 'UTF-8 BOM');
  assert.ok(csvText.includes('\r\n') && !/[^\r]\n/.test(csvText.replace(/"[^"]*"/g, '')), 'CRLF records');
  const [header, ...rows] = parseCsv(csvText);
  assert.deepEqual(header, DATASET_COLUMNS);
  const col = (name: string) => header.indexOf(name);
  assert.deepEqual(rows.map((r) => r[0]), [...expected.keys(), ...failed].sort(), 'one row per file, sorted');
  for (const row of rows) {
    const exp = expected.get(row[0]);
    assert.equal(row.length, DATASET_COLUMNS.length);
    if (duplicates[row[0]]) {
      assert.deepEqual([row[col('status')], row[col('duplicateOf')]], ['duplicate', duplicates[row[0]]], row[0]);
      assert.ok(row.slice(DATASET_META_COLUMNS.length).every((v) => v === ''), `${row[0]}: a duplicate is not counted twice`);
      continue;
    }
    if (!exp) {
      assert.equal(row[col('status')], 'failed', row[0]);
      assert.ok(row[col('failure')].length > 3 && row.slice(DATASET_META_COLUMNS.length).every((v) => v === ''), row[0]);
      continue;
    }
    assert.equal(row[col('status')], 'converted');
    assert.match(row[col('sha256')], /^[0-9a-f]{64}$/);
    assert.equal(row[col('template')], exp.template, `${row[0]} template`);
    assert.equal(row[col('year')], String(exp.year), `${row[0]} year`);
    assert.ok(row[col('agency')].includes(exp.agencyIncludes), `${row[0]} agency`);
    const wrong = DATASET_CELL_KEYS.flatMap((k, i) => {
      const want = exp.cells[k] === undefined ? ['', 'missing'] : [exp.cells[k] === null ? 'blank' : String(exp.cells[k])];
      const got = row[DATASET_META_COLUMNS.length + i];
      return want.includes(got) ? [] : [`${k}: want "${want.join('" or "')}", got "${got}"`];
    });
    assert.deepEqual(wrong, [], `${row[0]} cells`);
  }
}

let firstDataset = '';
let firstFailures = '';
let result1: BatchResult;

test('batch converts a nested folder: JSONs mirror it, the dataset holds the expected values, bad files are listed', async () => {
  const log = sink();
  const code = await runBatch([input, '--out', out, '--threshold', '0.95', '-j', '3'], { stderr: log, onResult: (r) => (result1 = r) });
  assert.equal(code, 1, log.text());
  const good = [...expectedByFile.keys()];
  assert.equal(result1.converted, good.length);
  assert.equal(result1.failed, 2);

  for (const rel of good) {
    const json = join(out, ...`${rel}.json`.split('/'));
    assert.ok(existsSync(json), `${rel} → ${rel}.json`);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    assert.equal(report.source.filename, basename(rel));
    assertExpected(report, expectedByFile.get(rel)!, rel);
  }
  assert.ok(!existsSync(join(out, 'word/a/broken.docx.json')) && !existsSync(join(out, '.hidden.txt.json')));
  assert.ok(!existsSync(join(out, '_out')), 'the output folder is not walked');
  assert.ok(!existsSync(join(out, 'word/loop')), 'the link loop is not followed');
  assert.ok(existsSync(join(out, INDEX_FILE)));

  firstDataset = readCsv(out, 'dataset.csv');
  assertDataset(firstDataset, expectedByFile, BAD);

  firstFailures = readCsv(out, 'failures.csv');
  const [fh, ...failures] = parseCsv(firstFailures);
  assert.deepEqual(fh, ['file', 'code', 'message']);
  assert.deepEqual(failures.map((f) => f[0]), BAD);
  assert.deepEqual(failures.map((f) => f[1]), ['UNSUPPORTED', 'DOCX_CORRUPT']);
  assert.ok(failures.every((f) => f[2].length > 10));

  const [lh, ...low] = parseCsv(readCsv(out, 'low-confidence.csv'));
  assert.deepEqual(lh, [...LOW_CONFIDENCE_COLUMNS]);
  let want = 0;
  for (const rel of good) {
    const report = JSON.parse(readFileSync(join(out, `${rel}.json`), 'utf8')) as Report;
    for (const c of report.tables.flatMap((t) => t.cells)) {
      if ((c.state !== 'missing' && c.confidence < 0.95) || c.state === 'illegible' || c.flags.length) want++;
    }
  }
  assert.equal(low.length, want);
  const lc = (name: (typeof LOW_CONFIDENCE_COLUMNS)[number]) => lh.indexOf(name);
  for (const r of low) {
    assert.ok(r[lc('state')] !== 'missing' && (Number(r[lc('confidence')]) < 0.95 || r[lc('flags')] !== '' || r[lc('state')] === 'illegible'), r.join(','));
    assert.ok(r[lc('why')].length > 5, 'says why');
  }

  // Plain progress (not a terminal): a line per file.
  assert.equal(log.lines.filter((l) => / ok {5}/.test(l)).length, good.length, log.text());
  assert.equal(log.lines.filter((l) => /FAILED word\/a\/broken\.docx\s+DOCX_CORRUPT/.test(l)).length, 1);
  assert.match(log.text(), /converted \d+, skipped 0, reused 0, failed 2/);
});

test('the XLSX opens (unzip -t) and LibreOffice reads back the rows of dataset.csv', (t) => {
  const path = join(out, 'dataset.xlsx');
  if (spawnSync('unzip', ['-v']).error) return t.skip('unzip is not installed');
  assert.match(execFileSync('unzip', ['-t', path], { encoding: 'utf8' }), /No errors detected/);
  const loDir = mkdtempSync(join(root, 'lo-'));
  const r = spawnSync(
    process.env.XXGK_SOFFICE ?? 'soffice',
    [`-env:UserInstallation=file://${join(loDir, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', loDir, path],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const csvPath = join(loDir, 'dataset.csv');
  if (!existsSync(csvPath)) {
    if (r.error || /could not be loaded/.test(`${r.stdout}${r.stderr}`)) {
      return t.skip(`LibreOffice Calc is not available here (${r.error?.message ?? 'soffice cannot open spreadsheets: install libreoffice-calc-nogui'})`);
    }
    assert.fail(`LibreOffice wrote no CSV: ${r.stdout} ${r.stderr}`);
  }
  assert.deepEqual(parseCsv(readFileSync(csvPath, 'utf8')), parseCsv(firstDataset));
});

test('a second run converts nothing and rebuilds the same dataset', async () => {
  const log = sink();
  let r!: BatchResult;
  const code = await runBatch([input, '--out', out, '--threshold', '0.95'], { stderr: log, onResult: (x) => (r = x) });
  assert.equal(code, 1);
  assert.equal(r.converted, 0, log.text());
  assert.equal(r.skipped, expectedByFile.size);
  assert.equal(r.failed, 2, 'the corrupt file is listed again (from the index, not converted again)');
  assert.equal(log.lines.filter((l) => / ok {5}|FAILED/.test(l)).length, 0, log.text());
  assert.equal(readCsv(out, 'dataset.csv'), firstDataset);
  assert.equal(readCsv(out, 'failures.csv'), firstFailures);
});

test('resume: a killed run (torn index line, missing JSON) and a changed file are converted, nothing else', async () => {
  const lost = `2023/网页/${basename(picked.find((s) => s.route === 'html')!.path)}`;
  unlinkSync(join(out, `${lost}.json`));
  appendFileSync(join(out, INDEX_FILE), '{"file":"2023/text/00'); // torn line
  const changed = `2023/text/${seeds[0]}.txt`;
  copyFileSync(join(samplesDir, 'seeds', `${seeds[2]}.txt`), join(input, changed));
  let r!: BatchResult;
  const code = await runBatch([input, '--out', out], { stderr: sink(), onResult: (x) => (r = x) });
  assert.equal(code, 1);
  assert.equal(r.converted + r.reused, 2);
  assert.equal(r.skipped, expectedByFile.size - 2);
  expectedByFile.set(changed, expectedFor(seeds[2]));
  // The changed file now holds seed 002's bytes: the first in path order is counted, the other is its duplicate.
  assertDataset(readCsv(out, 'dataset.csv'), expectedByFile, BAD, { [`2023/text/${seeds[2]}.txt`]: changed });
  firstDataset = readCsv(out, 'dataset.csv');
});

test('a conversion that outlives --timeout is stopped and listed as TIMEOUT; the next run converts it', async () => {
  const dir = join(root, 'timeout');
  const outT = join(root, 'timeout-out');
  mkdirSync(dir, { recursive: true });
  for (const seed of seeds.slice(0, 2)) copyFileSync(join(samplesDir, 'seeds', `${seed}.txt`), join(dir, `${seed}.txt`));
  // A fresh worker thread cannot load the pipeline in a millisecond: every file runs out of time.
  const first = await runBatchJob({ input: dir, out: outT, timeoutSeconds: 0.001, progress: sink() });
  assert.equal(first.converted, 0);
  assert.deepEqual(first.failures.map((f) => f.code), ['TIMEOUT', 'TIMEOUT']);
  assert.match(first.failures[0].message, /took longer than 0.001 s \(--timeout\)/);
  const second = await runBatchJob({ input: dir, out: outT, progress: sink() });
  assert.equal(second.converted, 2, 'a timeout is not the document’s fault: the file is converted again');
  assert.deepEqual(second.failures, []);
  const report = JSON.parse(readFileSync(join(outT, `${seeds[0]}.txt.json`), 'utf8')) as Report;
  assertExpected(report, expectedFor(seeds[0]), `${seeds[0]}.txt`);
});

test('--server: the same batch through the running service gives the same dataset', async () => {
  const { app } = testApp({ XXGK_API_KEYS: 'batch:k' });
  const { server, url } = await listening(app);
  try {
    const out2 = join(root, 'via-service');
    const log = sink();
    let r!: BatchResult;
    const code = await runBatch([input, '--out', out2, '--server', url, '--api-key', 'k', '--formats', 'json,csv'], { stderr: log, onResult: (x) => (r = x) });
    assert.equal(code, 1, log.text());
    assert.equal(r.converted, expectedByFile.size);
    assert.equal(readCsv(out2, 'dataset.csv'), firstDataset);
    assert.deepEqual(parseCsv(readCsv(out2, 'failures.csv')).slice(1).map((f) => [f[0], f[1]]), [['notes.xyz', 'UNSUPPORTED'], ['word/a/broken.docx', 'DOCX_CORRUPT']]);
    assert.ok(!existsSync(join(out2, 'dataset.xlsx')), '--formats json,csv writes no XLSX');

    const refused = sink();
    assert.equal(await runBatch([input, '--out', join(root, 'never'), '--server', url, '--api-key', 'wrong'], { stderr: refused }), 2);
    assert.match(refused.text(), /refused the request \(403 FORBIDDEN/);
    assert.ok(!existsSync(join(root, 'never')));
  } finally {
    server.close();
  }
});

test('usage errors exit 2; an unreachable service exits 2 before converting anything', async () => {
  const quiet = () => ({ stderr: sink() });
  assert.equal(await runBatch([], quiet()), 2);
  assert.equal(await runBatch([input], quiet()), 2);
  assert.equal(await runBatch([input, '--out', input], quiet()), 2);
  assert.equal(await runBatch([join(root, 'nope'), '--out', out], quiet()), 2);
  assert.equal(await runBatch([input, '--out', out, '--concurrency', '0'], quiet()), 2);
  assert.equal(await runBatch([input, '--out', out, '--formats', 'pdf'], quiet()), 2);
  assert.equal(await runBatch([input, '--out', out, '--threshold', '1.5'], quiet()), 2);
  assert.equal(await runBatch([input, '--out', out, '--bogus'], quiet()), 2);
  assert.equal(await runBatch([input, '--out', out, '--server', 'ftp://x'], quiet()), 2);
  const closed = express().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as AddressInfo).port;
  closed.close();
  await once(closed, 'close');
  const log = sink();
  assert.equal(await runBatch([input, '--out', join(root, 'never'), '--server', `http://127.0.0.1:${port}`], { stderr: log }), 2);
  assert.match(log.text(), /cannot reach the service/);
  // Locally a file in flight is a thread (at most 64); through a service only a request (at most 1024).
  const local = sink();
  assert.equal(await runBatch([input, '--out', out, '--concurrency', '100'], { stderr: local }), 2);
  assert.match(local.text(), /--concurrency must be a whole number from 1 to 64 \(1024 with --server\)/);
  const remote = sink();
  assert.equal(await runBatch([input, '--out', join(root, 'never'), '--concurrency', '100', '--server', `http://127.0.0.1:${port}`], { stderr: remote }), 2);
  assert.match(remote.text(), /cannot reach the service/, 'past the option check, to the service');
  const tooMany = sink();
  assert.equal(await runBatch([input, '--out', join(root, 'never'), '--concurrency', '2000', '--server', `http://127.0.0.1:${port}`], { stderr: tooMany }), 2);
  assert.match(tooMany.text(), /from 1 to 1024, got "2000"/);
});

test('progress on a terminal: one bar redrawn with \\r, counts, rate and ETA; failures printed above it', () => {
  const lines: string[] = [];
  const p = new Progress({ write: (s: string) => lines.push(s), isTTY: true, columns: 120 }, 3);
  p.start('a/报告.pdf');
  p.finishFile('a/报告.pdf', { kind: 'ok' });
  p.finishFile('b.docx', { kind: 'failed', code: 'DOCX_CORRUPT', message: 'damaged' });
  p.finishFile('c.txt', { kind: 'ok' });
  p.end();
  const text = lines.join('');
  assert.match(text, /\r\[░+\] 0\/3 +0%  failed 0  0\.0 files\/s  ETA --:--/);
  assert.match(text, /\r\[█+░+\] 2\/3 +66%  failed 1  [\d.]+ files\/s  ETA \d+:\d\d/);
  assert.match(text, /\r\x1b\[K\[2\/3\] FAILED b\.docx  DOCX_CORRUPT: damaged\n/);
  assert.match(text, /3\/3 100%  failed 1/);
  assert.ok(text.endsWith('\n'));
  assert.ok(!/ ok /.test(text), 'no per-file lines on a terminal');
  assert.ok(p.render(40).length <= 40);
});

// ---- the service client against a fake service that answers 429, then 202 + jobs ----

test('service client: 429 Retry-After, 202 + Location, polling, result; failed jobs and error bodies', async () => {
  const jobs = new Map<string, { polls: number; filename: string; bytes: Buffer }>();
  const auth: (string | undefined)[] = [];
  let posts = 0;
  const fake = express();
  fake.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  fake.post('/v1/convert', express.raw({ type: () => true, limit: '60mb' }), (req, res) => {
    auth.push(req.headers.authorization);
    posts++;
    const filename = String(req.query.filename);
    assert.equal(req.query.wait, '60');
    if (posts === 1) {
      res.status(429).set('Retry-After', '0').json({ error: { code: 'RATE_LIMITED', message: 'later' } });
      return;
    }
    if (filename === 'refused.txt') {
      res.status(415).json({ error: { code: 'UNSUPPORTED_TYPE', message: 'not a report' } });
      return;
    }
    const id = `job-${posts}`;
    jobs.set(id, { polls: 0, filename, bytes: req.body as Buffer });
    res.status(202).set('Location', `/v1/jobs/${id}`).json({ job: { id, status: 'queued' } });
  });
  fake.get('/v1/jobs/:id', (req, res) => {
    auth.push(req.headers.authorization);
    const j = jobs.get(req.params.id);
    if (!j) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such job' } });
    j.polls++;
    if (j.filename === 'fail.txt') return void res.json({ job: { id: req.params.id, status: 'failed', error: { code: 'TEXT_EMPTY', message: 'nothing to read' } } });
    res.json({ job: { id: req.params.id, status: j.polls < 2 ? 'running' : 'succeeded' } });
  });
  fake.get('/v1/jobs/:id/result', async (req, res) => {
    const j = jobs.get(req.params.id)!;
    res.json(await convert(j.bytes, { filename: j.filename }));
  });
  const { server, url: base } = await listening(fake);
  const url = `${base}/`;
  try {
    const client = new RemoteClient({ server: url, apiKey: 'secret', pollIntervalMs: 5 });
    const seed = seeds[4];
    const report = await client.convert(sample(`seeds/${seed}.txt`), `${seed}.txt`);
    assertExpected(report, expectedFor(seed), `${seed} via 202 + polling`);
    assert.equal(posts, 2, 'retried once after 429');
    assert.equal(jobs.get('job-2')!.polls, 2);
    assert.ok(auth.every((a) => a === 'Bearer secret'), 'the key goes with every request');

    await assert.rejects(client.convert(Buffer.from('x'), 'fail.txt'), (e: unknown) => e instanceof RemoteError && e.code === 'TEXT_EMPTY' && e.message === 'nothing to read');
    await assert.rejects(client.convert(Buffer.from('x'), 'refused.txt'), (e: unknown) => e instanceof RemoteError && e.code === 'UNSUPPORTED_TYPE' && e.status === 415 && e.permanent);

    // The same protocol inside a batch: one good file, one failing job.
    const small = join(root, 'small');
    mkdirSync(small);
    copyFileSync(join(samplesDir, 'seeds', `${seeds[3]}.txt`), join(small, 'good.txt'));
    writeFileSync(join(small, 'fail.txt'), 'x');
    const r = await runBatchJob({ input: small, out: join(root, 'small-out'), server: url, apiKey: 'secret', progress: sink(), remote: { pollIntervalMs: 5 } });
    assert.equal(r.converted, 1);
    assert.deepEqual(r.failures.map((f) => [f.file, f.code]), [['fail.txt', 'TEXT_EMPTY']]);
    assert.deepEqual(readdirSync(join(root, 'small-out')).filter((f) => f.endsWith('.json')), ['good.txt.json']);
  } finally {
    server.close();
  }
});
