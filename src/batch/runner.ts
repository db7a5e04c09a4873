/**
 * The batch run: walk the input folder, skip what an earlier run converted (by content hash), convert
 * the rest (in worker threads or through a service) with a concurrency limit, one JSON per input mirroring
 * the folders, optionally fetch reviewers' corrections back from the service, then rebuild the dataset
 * files (OUTPUT_FILES) from every report JSON in the output folder, with the series checks across
 * years. One bad file never stops the batch; an interruption (stop, abandon) still writes the dataset.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { limitsFromEnv, type Limits } from '../intake/limits.js';
import type { Report } from '../model/report.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../check/summary.js';
import { NOT_A_REPORT, type FailureRow } from '../output/dataset.js';
import type { RunContext } from './context.js';
import { convertFiles } from './convert-files.js';
import { refreshCorrected, type RefreshOutcome } from './corrected.js';
import { countedFiles, datasetEntries, loadReports, type Loaded } from './entries.js';
import { writeReport } from './files.js';
import { copyDuplicates, planBatch } from './plan.js';
import type { ProgressSink } from './progress.js';
import { RemoteClient, type RemoteOptions } from './remote.js';
import { INDEX_FILE, ResumeIndex } from './resume.js';
import { walk } from './walk.js';
import { FORMATS, OUTPUT_FILES, writeDataset, type Format } from './write-dataset.js';

export { FORMATS, OUTPUT_FILES, type Format };

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
   * csv: dataset.csv, cells.csv, codebook.csv, low-confidence.csv and series-checks.csv; xlsx: dataset.xlsx
   * (sheets dataset, codebook, low-confidence, series-checks, failures). failures.csv is always written.
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

/** The run's settings with their defaults, its index and its failure list. */
async function startRun(options: BatchOptions): Promise<RunContext> {
  const sink = options.progress ?? process.stderr;
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  const failures: FailureRow[] = [];
  return {
    input: resolve(options.input),
    out,
    threshold: options.threshold ?? DEFAULT_REVIEW_THRESHOLD,
    concurrency: Math.max(1, Math.floor(options.concurrency ?? 2)),
    limits: options.limits ?? limitsFromEnv(),
    timeoutMs: Math.round((options.timeoutSeconds ?? 3600) * 1000),
    remote: options.server ? new RemoteClient({ ...options.remote, server: options.server, apiKey: options.apiKey }) : null,
    index: await ResumeIndex.open(out),
    sink,
    say: (line: string) => sink.write(line + '\n'),
    failures,
    fail: (file, code, message) => failures.push({ file, code, message }),
    retryFailed: options.retryFailed ?? false,
    stop: options.stop,
    abandon: options.abandon,
  };
}

/** Reviewers' corrections from the service, into the JSONs of the files the dataset counts (one per content). */
async function refreshFromService(ctx: RunContext, remote: RemoteClient, server: string, loaded: Loaded[]): Promise<RefreshOutcome> {
  const counted = new Set(countedFiles(ctx, loaded).values());
  const targets = loaded.filter((l) => counted.has(l.file)).map((l) => ({
    file: l.file,
    report: l.report,
    write: async (report: Report) => {
      await writeReport(l.path, report);
      l.report = report;
    },
  }));
  const refresh = await refreshCorrected(targets, ctx.index, remote, { stop: ctx.stop, abandon: ctx.abandon });
  await ctx.index.flush();
  ctx.say(
    `corrections: asked ${server} about ${refresh.checked} reports: ${refresh.refreshed} refreshed with newer corrections, ` +
      `${refresh.unknown} not held by the service${refresh.errors.length ? `, ${refresh.errors.length} could not be refreshed` : ''}` +
      `${refresh.notAsked ? `; interrupted, ${refresh.notAsked} not asked about` : ''}`,
  );
  for (const e of refresh.errors) ctx.say(`  ${e.file}: ${e.message}`);
  return refresh;
}

export async function runBatchJob(options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const ctx = await startRun(options);
  const { files, problems } = await walk(ctx.input, { exclude: [ctx.out], skipFoldersWith: INDEX_FILE });
  for (const p of problems) ctx.fail(p.rel, p.code, p.message);

  const plan = await planBatch(ctx, files);
  const mode = ctx.remote ? `through ${options.server}` : `${ctx.concurrency} worker thread${ctx.concurrency > 1 ? 's' : ''}`;
  ctx.say(
    `xxgk-convert batch: ${files.length} files in ${ctx.input}: ${plan.toConvert.length} to convert (${mode}), ` +
      `${plan.skipped} already converted, ${plan.toReuse.length} duplicates, ${plan.unsupported} unsupported → ${ctx.out}`,
  );
  const reused = await copyDuplicates(ctx, plan);
  const { converted, begun, abandoned } = await convertFiles(ctx, plan.toConvert);
  await ctx.index.flush();
  const notStarted = plan.toConvert.length - begun;
  const stopped = () => !!ctx.stop?.aborted || !!ctx.abandon?.aborted;

  const loaded = await loadReports(ctx);
  const refresh = ctx.remote && options.refreshCorrected && !stopped() ? await refreshFromService(ctx, ctx.remote, options.server!, loaded) : undefined;
  // A Ctrl-C while corrections were fetched counts too: the run did not do all it was asked.
  const interrupted = stopped();
  const entries = datasetEntries(ctx, loaded);
  const written = await writeDataset(ctx, new Set(options.formats ?? FORMATS), entries);

  const { failures } = ctx;
  const elapsedMs = Math.round(performance.now() - started);
  const seriesChecks = entries.series.results.length;
  const seriesFailed = entries.series.results.filter((r) => !r.holds).length;
  ctx.say(
    `done in ${(elapsedMs / 1000).toFixed(1)} s: converted ${converted}, skipped ${plan.skipped}, reused ${reused}, failed ${failures.length}` +
      ` (${plan.unsupported} unsupported); ${entries.counted.length} reports in the dataset; ${seriesChecks} series checks, ${seriesFailed} failing;` +
      ` wrote ${written.join(', ')} in ${ctx.out}`,
  );
  if (failures.length) ctx.say(`failures are listed in ${join(ctx.out, OUTPUT_FILES.failures)}`);
  if (interrupted) {
    const left = notStarted + abandoned;
    ctx.say(
      `interrupted: ${left} file${left === 1 ? ' was' : 's were'} not converted` +
        `${abandoned ? ` (${abandoned} abandoned in flight)` : ''}` +
        `${refresh?.notAsked ? `, and ${refresh.notAsked} report${refresh.notAsked === 1 ? ' was' : 's were'} not asked about corrections` : ''}. ` +
        `The dataset holds what is done. ` +
        `To resume, run the same command again: what is converted is skipped.`,
    );
  }
  return {
    files: files.length, converted, skipped: plan.skipped, reused, failed: failures.length, unsupported: plan.unsupported, failures,
    reports: entries.counted.length, written, elapsedMs, notStarted, abandoned, interrupted, seriesChecks, seriesFailed, ...(refresh ? { refresh } : {}),
  };
}
