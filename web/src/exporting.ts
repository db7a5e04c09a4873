/**
 * Downloads of the corrected result, as JSON (the model) or CSV with the columns of the batch's
 * cells.csv (one line per cell, who corrected it and when), so a corrected report can be appended to
 * a dataset.
 */
import type { CorrectionEntry } from '../../src/api/wire.js';
import type { Report } from '../../src/model/report.js';
import { CELLS_COLUMNS, cellRows } from '../../src/output/cells.js';
import { toCsv } from '../../src/output/csv.js';
import { download } from './dom.js';
import type { Review } from './review.js';

export function exportJson(review: Review): void {
  const report = review.corrected();
  download(`${baseName(report)}.json`, JSON.stringify(report, null, 2) + '\n', 'application/json');
}

/** `history`: the saved corrections (oldest first); the latest change of a cell names who and when. */
export function exportCsv(review: Review, history: CorrectionEntry[] = []): void {
  download(`${baseName(review.corrected())}.csv`, cellsCsv(review.corrected(), history), 'text/csv;charset=utf-8');
}

export function cellsCsv(report: Report, history: CorrectionEntry[]): string {
  const corrections = new Map(history.map((c) => [c.key, { who: c.who, at: c.at }]));
  const rows = cellRows({ file: report.source.filename, status: 'converted', report, sha256: report.source.sha256, corrections });
  return toCsv([CELLS_COLUMNS, ...rows]);
}

/** The source's file name without its extension, safe on any file system. */
function baseName(report: Report): string {
  return (report.source.filename || report.id).replace(/\.[^.]+$/, '').replace(/[\\/:*?"<>|]+/g, '_') + '.corrected';
}
