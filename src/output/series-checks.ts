/** series-checks.csv: every series check evaluated (check/series.ts), per agency, year by year. */
import type { SeriesResult } from '../check/series.js';
import type { DatasetValue } from './dataset.js';

export const SERIES_COLUMNS = [
  'agencyKey', 'agency', 'check', 'rule', 'year', 'file', 'previousYear', 'previousFile', 'holds', 'lhs', 'rhs', 'cells', 'previousCells', 'alternatives',
] as const;

export function seriesRow(s: SeriesResult): DatasetValue[] {
  return [
    s.agencyKey, s.agency, s.id, s.rule, s.year, s.file, s.previousYear, s.previousFile, s.holds ? 'true' : 'false', s.lhs, s.rhs,
    s.cells.join(' '), s.previousCells.join(' '), s.notes.join(' | '),
  ];
}
