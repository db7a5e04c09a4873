/** Downloads of the corrected result, as JSON (the model) or CSV (one line per cell). */
import type { Report } from '../../src/model/report.js';
import { download } from './dom.js';
import { toCsv, type Review } from './review.js';

export function exportJson(review: Review): void {
  const report = review.corrected();
  download(`${baseName(report)}.json`, JSON.stringify(report, null, 2) + '\n', 'application/json');
}

export function exportCsv(review: Review): void {
  const report = review.corrected();
  download(`${baseName(report)}.csv`, toCsv(report), 'text/csv;charset=utf-8');
}

/** The source's file name without its extension, safe on any file system. */
function baseName(report: Report): string {
  return (report.source.filename || report.id).replace(/\.[^.]+$/, '').replace(/[\\/:*?"<>|]+/g, '_') + '.corrected';
}
