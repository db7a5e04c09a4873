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
 * stay in its JSON but get no dataset column.
 */
import type { CanonicalCell, Report } from '../model/report.js';
import { legacyIndicators, legacySums, templates, type TemplateDef } from '../templates/forms.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../check/summary.js';

export type DatasetValue = string | number | null;

/** Report-level columns that open each row. */
export const DATASET_META_COLUMNS = ['file', 'agency', 'year', 'template', 'route', 'confidence', 'checksFailed'] as const;

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

/**
 * A report's dataset row, aligned with DATASET_COLUMNS. `file` is what the row is named by (the
 * input's path relative to the batch folder; default: the report's source filename). A cell's value
 * when its state is `number`; null (an empty field) for blank, missing, illegible and absent cells.
 */
export function datasetRow(report: Report, file: string = report.source.filename): DatasetValue[] {
  const byKey = new Map<string, CanonicalCell>();
  for (const t of report.tables) for (const c of t.cells) byKey.set(c.key, c);
  const cells = DATASET_CELL_KEYS.map((k) => {
    const c = byKey.get(k);
    return c && c.state === 'number' && typeof c.value === 'number' && Number.isFinite(c.value) ? c.value : null;
  });
  return [
    file,
    report.report.agency ?? null,
    report.report.year ?? null,
    report.report.template,
    report.source.route,
    report.summary.confidence,
    report.summary.checksFailed,
    ...cells,
  ];
}

export const LOW_CONFIDENCE_COLUMNS = ['file', 'key', 'value', 'text', 'state', 'confidence', 'flags'] as const;

/**
 * The cells of a report someone should look at: every printed cell (not `missing`) under the
 * threshold, every illegible cell, and every cell flagged by a failing check (soft ones included),
 * in the report's order. `flags` are joined with a space.
 */
export function lowConfidenceRows(report: Report, file: string = report.source.filename, threshold = DEFAULT_REVIEW_THRESHOLD): DatasetValue[][] {
  const failingCells = new Set(report.checks.filter((c) => !c.holds).flatMap((c) => c.cells));
  const rows: DatasetValue[][] = [];
  for (const t of report.tables) {
    for (const c of t.cells) {
      const printed = c.state !== 'missing';
      if ((printed && c.confidence < threshold) || c.state === 'illegible' || failingCells.has(c.key)) {
        rows.push([file, c.key, c.state === 'number' ? c.value : null, c.text, c.state, c.confidence, c.flags.join(' ')]);
      }
    }
  }
  return rows;
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
