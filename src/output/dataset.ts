/**
 * The flat dataset view of many reports: one row per report, one column per canonical cell key in a
 * fixed order that every report shares, plus the review list (low-confidence and check-flagged cells)
 * and the failure list. Used by `xxgk-convert batch`; the service and the UI can reuse it.
 *
 * Column order (derived from src/templates/forms.ts, never from the reports):
 *  1. gov2021: its tables in order, each table's rows in order, each row's columns in order;
 *  2. gov2019: the keys gov2021 does not have, in the same walk;
 *  3. legacy known indicators `legacyIndicators.<key>.<thisYear|cumulative>`: each sum group of
 *     `legacySums` (parent, then its children), then the remaining known keys in `legacyIndicators` order.
 * Keys a report prints outside this list (local `active.extra.<n>` rows, unrecognised legacy `row.<n>`)
 * get no dataset column; they are in its JSON and in cells.csv (./cells.ts).
 *
 * A cell column holds the value when the cell is a number, else a marker naming its state (blank:
 * printed empty; missing: the form has it, the document does not; illegible), and is empty when the
 * report's form has no such cell or the row is not a converted report (a duplicate, a failure).
 */
import type { CanonicalCell, CellKey, Report } from '../model/report.js';
import { legacyIndicators, legacySums, templates, type TemplateDef } from '../templates/forms.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../check/summary.js';
import { agencyKeyOf, type SeriesMark } from '../check/series.js';

export type DatasetValue = string | number | null;

/** What a file of the batch became. A duplicate has the same bytes as an earlier file (by sha256). */
export type ReportStatus = 'converted' | 'duplicate' | 'not a report' | 'failed';

/** Cell column markers for the states that have no number (dataset.csv and dataset.xlsx). */
export const STATE_MARKERS = { blank: 'blank', missing: 'missing', illegible: 'illegible' } as const;

/** Who corrected a cell on the service, and when (batch --refresh-corrected). */
export interface CorrectionMark {
  who: string;
  at: string;
}

/** One file of the batch as the dataset sees it. */
export interface DatasetEntry {
  file: string;
  status: ReportStatus;
  /** Null when the file failed. */
  report: Report | null;
  sha256: string | null;
  /** The file holding the same bytes that the dataset counts (status duplicate). */
  duplicateOf?: string;
  failure?: { code: string; message: string };
  corrections?: Map<CellKey, CorrectionMark>;
  /** What the series checks add to its cells (check/series.ts). */
  series?: Map<CellKey, SeriesMark>;
}

/** A conversion that found no table of any known form and no figure: not an annual report. */
export function isReport(report: Report): boolean {
  return report.report.template !== 'unknown' || report.tables.some((t) => t.cells.some((c) => c.state !== 'missing'));
}

/** The failure code of a file that is not a report, in its dataset row and in failures.csv. */
export const NOT_A_REPORT = 'NOT_A_REPORT';

/** A converted file as the dataset sees it before duplicates are known: a report, or not one (with why). */
export function reportEntry(file: string, report: Report): DatasetEntry {
  const entry: DatasetEntry = { file, status: 'converted', report, sha256: report.source.sha256 };
  if (isReport(report)) return entry;
  const message = 'No statistical table of a known form and no figure was found: this is not an annual report.';
  return { ...entry, status: 'not a report', failure: { code: NOT_A_REPORT, message } };
}

/** Report-level columns that open each row. */
export const DATASET_META_COLUMNS = [
  'file', 'status', 'duplicateOf', 'failure', 'sha256', 'agency', 'agencyConfidence', 'agencyKey', 'division', 'province', 'city',
  'county', 'year', 'yearConfidence', 'title', 'titleConfidence', 'publishedOn', 'publishedOnConfidence', 'template', 'templateConfidence', 'route', 'confidence', 'cellsToReview', 'checksFailed', 'failedChecks', 'softChecksFailed',
  'seriesChecksFailed', 'warnings', 'correctedCells',
] as const;

function templateKeys(t: TemplateDef): string[] {
  const keys: string[] = [];
  for (const table of t.tables) {
    for (const row of table.rows) {
      const cols = row.columns ?? table.columns.map((c) => c.key);
      for (const col of cols) keys.push(`${table.id}.${row.key}.${col}`);
    }
  }
  return keys;
}

function legacyKeys(): string[] {
  const ordered: string[] = [];
  const add = (k: string) => {
    if (!ordered.includes(k) && legacyIndicators.some((d) => d.key === k)) ordered.push(k);
  };
  for (const s of legacySums) {
    add(s.parent);
    s.children.forEach(add);
  }
  legacyIndicators.forEach((d) => add(d.key));
  const table = templates.legacy.tables.find((t) => t.id === 'legacyIndicators');
  const cols = table?.columns.map((c) => c.key) ?? ['thisYear', 'cumulative'];
  return ordered.flatMap((k) => cols.map((c) => `legacyIndicators.${k}.${c}`));
}

/** Every canonical cell key that gets a dataset column, in dataset order. */
export function datasetCellKeys(): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of [...templateKeys(templates.gov2021), ...templateKeys(templates.gov2019), ...legacyKeys()]) {
    if (!seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  }
  return out;
}

export const DATASET_CELL_KEYS: readonly string[] = Object.freeze(datasetCellKeys());

/** The header row of dataset.csv / dataset.xlsx. */
export const DATASET_COLUMNS: readonly string[] = Object.freeze([...DATASET_META_COLUMNS, ...DATASET_CELL_KEYS]);

function cellsByKey(report: Report): Map<string, CanonicalCell> {
  return new Map(report.tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));
}

/** A cell column's content: the number, a state marker, or null when the report has no such cell. */
export function cellValue(c: CanonicalCell | undefined): DatasetValue {
  if (!c) return null;
  if (c.state === 'number') return typeof c.value === 'number' && Number.isFinite(c.value) ? c.value : STATE_MARKERS.illegible;
  return STATE_MARKERS[c.state];
}

/**
 * A file's dataset row, aligned with DATASET_COLUMNS. `entry` may be a bare report (a converted file
 * named by its source filename).
 */
export function datasetRow(entry: DatasetEntry | Report, threshold = DEFAULT_REVIEW_THRESHOLD): DatasetValue[] {
  const e = 'model' in entry ? reportEntry(entry.source.filename, entry) : entry;
  const r = e.report;
  const counted = e.status === 'converted';
  const byKey = r && counted ? cellsByKey(r) : new Map<string, CanonicalCell>();
  const failing = r?.checks.filter((c) => !c.holds) ?? [];
  const seriesFailed = new Set([...(e.series?.values() ?? [])].flatMap((m) => m.flags.map((f) => f.slice(f.indexOf(':') + 1))));
  const meta: Record<(typeof DATASET_META_COLUMNS)[number], DatasetValue> = {
    file: e.file,
    status: e.status,
    duplicateOf: e.duplicateOf ?? null,
    failure: e.failure?.code ?? null,
    sha256: e.sha256 ?? r?.source.sha256 ?? null,
    agency: r?.report.agency ?? null,
    // `fields` and `division` are absent from JSONs written before the model had them.
    agencyConfidence: r?.report.fields?.agency.confidence ?? null,
    agencyKey: r ? agencyKeyOf(r) : null,
    division: r?.report.division?.code ?? null,
    province: r?.report.division?.province ?? null,
    city: r?.report.division?.city ?? null,
    county: r?.report.division?.county ?? null,
    year: r?.report.year ?? null,
    yearConfidence: r?.report.fields?.year.confidence ?? null,
    title: r?.report.title ?? null,
    titleConfidence: r?.report.fields?.title.confidence ?? null,
    publishedOn: r?.report.publishedOn ?? null,
    publishedOnConfidence: r?.report.fields?.publishedOn.confidence ?? null,
    template: r?.report.template ?? null,
    templateConfidence: r?.report.templateConfidence ?? null,
    route: r?.source.route ?? null,
    confidence: r?.summary.confidence ?? null,
    cellsToReview: r && counted ? reviewCells(e, threshold).length : null,
    checksFailed: r?.summary.checksFailed ?? null,
    failedChecks: failing.filter((c) => !c.soft).map((c) => c.id).join(' ') || null,
    softChecksFailed: failing.filter((c) => c.soft).map((c) => c.id).join(' ') || null,
    seriesChecksFailed: [...seriesFailed].sort().join(' ') || null,
    warnings: [...new Set(r?.warnings.map((w) => w.code) ?? [])].join(' ') || null,
    correctedCells: e.corrections?.size ?? (counted ? 0 : null),
  };
  return [...DATASET_META_COLUMNS.map((c) => meta[c]), ...DATASET_CELL_KEYS.map((k) => cellValue(byKey.get(k)))];
}

export const LOW_CONFIDENCE_COLUMNS = [
  'file', 'agency', 'year', 'page', 'table', 'key', 'rowLabel', 'colLabel', 'value', 'text', 'state', 'confidence', 'why', 'flags',
] as const;

interface ReviewCell {
  cell: CanonicalCell;
  table: string;
  why: string[];
}

/**
 * The cells of a report someone should look at, in the report's order, with why: every printed cell
 * (not `missing`) under the threshold, every illegible cell, every cell of a failing check (soft ones
 * included) and of a failing series check, and every cell a warning names (missing ones too, as the
 * review queue takes them: the document prints them, unread) until a reviewer has set it.
 */
function reviewCells(e: DatasetEntry, threshold: number): ReviewCell[] {
  const r = e.report;
  if (!r) return [];
  const checksOf = new Map<string, { id: string; soft: boolean }[]>();
  for (const c of r.checks.filter((x) => !x.holds)) {
    for (const k of c.cells) checksOf.set(k, [...(checksOf.get(k) ?? []), { id: c.id, soft: !!c.soft }]);
  }
  const warnedBy = new Map<string, string[]>();
  for (const w of r.warnings) for (const k of w.cells ?? []) warnedBy.set(k, [...(warnedBy.get(k) ?? []), w.code]);
  const out: ReviewCell[] = [];
  for (const t of r.tables) {
    for (const c of t.cells) {
      const why: string[] = [];
      if (c.state === 'illegible') why.push('illegible');
      else if (c.state !== 'missing' && c.confidence < threshold) why.push(`low confidence (${c.confidence} < ${threshold})`);
      for (const ch of checksOf.get(c.key) ?? []) why.push(`${ch.soft ? 'soft check' : 'failing check'} ${ch.id}`);
      for (const f of e.series?.get(c.key)?.flags ?? []) why.push(`series check ${f.slice(f.indexOf(':') + 1)}`);
      // As in the review queue: a warned cell leaves once a reviewer has set it.
      if (c.evidence.source !== 'manual') for (const code of warnedBy.get(c.key) ?? []) why.push(`warning ${code}`);
      if (why.length) out.push({ cell: c, table: t.id, why });
    }
  }
  return out;
}

/** low-confidence.csv rows of a file: where to look (page, the labels as printed) and why. */
export function lowConfidenceRows(entry: DatasetEntry | Report, threshold = DEFAULT_REVIEW_THRESHOLD): DatasetValue[][] {
  const e = 'model' in entry ? reportEntry(entry.source.filename, entry) : entry;
  if (e.status !== 'converted' || !e.report) return [];
  const r = e.report;
  return reviewCells(e, threshold).map(({ cell: c, table, why }) => [
    e.file, r.report.agency, r.report.year, c.evidence.page, table, c.key, c.rowLabel, c.colLabel,
    c.state === 'number' ? c.value : null, c.text, c.state, c.confidence, why.join('; '),
    [...c.flags, ...(e.series?.get(c.key)?.flags ?? [])].join(' '),
  ]);
}

export const FAILURE_COLUMNS = ['file', 'code', 'message'] as const;

export interface FailureRow {
  file: string;
  code: string;
  message: string;
}

export function failureRow(f: FailureRow): DatasetValue[] {
  return [f.file, f.code, f.message];
}
