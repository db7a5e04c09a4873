/**
 * cells.csv: the long table of a dataset, one row per cell of every converted report (duplicates and
 * failures have none), keeping what the wide table cannot: the state (blank vs missing), unit,
 * confidence, page, flags (the report's checks and the series checks), alternatives, and who
 * corrected the cell and when. Labels are the form's (the codebook's); `printedRowLabel` is the
 * document's own wording.
 */
import { codebookEntry } from './codebook.js';
import { agencyKeyOf } from '../check/series.js';
import type { DatasetEntry, DatasetValue } from './dataset.js';

export const CELLS_COLUMNS = [
  'file', 'sha256', 'agency', 'agencyKey', 'year', 'template', 'key', 'table', 'row', 'col', 'rowLabel', 'colLabel',
  'printedRowLabel', 'value', 'text', 'state', 'unit', 'confidence', 'page', 'source', 'flags', 'alternatives',
  'correctedBy', 'correctedAt',
] as const;

const SEP = ' › ';

export function cellRows(e: DatasetEntry): DatasetValue[][] {
  const r = e.report;
  if (e.status !== 'converted' || !r) return [];
  const agencyKey = agencyKeyOf(r);
  return r.tables.flatMap((t) =>
    t.cells.map((c) => {
      const code = codebookEntry(c.key);
      const series = e.series?.get(c.key);
      const corrected = e.corrections?.get(c.key);
      const alternatives = [
        ...c.alternatives.map((a) => `${a.value ?? 'blank'} (${a.source}: ${a.why})`),
        ...(series?.alternatives ?? []).map((a) => `${a.value ?? 'blank'} (${a.source}: ${a.why})`),
      ];
      return [
        e.file, r.source.sha256, r.report.agency, agencyKey, r.report.year, r.report.template, c.key, t.id, c.row, c.col,
        code ? [...code.rowGroups, code.rowLabel].join(SEP) : c.rowLabel,
        code ? [...code.colGroups, code.colLabel].join(SEP) : c.colLabel,
        c.rowLabel, c.state === 'number' ? c.value : null, c.text, c.state, c.unit, c.confidence, c.evidence.page, c.evidence.source,
        [...c.flags, ...(series?.flags ?? [])].join(' '), alternatives.join(' | '), corrected?.who ?? null, corrected?.at ?? null,
      ];
    }),
  );
}
