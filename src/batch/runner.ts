/**
 * The batch run: walk the input folder, skip what an earlier run converted (by content hash), convert
 * the rest (in worker threads or through a service) with a concurrency limit, one JSON per input mirroring
 * the folders, then rebuild dataset.csv / dataset.xlsx / low-confidence.csv / failures.csv from every
 * report JSON in the output folder. One bad file never stops the batch.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ConvertError } from '../intake/errors.js';
import { limitsFromEnv, type Limits } from '../intake/limits.js';
import { MODEL_ID, type Report } from '../model/report.js';
import { toCsv } from '../output/csv.js';
import {
  DATASET_COLUMNS,
  datasetRow,
  failureRow,
  FAILURE_COLUMNS,
  LOW_CONFIDENCE_COLUMNS,
  lowConfidenceRows,
  type DatasetValue,
  type FailureRow,
} from '../output/dataset.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../check/summary.js';
import { xlsx } from '../output/xlsx.js';
import { WorkerPool } from '../jobs/pool.js';
import { Progress, type ProgressSink } from './progress.js';
import { RemoteClient, RemoteError, type RemoteOptions } from './remote.js';
import { INDEX_FILE, ResumeIndex, sha256, sha256File } from './resume.js';
import { SUPPORTED_EXTENSIONS, walk, type WalkedFile } from './walk.js';

export type Format = 'json' | 'csv' | 'xlsx';
export const FORMATS: readonly Format[] = ['json', 'csv', 'xlsx'];

export const OUTPUT_FILES = {
  datasetCsv: 'dataset.csv',
  datasetXlsx: 'dataset.xlsx',
  lowConfidence: 'low-confidence.csv',
  failures: 'failures.csv',
} as const;

export interface BatchOptions {
  input: string;
  out: string;
  /** Base URL of a running service; conversion in this process's worker threads when absent. */
  server?: string;
  apiKey?: string;
  /** Files converted at once (default 2): worker threads, or requests to the service. */
  concurrency?: number;
  /** A local conversion running longer than this is stopped and listed as TIMEOUT (default 3600 s). */
  timeoutSeconds?: number;
  /**
   * json: the per-file report JSONs (always written: resume and the dataset are built from them);
   * csv: dataset.csv and low-confidence.csv; xlsx: dataset.xlsx (sheets dataset, low-confidence, failures).
   * failures.csv is always written.
   */
  formats?: Format[];
  /** Cells under this confidence go to low-confidence.csv (default 0.9). */
  threshold?: number;
  /** Convert again files whose earlier failure was the document's fault (default: list them again). */
  retryFailed?: boolean;
  limits?: Limits;
  /** Where progress goes (default process.stderr). */
  progress?: ProgressSink;
  /** Client tuning for --server (tests: short poll intervals). */
  remote?: Partial<Omit<RemoteOptions, 'server' | 'apiKey'>>;
}

export interface BatchResult {
  /** Files found (supported or not). */
  files: number;
  converted: number;
  /** Unchanged since an earlier run: not converted again. */
  skipped: number;
  /** Same bytes as another file already converted: its report copied. */
  reused: number;
  /** Rows of failures.csv (conversion failures, unreadable and unsupported files). */
  failed: number;
  unsupported: number;
  failures: FailureRow[];
  /** Rows of the dataset (report JSONs found in the output folder). */
  reports: number;
  written: string[];
  elapsedMs: number;
}

interface Planned {
  file: WalkedFile;
  sha256: string;
  jsonRel: string;
}

/** `a/b/report.pdf` → `a/b/report.pdf.json` */
export function outputRel(rel: string): string {
  return `${rel}.json`;
}

function outPath(outDir: string, rel: string): string {
  return join(outDir, ...rel.split('/'));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** Writes via a hidden temporary file and a rename, so a killed run leaves whole files only. */
async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, path);
}

async function readReport(path: string): Promise<Report | null> {
  try {
    const r = JSON.parse(await readFile(path, 'utf8')) as Report;
    return r && r.model === MODEL_ID && Array.isArray(r.tables) ? r : null;
  } catch {
    return null;
  }
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function failureOf(err: unknown): { code: string; message: string; permanent: boolean } {
  if (err instanceof RemoteError) return { code: err.code, message: err.message, permanent: err.permanent };
  if (err instanceof ConvertError) return { code: err.code, message: err.message, permanent: err.status >= 400 && err.status < 500 };
  const e = err as NodeJS.ErrnoException;
  if (e?.code && e.syscall) {
    const reading = e.syscall === 'read' || (e.syscall === 'open' && e.code !== 'ENOSPC' && e.code !== 'EROFS');
    return {
      code: reading ? 'FILE_UNREADABLE' : 'IO_ERROR',
      message: `${reading ? 'Cannot read the file' : 'Cannot write the output'}: ${e.code} (${e.syscall}${e.path ? ` ${e.path}` : ''})`,
      permanent: false,
    };
  }
  return { code: 'INTERNAL', message: `The conversion failed unexpectedly: ${e?.message ?? String(err)}`, permanent: false };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function runBatchJob(options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const input = resolve(options.input);
  const out = resolve(options.out);
  const formats = new Set(options.formats ?? FORMATS);
  const threshold = options.threshold ?? DEFAULT_REVIEW_THRESHOLD;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  const limits = options.limits ?? limitsFromEnv();
  const sink = options.progress ?? process.stderr;
  const say = (line: string) => sink.write(line + '\n');
  const remote = options.server ? new RemoteClient({ ...options.remote, server: options.server, apiKey: options.apiKey }) : null;
  const timeoutMs = Math.round((options.timeoutSeconds ?? 3600) * 1000);

  await mkdir(out, { recursive: true });
  const index = await ResumeIndex.open(out);
  const { files, problems } = await walk(input, { exclude: [out], skipFoldersWith: INDEX_FILE });

  const failures: FailureRow[] = problems.map((p) => ({ file: p.rel, code: p.code, message: p.message }));
  const fail = (file: string, code: string, message: string) => failures.push({ file, code, message });
  let unsupported = 0;
  let skipped = 0;
  let reused = 0;
  let converted = 0;

  // 1. Plan: hash every supported file and decide what it needs.
  const toConvert: Planned[] = [];
  const toReuse: (Planned & { from: string })[] = [];
  const supported = files.filter((f) => {
    if (f.supported) return true;
    unsupported++;
    const ext = f.rel.includes('.') ? f.rel.slice(f.rel.lastIndexOf('.')) : '(none)';
    fail(f.rel, 'UNSUPPORTED', `Files of type ${ext} are not converted (supported: ${SUPPORTED_EXTENSIONS.join(' ')}).`);
    return false;
  });
  if (supported.length > 200) say(`xxgk-convert batch: checking ${supported.length} files against ${join(out, INDEX_FILE)} …`);
  const hashes = new Map<string, string>();
  await pool(supported, 8, async (f) => {
    try {
      const known = index.get(f.rel);
      const unchanged = known && known.size === f.size && known.mtimeMs === f.mtimeMs;
      hashes.set(f.rel, unchanged ? known.sha256 : await sha256File(f.path));
    } catch (err) {
      const e = failureOf(err);
      fail(f.rel, e.code, e.message);
    }
  });
  for (const f of supported) {
    const hash = hashes.get(f.rel);
    if (!hash) continue;
    const jsonRel = outputRel(f.rel);
    const entry = index.get(f.rel);
    if (entry?.sha256 === hash && entry.status === 'ok' && entry.output && (await exists(outPath(out, entry.output)))) {
      skipped++;
      continue;
    }
    // The JSON of a run killed before it wrote its index line, or of an older index.
    const existing = await readReport(outPath(out, jsonRel));
    if (existing?.source?.sha256 === hash) {
      await index.record({ file: f.rel, sha256: hash, size: f.size, mtimeMs: f.mtimeMs, status: 'ok', output: jsonRel });
      skipped++;
      continue;
    }
    if (entry?.sha256 === hash && entry.status === 'failed' && entry.permanent && !options.retryFailed) {
      fail(f.rel, entry.code ?? 'FAILED', entry.message ?? 'The conversion failed in an earlier run.');
      continue;
    }
    const same = index.okFor(hash);
    if (same?.output && same.file !== f.rel && (await exists(outPath(out, same.output)))) {
      toReuse.push({ file: f, sha256: hash, jsonRel, from: same.output });
      continue;
    }
    toConvert.push({ file: f, sha256: hash, jsonRel });
  }

  const mode = remote ? `through ${options.server}` : `${concurrency} worker thread${concurrency > 1 ? 's' : ''}`;
  say(
    `xxgk-convert batch: ${files.length} files in ${input}: ${toConvert.length} to convert (${mode}), ` +
      `${skipped} already converted, ${toReuse.length} duplicates, ${unsupported} unsupported → ${out}`,
  );

  // 2. Duplicates of a converted file: copy its report under this file's name.
  for (const p of toReuse) {
    const report = await readReport(outPath(out, p.from));
    if (!report || report.source?.sha256 !== p.sha256) {
      toConvert.push(p);
      continue;
    }
    report.source.filename = basename(p.file.rel);
    await writeAtomic(outPath(out, p.jsonRel), JSON.stringify(report, null, 2) + '\n');
    await index.record({ file: p.file.rel, sha256: p.sha256, size: p.file.size, mtimeMs: p.file.mtimeMs, status: 'ok', output: p.jsonRel });
    reused++;
  }

  // 3. Convert. Locally each file goes to a worker thread: both cores work, a document that exhausts
  // its bounded heap or hangs fails alone, and the heap a long PDF grew is given back when it ends.
  const progress = new Progress(sink, toConvert.length);
  const workers = remote || !toConvert.length ? null : new WorkerPool(Math.min(concurrency, toConvert.length), 'batch', '--timeout');
  const convertLocally = async (bytes: Uint8Array, filename: string): Promise<Report> => {
    const request = { bytes, filename, charset: null, limits, reviewThreshold: threshold, id: randomUUID() };
    const outcome = await workers!.run(request, timeoutMs, () => undefined).outcome;
    if (!outcome.ok) throw new ConvertError(outcome.code, outcome.status, outcome.message);
    return outcome.report as Report;
  };
  try {
    await pool(toConvert, concurrency, async (p) => {
      const rel = p.file.rel;
      const t0 = performance.now();
      progress.start(rel);
      let hash = p.sha256;
      try {
        if (!remote && p.file.size > limits.maxBytes) {
          throw new ConvertError('TOO_LARGE', 413, `The file is ${p.file.size} bytes; the limit is ${limits.maxBytes}.`);
        }
        const bytes = await readFile(p.file.path);
        hash = sha256(bytes);
        const filename = basename(rel);
        const report = remote
          ? await remote.convert(bytes, filename)
          : await convertLocally(bytes, filename);
        // A service may answer from its cache with the name the bytes were first sent under.
        report.source.filename = filename;
        await writeAtomic(outPath(out, p.jsonRel), JSON.stringify(report, null, 2) + '\n');
        await index.record({ file: rel, sha256: hash, size: p.file.size, mtimeMs: p.file.mtimeMs, status: 'ok', output: p.jsonRel });
        converted++;
        const detail = `${report.report.template} ${report.source.route}  confidence ${report.summary.confidence}`;
        progress.finishFile(rel, { kind: 'ok', detail }, (performance.now() - t0) / 1000);
      } catch (err) {
        const e = failureOf(err);
        fail(rel, e.code, e.message);
        // Its earlier JSON (other bytes) is stale now.
        await rm(outPath(out, p.jsonRel), { force: true }).catch(() => undefined);
        await index
          .record({ file: rel, sha256: hash, size: p.file.size, mtimeMs: p.file.mtimeMs, status: 'failed', code: e.code, message: e.message, permanent: e.permanent })
          .catch(() => undefined);
        progress.finishFile(rel, { kind: 'failed', code: e.code, message: e.message }, (performance.now() - t0) / 1000);
      }
    });
  } finally {
    await workers?.close();
  }
  progress.end();
  await index.flush();

  // 4. The dataset files, from every report JSON in the output folder.
  const excludeFromScan = relative(out, input).startsWith('..') || relative(out, input) === '' ? [] : [input];
  const jsons = (await walk(out, { exclude: excludeFromScan })).files
    .filter((f) => f.rel.endsWith('.json'))
    .sort((a, b) => cmp(a.rel, b.rel));
  const rows: DatasetValue[][] = [];
  const review: DatasetValue[][] = [];
  for (const j of jsons) {
    const report = await readReport(j.path);
    if (!report) continue;
    const file = j.rel.slice(0, -'.json'.length);
    rows.push(datasetRow(report, file));
    review.push(...lowConfidenceRows(report, file, threshold));
  }
  failures.sort((a, b) => cmp(a.file, b.file) || cmp(a.code, b.code));
  const failureRows = failures.map(failureRow);

  const written: string[] = [];
  const emit = async (name: string, data: string | Uint8Array) => {
    await writeAtomic(join(out, name), data);
    written.push(name);
  };
  if (formats.has('csv')) {
    await emit(OUTPUT_FILES.datasetCsv, toCsv([DATASET_COLUMNS, ...rows]));
    await emit(OUTPUT_FILES.lowConfidence, toCsv([LOW_CONFIDENCE_COLUMNS, ...review]));
  }
  if (formats.has('xlsx')) {
    await emit(
      OUTPUT_FILES.datasetXlsx,
      xlsx([
        { name: 'dataset', rows: [DATASET_COLUMNS, ...rows], freeze: { rows: 1, cols: 1 } },
        { name: 'low-confidence', rows: [LOW_CONFIDENCE_COLUMNS, ...review] },
        { name: 'failures', rows: [FAILURE_COLUMNS, ...failureRows] },
      ]),
    );
  }
  await emit(OUTPUT_FILES.failures, toCsv([FAILURE_COLUMNS, ...failureRows]));

  const elapsedMs = Math.round(performance.now() - started);
  say(
    `done in ${(elapsedMs / 1000).toFixed(1)} s: converted ${converted}, skipped ${skipped}, reused ${reused}, failed ${failures.length}` +
      ` (${unsupported} unsupported); ${rows.length} reports in the dataset; wrote ${written.join(', ')} in ${out}`,
  );
  if (failures.length) say(`failures are listed in ${join(out, OUTPUT_FILES.failures)}`);
  return { files: files.length, converted, skipped, reused, failed: failures.length, unsupported, failures, reports: rows.length, written, elapsedMs };
}
