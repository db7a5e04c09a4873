/**
 * What the dataset is built from: every report JSON of the output folder (this run's and earlier
 * runs'), each with what it is (a report, a duplicate of the same bytes, not a report), the reviewers'
 * corrections the index holds, the series checks across years, and a row for each file with no report.
 */
import { relative } from 'node:path';
import type { Report } from '../model/report.js';
import { runSeriesChecks, type SeriesOutcome } from '../check/series.js';
import { reportEntry, type DatasetEntry } from '../output/dataset.js';
import type { RunContext } from './context.js';
import { byPath, readReport } from './files.js';
import { walk } from './walk.js';

export interface Loaded {
  /** The input path relative to the input folder. */
  file: string;
  /** Its JSON on disk. */
  path: string;
  report: Report;
}

/** The report JSONs in the output folder, in path order (the input folder left out when it is inside). */
export async function loadReports(ctx: RunContext): Promise<Loaded[]> {
  const inside = relative(ctx.out, ctx.input);
  const excludeFromScan = inside.startsWith('..') || inside === '' ? [] : [ctx.input];
  const jsons = (await walk(ctx.out, { exclude: excludeFromScan })).files
    .filter((f) => f.rel.endsWith('.json'))
    .sort((a, b) => byPath(a.rel, b.rel));
  const loaded: Loaded[] = [];
  for (const j of jsons) {
    const report = await readReport(j.path);
    if (report) loaded.push({ file: j.rel.slice(0, -'.json'.length), path: j.path, report });
  }
  return loaded;
}

export interface Entries {
  /** Every file, in path order. */
  entries: DatasetEntry[];
  /** The reports the dataset counts (status converted). */
  counted: DatasetEntry[];
  series: SeriesOutcome;
}

/**
 * The file each content (sha256) is counted under: the first in path order, unless another holds a
 * reviewer's corrections (a copy added later that sorts first must not count the uncorrected report
 * instead). The dataset counts these files, and the corrections refresh asks the service about them.
 */
export function countedFiles(ctx: RunContext, loaded: Loaded[]): Map<string, string> {
  const countedAs = new Map<string, string>();
  for (const l of loaded) {
    const had = countedAs.get(l.report.source.sha256);
    if (had === undefined || (!ctx.index.get(had)?.corrected && ctx.index.get(l.file)?.corrected)) countedAs.set(l.report.source.sha256, l.file);
  }
  return countedAs;
}

/** Lists non-reports in failures.csv (ctx.fail) and sorts the failures; call once every failure is in. */
export function datasetEntries(ctx: RunContext, loaded: Loaded[]): Entries {
  const countedAs = countedFiles(ctx, loaded);
  const entries: DatasetEntry[] = [];
  for (const l of loaded) {
    const entry = reportEntry(l.file, l.report);
    const counted = countedAs.get(l.report.source.sha256)!;
    if (entry.failure) {
      ctx.fail(l.file, entry.failure.code, entry.failure.message);
    } else if (counted !== l.file) {
      entry.status = 'duplicate';
      entry.duplicateOf = counted;
    } else {
      const corrected = ctx.index.get(l.file)?.corrected;
      if (corrected) entry.corrections = new Map(corrected.cells.map((c) => [c.key, { who: c.who, at: c.at }]));
    }
    entries.push(entry);
  }
  const counted = entries.filter((e) => e.status === 'converted');
  const series = runSeriesChecks(counted.map((e) => ({ file: e.file, report: e.report! })));
  for (const e of counted) e.series = series.marks.get(e.file);
  ctx.failures.sort((a, b) => byPath(a.file, b.file) || byPath(a.code, b.code));
  const withJson = new Set(entries.map((e) => e.file));
  for (const f of ctx.failures) {
    if (!withJson.has(f.file)) {
      entries.push({ file: f.file, status: 'failed', report: null, sha256: ctx.index.get(f.file)?.sha256 ?? null, failure: { code: f.code, message: f.message } });
    }
  }
  entries.sort((a, b) => byPath(a.file, b.file));
  return { entries, counted, series };
}
