/**
 * The codebook of the dataset: for every cell column, its table, the row and column labels as the
 * forms print them (with the merged labels above them), the unit, the templates that print it and the
 * checks it is in. Everything comes from src/templates (forms.ts, rules.ts): nothing typed twice.
 */
import type { TableId } from '../model/report.js';
import { legacyColumns, legacyIndicators, templates, type ColumnDef, type RowDef, type TableDef, type TemplateDef } from '../templates/forms.js';
import { expandChecks, expandSeries, type PrintedTable } from '../templates/rules.js';
import { PROSE_CHECK } from '../check/prose.js';
import { DATASET_CELL_KEYS } from './dataset.js';

export const CODEBOOK_COLUMNS = [
  'key', 'table', 'tableTitle', 'label', 'rowGroups', 'rowLabel', 'colGroups', 'colLabel', 'unit', 'templates', 'checks', 'seriesChecks', 'legacyWording',
] as const;

export interface CodebookEntry {
  key: string;
  table: TableId;
  tableTitle: string;
  /** Row path × column: `（六）其他处理 › 3.其他 × 其他`. */
  label: string;
  rowGroups: string[];
  rowLabel: string;
  colGroups: string[];
  colLabel: string;
  unit: string;
  templates: string[];
  checks: string[];
  seriesChecks: string[];
  /** Legacy indicators are worded differently from place to place: the wording that names one (a regular expression). */
  legacyWording: string;
}

const SEP = ' › ';


/** Every row and column a template's table may print, as the check expansion reads a document. */
function fullTable(t: TableDef): PrintedTable {
  return { id: t.id, rows: t.rows.map((r) => r.key), cols: t.columns.map((c) => c.key) };
}

function checksByKey(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (k: string, id: string) => {
    let s = out.get(k);
    if (!s) out.set(k, (s = new Set()));
    s.add(id);
  };
  const all = new Set(DATASET_CELL_KEYS);
  for (const t of Object.values(templates) as TemplateDef[]) {
    const tables = t.id === 'legacy'
      ? [{ id: 'legacyIndicators', rows: legacyIndicators.map((d) => d.key), cols: t.tables[0].columns.map((c) => c.key) }]
      : t.tables.map(fullTable);
    for (const c of expandChecks(t, tables, all)) for (const k of [...c.lhs, ...c.rhs]) add(k, c.id);
  }
  // The soft check against what 一、总体情况 states: a report's failedChecks may name it too.
  add(PROSE_CHECK.cell, PROSE_CHECK.id);
  return out;
}

function seriesByKey(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of expandSeries()) {
    for (const k of [...c.lhs, ...c.rhs]) {
      const s = out.get(k) ?? new Set<string>();
      s.add(c.id);
      out.set(k, s);
    }
  }
  return out;
}

/** The codebook, one entry per dataset cell column, in dataset order. */
export function codebook(): CodebookEntry[] {
  const checks = checksByKey();
  const series = seriesByKey();
  return DATASET_CELL_KEYS.map((key) => {
    const table = key.slice(0, key.indexOf('.')) as TableId;
    const rest = key.slice(table.length + 1);
    const col = rest.slice(rest.lastIndexOf('.') + 1);
    const row = rest.slice(0, rest.lastIndexOf('.'));
    const printing = (Object.values(templates) as TemplateDef[]).filter((t) => printsKey(t, table, row, col));
    const entry: CodebookEntry = {
      key, table, tableTitle: '', label: '', rowGroups: [], rowLabel: '', colGroups: [], colLabel: '', unit: '',
      templates: printing.map((t) => t.id), checks: [...(checks.get(key) ?? [])], seriesChecks: [...(series.get(key) ?? [])], legacyWording: '',
    };
    const t = printing[0];
    const tdef = t?.tables.find((x) => x.id === table);
    if (tdef && table !== 'legacyIndicators') {
      const r = tdef.rows.find((x) => x.key === row) as RowDef;
      const c = tdef.columns.find((x) => x.key === col) as ColumnDef;
      entry.tableTitle = tdef.title;
      entry.rowGroups = r.groups ?? (r.caption ? [r.caption] : []);
      entry.rowLabel = r.label;
      entry.colGroups = c.groups ?? [];
      entry.colLabel = c.label;
      entry.unit = c.unit;
    } else if (tdef) {
      entry.tableTitle = tdef.title;
      entry.colLabel = legacyColumns.find((c) => c.key === col)?.label ?? col;
      entry.legacyWording = legacyIndicators.find((d) => d.key === row)?.pattern.source ?? '';
      entry.rowLabel = legacyIndicators.find((d) => d.key === row)?.label ?? row;
    }
    const rowPath = [...entry.rowGroups.slice(-1), entry.rowLabel].join(SEP);
    entry.label = `${rowPath} × ${entry.colLabel}`;
    return entry;
  });
}

function printsKey(t: TemplateDef, table: TableId, row: string, col: string): boolean {
  const tdef = t.tables.find((x) => x.id === table);
  if (!tdef) return false;
  if (table === 'legacyIndicators') return tdef.columns.some((c) => c.key === col);
  const r = tdef.rows.find((x) => x.key === row);
  return !!r && (r.columns ?? tdef.columns.map((c) => c.key)).includes(col);
}

let cached: Map<string, CodebookEntry> | null = null;

/** The codebook entry of a dataset cell key (undefined for keys with no column). */
export function codebookEntry(key: string): CodebookEntry | undefined {
  cached ??= new Map(codebook().map((e) => [e.key, e]));
  return cached.get(key);
}

/** Codebook rows for CSV and XLSX: lists joined with a space, groups with ›. */
export function codebookRows(): (string | number)[][] {
  return codebook().map((e) => [
    e.key, e.table, e.tableTitle, e.label, e.rowGroups.join(SEP), e.rowLabel, e.colGroups.join(SEP), e.colLabel, e.unit,
    e.templates.join(' '), e.checks.join(' '), e.seriesChecks.join(' '), e.legacyWording,
  ]);
}
