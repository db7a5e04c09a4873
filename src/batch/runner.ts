/**
 * The batch run: walk the input folder, skip what an earlier run converted (by content hash), convert
 * the rest (in worker threads or through a service) with a concurrency limit, one JSON per input mirroring
 * the folders, optionally fetch reviewers' corrections back from the service, then rebuild the dataset
 * files (OUTPUT_FILES) from every report JSON in the output folder, with the series checks across
 * years. One bad file never stops the batch; an interruption (stop, abandon) still writes the dataset.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ConvertError } from '../intake/errors.js';
import { limitsFromEnv, type Limits } from '../intake/limits.js';
import { MODEL_ID, type Report } from '../model/report.js';
import { toCsv } from '../output/csv.js';
import { CELLS_COLUMNS, cellRows } from '../output/cells.js';
import { CODEBOOK_COLUMNS, codebookRows } from '../output/codebook.js';
import {
  DATASET_COLUMNS,
  datasetRow,
  failureRow,
  FAILURE_COLUMNS,
  isReport,
  LOW_CONFIDENCE_COLUMNS,
  lowConfidenceRows,
  type DatasetEntry,
  type DatasetValue,
  type FailureRow,
} from '../output/dataset.js';
import { SERIES_COLUMNS, seriesRow } from '../output/series-checks.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../check/summary.js';
import { runSeriesChecks } from '../check/series.js';
import { xlsx } from '../output/xlsx.js';
import { refreshCorrected, type RefreshOutcome } from './corrected.js';
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
  cells: 'cells.csv',
  codebook: 'codebook.csv',
  lowConfidence: 'low-confidence.csv',
  seriesChecks: 'series-checks.csv',
  failures: 'failures.csv',
} as const;

/** A converted file that holds no report of any known form: listed in failures.csv under this code. */
export const NOT_A_REPORT = 'NOT_A_REPORT';

/**
 * Failures that the same file will always meet and that say it is not a report to convert: with
 * `--ignore-permanent-failures` they do not make the exit code 1.
 */
export const KNOWN_PERMANENT_CODES: ReadonlySet<string> = new Set([NOT_A_REPORT, 'UNSUPPORTED', 'UNSUPPORTED_TYPE']);

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
  /** With `server`: fetch the corrections reviewers saved there into the report JSONs first. */
  refreshCorrected?: boolean;
  /** Aborted: start no new file, let the ones in flight finish, write the dataset (the first Ctrl-C). */
  stop?: AbortSignal;
  /** Aborted: give up the files in flight too, unrecorded, so the next run converts them (the second Ctrl-C). */
  abandon?: AbortSignal;
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
  /** Reports counted in the dataset (status converted: not duplicates, not non-reports). */
  reports: number;
  /** Files not converted because the run was stopped (they are converted by the next run). */
  notStarted: number;
  abandoned: number;
  interrupted: boolean;
  /** Series checks evaluated, and how many failed. */
  seriesChecks: number;
  seriesFailed: number;
  refresh?: RefreshOutcome;
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

/** Runs fn over items, `concurrency` at once; once `stop` is aborted no new item starts. Returns how many started. */
async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>, stop?: AbortSignal): Promise<number> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length && !stop?.aborted) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
  return next;
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
  let abandoned = 0;
  /** Settles with the conversion, or rejects when the run is abandoned (the worker's task is cancelled). */
  const whileWanted = <T>(work: Promise<T>, cancel: () => void = () => undefined): Promise<T> => {
    const abandon = options.abandon;
    if (!abandon) return work;
    return new Promise<T>((resolvePromise, reject) => {
      const onAbort = () => {
        cancel();
        reject(new Abandoned());
      };
      if (abandon.aborted) return onAbort();
      abandon.addEventListener('abort', onAbort, { once: true });
      work.then(resolvePromise, reject).finally(() => abandon.removeEventListener('abort', onAbort));
    });
  };
  const convertLocally = async (bytes: Uint8Array, filename: string): Promise<Report> => {
    const request = { bytes, filename, charset: null, limits, reviewThreshold: threshold, id: randomUUID() };
    const task = workers!.run(request, timeoutMs, () => undefined);
    const outcome = await whileWanted(task.outcome, task.cancel);
    if (!outcome.ok) throw new ConvertError(outcome.code, outcome.status, outcome.message);
    return outcome.report as Report;
  };
  let begun = 0;
  try {
    begun = await pool(toConvert, concurrency, async (p) => {
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
          ? await whileWanted(remote.convert(bytes, filename))
          : await convertLocally(bytes, filename);
        // A service may answer from its cache with the name the bytes were first sent under.
        report.source.filename = filename;
        await writeAtomic(outPath(out, p.jsonRel), JSON.stringify(report, null, 2) + '\n');
        await index.record({ file: rel, sha256: hash, size: p.file.size, mtimeMs: p.file.mtimeMs, status: 'ok', output: p.jsonRel });
        converted++;
        const detail = `${report.report.template} ${report.source.route}  confidence ${report.summary.confidence}`;
        progress.finishFile(rel, { kind: 'ok', detail }, (performance.now() - t0) / 1000);
      } catch (err) {
        if (err instanceof Abandoned) {
          // Not recorded: the next run converts it.
          abandoned++;
          progress.finishFile(rel, { kind: 'failed', code: 'ABANDONED', message: 'interrupted; converted by the next run' }, (performance.now() - t0) / 1000);
          return;
        }
        const e = failureOf(err);
        fail(rel, e.code, e.message);
        // Its earlier JSON (other bytes) is stale now.
        await rm(outPath(out, p.jsonRel), { force: true }).catch(() => undefined);
        await index
          .record({ file: rel, sha256: hash, size: p.file.size, mtimeMs: p.file.mtimeMs, status: 'failed', code: e.code, message: e.message, permanent: e.permanent })
          .catch(() => undefined);
        progress.finishFile(rel, { kind: 'failed', code: e.code, message: e.message }, (performance.now() - t0) / 1000);
      }
    }, options.stop);
  } finally {
    await workers?.close();
  }
  progress.end();
  await index.flush();
  const notStarted = toConvert.length - begun;
  const interrupted = !!options.stop?.aborted || !!options.abandon?.aborted;

  // 4. The report JSONs in the output folder, each with what it is (a report, a duplicate, not a report).
  const excludeFromScan = relative(out, input).startsWith('..') || relative(out, input) === '' ? [] : [input];
  const jsons = (await walk(out, { exclude: excludeFromScan })).files
    .filter((f) => f.rel.endsWith('.json'))
    .sort((a, b) => cmp(a.rel, b.rel));
  const loaded: { file: string; path: string; report: Report }[] = [];
  for (const j of jsons) {
    const report = await readReport(j.path);
    if (report) loaded.push({ file: j.rel.slice(0, -'.json'.length), path: j.path, report });
  }

  // 5. Reviewers' corrections from the service, into the JSONs (only the first file of the same bytes).
  let refresh: RefreshOutcome | undefined;
  if (remote && options.refreshCorrected && !interrupted) {
    const seen = new Set<string>();
    const targets = loaded.filter((l) => !seen.has(l.report.source.sha256) && !!seen.add(l.report.source.sha256)).map((l) => ({
      file: l.file,
      report: l.report,
      write: async (report: Report) => {
        await writeAtomic(l.path, JSON.stringify(report, null, 2) + '\n');
        l.report = report;
      },
    }));
    refresh = await refreshCorrected(targets, index, remote);
    await index.flush();
    say(
      `corrections: asked ${options.server} about ${refresh.checked} reports: ${refresh.refreshed} refreshed with newer corrections, ` +
        `${refresh.unknown} not held by the service${refresh.errors.length ? `, ${refresh.errors.length} could not be refreshed` : ''}`,
    );
    for (const e of refresh.errors) say(`  ${e.file}: ${e.message}`);
  }

  const entries: DatasetEntry[] = [];
  const firstOfHash = new Map<string, string>();
  for (const l of loaded) {
    const hash = l.report.source.sha256;
    const corrected = index.get(l.file)?.corrected;
    const entry: DatasetEntry = { file: l.file, status: 'converted', report: l.report, sha256: hash };
    if (!isReport(l.report)) {
      entry.status = 'not a report';
      fail(l.file, NOT_A_REPORT, 'No statistical table of a known form and no figure was found: this is not an annual report.');
    } else if (firstOfHash.has(hash)) {
      entry.status = 'duplicate';
      entry.duplicateOf = firstOfHash.get(hash);
    } else {
      firstOfHash.set(hash, l.file);
      if (corrected) entry.corrections = new Map(corrected.cells.map((c) => [c.key, { who: c.who, at: c.at }]));
    }
    entries.push(entry);
  }
  const counted = entries.filter((e) => e.status === 'converted');
  const series = runSeriesChecks(counted.map((e) => ({ file: e.file, report: e.report! })));
  for (const e of counted) e.series = series.marks.get(e.file);
  failures.sort((a, b) => cmp(a.file, b.file) || cmp(a.code, b.code));
  const withJson = new Set(entries.map((e) => e.file));
  for (const f of failures) {
    if (!withJson.has(f.file)) entries.push({ file: f.file, status: 'failed', report: null, sha256: index.get(f.file)?.sha256 ?? null, failure: { code: f.code, message: f.message } });
  }
  entries.sort((a, b) => cmp(a.file, b.file));

  // 6. The dataset files.
  const rows = entries.map((e) => datasetRow(e, threshold));
  const review = entries.flatMap((e) => lowConfidenceRows(e, threshold));
  const seriesRows = series.results.map(seriesRow);
  const failureRows = failures.map(failureRow);
  const codebook = [CODEBOOK_COLUMNS, ...codebookRows()];

  const written: string[] = [];
  const emit = async (name: string, data: string | Uint8Array) => {
    await writeAtomic(join(out, name), data);
    written.push(name);
  };
  if (formats.has('csv')) {
    await emit(OUTPUT_FILES.datasetCsv, toCsv([DATASET_COLUMNS, ...rows]));
    await emit(OUTPUT_FILES.cells, toCsv([CELLS_COLUMNS, ...counted.flatMap(cellRows)]));
    await emit(OUTPUT_FILES.codebook, toCsv(codebook));
    await emit(OUTPUT_FILES.lowConfidence, toCsv([LOW_CONFIDENCE_COLUMNS, ...review]));
    await emit(OUTPUT_FILES.seriesChecks, toCsv([SERIES_COLUMNS, ...seriesRows]));
  }
  if (formats.has('xlsx')) {
    await emit(
      OUTPUT_FILES.datasetXlsx,
      xlsx([
        { name: 'dataset', rows: [DATASET_COLUMNS, ...rows], freeze: { rows: 1, cols: 1 } },
        { name: 'codebook', rows: codebook, freeze: { rows: 1, cols: 1 } },
        { name: 'low-confidence', rows: [LOW_CONFIDENCE_COLUMNS, ...review] },
        { name: 'series-checks', rows: [SERIES_COLUMNS, ...seriesRows] },
        { name: 'failures', rows: [FAILURE_COLUMNS, ...failureRows] },
      ]),
    );
  }
  await emit(OUTPUT_FILES.failures, toCsv([FAILURE_COLUMNS, ...failureRows]));

  const elapsedMs = Math.round(performance.now() - started);
  const seriesFailed = series.results.filter((r) => !r.holds).length;
  say(
    `done in ${(elapsedMs / 1000).toFixed(1)} s: converted ${converted}, skipped ${skipped}, reused ${reused}, failed ${failures.length}` +
      ` (${unsupported} unsupported); ${counted.length} reports in the dataset; ${series.results.length} series checks, ${seriesFailed} failing;` +
      ` wrote ${written.join(', ')} in ${out}`,
  );
  if (failures.length) say(`failures are listed in ${join(out, OUTPUT_FILES.failures)}`);
  if (interrupted) {
    say(
      `interrupted: ${notStarted + abandoned} file${notStarted + abandoned === 1 ? ' was' : 's were'} not converted` +
        `${abandoned ? ` (${abandoned} abandoned in flight)` : ''}. The dataset holds what is done. ` +
        `To resume, run the same command again: what is converted is skipped.`,
    );
  }
  return {
    files: files.length, converted, skipped, reused, failed: failures.length, unsupported, failures, reports: counted.length, written, elapsedMs,
    notStarted, abandoned, interrupted, seriesChecks: series.results.length, seriesFailed, ...(refresh ? { refresh } : {}),
  };
}

/** A conversion given up because the run was abandoned (a second Ctrl-C). */
class Abandoned extends Error {
  constructor() {
    super('abandoned');
  }
}
