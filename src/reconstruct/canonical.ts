/**
 * From mapped rows to canonical tables: choosing among the readings of glued digits with the
 * checks, one cell per expected key (printed, blank or missing), with evidence and placement
 * confidence. The checks' verdicts are applied afterwards (check/).
 */
import type { Alternative, CellKey, DraftCell, DraftTable, TableId, Warning } from '../model/report.js';
import { labelCore, matchKey } from '../normalize/text.js';
import { rowColumns, type TableDef, type TemplateDef } from '../templates/forms.js';
import { evaluate, expandChecks, type CellValue, type ConcreteCheck, type PrintedTable } from '../templates/rules.js';
import type { MappedRow, MappedTable } from './mapped.js';
import { MAX_SPLITS, type RowReading, type Slot } from './fit.js';

/** Above this many combinations of ambiguous rows, they are chosen one at a time. */
const MAX_COMBINATIONS = 4096;

export const cellKey = (table: string, row: string, col: string): CellKey => `${table}.${row}.${col}`;

/** Placement facts the confidence model needs beyond the cell itself. */
export interface CellBasis {
  labelScore: number;
  placement: number;
  /**
   * How the row's values were placed: as printed, or with one of the repairs of fit.ts; `unread` for
   * the cells of a table the document titles but that could not be read.
   */
  note: 'exact' | 'unread' | NonNullable<RowReading['note']>;
  /** Share of the check-consistent readings that agree with the chosen value (1 when unambiguous). */
  readingShare: number;
  /**
   * The cell was placed by a guess: its columns inferred from a count of values (a row with fewer or
   * more values than columns), or its row from a label the form's structure does not confirm.
   */
  guess?: boolean;
}

/** Placements that infer a cell's column from how many values the row has. */
const GUESSED_PLACEMENT = new Set<CellBasis['note']>(['overflow', 'short-row', 'aligned-right']);

export interface CanonicalDraft {
  tables: DraftTable[];
  basis: Map<CellKey, CellBasis>;
  warnings: Warning[];
}

/**
 * Rows whose readings are chosen together: one row, or the rows printed as one line (表四's 15
 * numbers). `choice` is the reading taken; `tied`, every reading the checks like as well.
 */
interface RowGroup {
  rows: MappedRow[];
  table: TableId;
  choice: number;
  tied: number[];
}

/**
 * A slot as the checks see it while readings are chosen: an unreadable cell is `illegible` and a
 * row given up on `missing`, so no check counts them as an empty 0.
 */
function slotValue(s: Slot | undefined, note: RowReading['note']): CellValue {
  if (note === 'split-gave-up') return { state: 'missing', value: null };
  if (s?.token?.kind === 'label') return { state: 'illegible', value: null };
  if (!s) return { state: 'blank', value: null };
  return s.value === null ? { state: 'blank', value: null } : { state: 'number', value: s.value };
}

function groupCells(u: RowGroup, k: number): [CellKey, CellValue][] {
  return u.rows.flatMap((r) => r.columns.map((c, ci) => [cellKey(u.table, r.key, c.key), slotValue(r.readings[k]?.slots[ci], r.readings[k]?.note)] as [CellKey, CellValue]));
}

/** The rows of every table as groups chosen together: rows printed as one line share a `joint`. */
function rowGroups(mapped: MappedTable[]): RowGroup[] {
  const groups: RowGroup[] = [];
  for (const t of mapped) {
    const joint = new Map<string, RowGroup>();
    for (const r of t.rows) {
      if (r.joint) {
        const u = joint.get(r.joint) ?? { rows: [], table: t.def.id, choice: 0, tied: [0] };
        u.rows.push(r);
        if (!joint.has(r.joint)) { joint.set(r.joint, u); groups.push(u); }
      } else {
        groups.push({ rows: [r], table: t.def.id, choice: 0, tied: [0] });
      }
    }
  }
  return groups;
}

/** The checks as readings are tried: `values` holds the current reading of every group. */
interface Trial {
  values: Map<CellKey, CellValue>;
  holding: (checks: ConcreteCheck[]) => number;
}

function tryReading(trial: Trial, u: RowGroup, k: number): void {
  for (const [key, v] of groupCells(u, k)) trial.values.set(key, v);
}

/** Each ambiguous group on its own: the readings its own checks (a row total) like best. */
function ownCandidates(ambiguous: RowGroup[], checks: ConcreteCheck[], trial: Trial): number[][] {
  return ambiguous.map((u) => {
    const keys = new Set(groupCells(u, 0).map(([k]) => k));
    const own = checks.filter((c) => [...c.lhs, ...c.rhs].every((k) => keys.has(k)));
    const scores = u.rows[0].readings.map((_, k) => {
      tryReading(trial, u, k);
      return trial.holding(own);
    });
    const best = Math.max(...scores);
    const kept = scores.flatMap((sc, k) => (sc === best ? [k] : []));
    tryReading(trial, u, kept[0]);
    return kept;
  });
}

/** Every combination of the candidates, against the checks between rows: the best ones per group. */
function bestCombinations(ambiguous: RowGroup[], candidates: number[][], touching: ConcreteCheck[], trial: Trial): number[][] {
  const best: number[][] = candidates.map(() => []);
  let top = -1;
  const pick = Array<number>(ambiguous.length).fill(0);
  const walk = (i: number) => {
    if (i === ambiguous.length) {
      const score = trial.holding(touching);
      if (score > top) { top = score; best.forEach((b) => (b.length = 0)); }
      if (score === top) pick.forEach((k, j) => { if (!best[j].includes(k)) best[j].push(k); });
      return;
    }
    for (const k of candidates[i]) {
      pick[i] = k;
      tryReading(trial, ambiguous[i], k);
      walk(i + 1);
    }
  };
  walk(0);
  return best;
}

/** Too many combinations: one group at a time, twice over, against the checks between rows. */
function bestOneAtATime(ambiguous: RowGroup[], candidates: number[][], touching: ConcreteCheck[], trial: Trial): number[][] {
  const best: number[][] = candidates.map(() => []);
  for (let pass = 0; pass < 2; pass++) {
    ambiguous.forEach((u, i) => {
      const scores = candidates[i].map((k) => {
        tryReading(trial, u, k);
        return trial.holding(touching);
      });
      const top = Math.max(...scores);
      best[i] = candidates[i].filter((_, j) => scores[j] === top);
      tryReading(trial, u, best[i][0]);
    });
  }
  return best;
}

/**
 * Picks, for every row with several readings (glued digits), the one that makes most checks hold;
 * `tied` keeps every reading that is as good, which is what the cell's confidence is shared among.
 */
function chooseReadings(mapped: MappedTable[], template: TemplateDef | null, printed: PrintedTable[]): RowGroup[] {
  const groups = rowGroups(mapped);
  const ambiguous = groups.filter((u) => u.rows[0].readings.length > 1);
  if (!ambiguous.length) return groups;
  const values = new Map<CellKey, CellValue>();
  for (const u of groups) for (const [k, v] of groupCells(u, 0)) values.set(k, v);
  const checks = expandChecks(template, printed, new Set(values.keys()));
  const trial: Trial = { values, holding: (list) => list.reduce((n, c) => n + (evaluate(c, values)?.holds ? 1 : 0), 0) };

  const candidates = ownCandidates(ambiguous, checks, trial);
  const touching = checks.filter((c) => ambiguous.some((u) => groupCells(u, 0).some(([k]) => c.lhs.includes(k) || c.rhs.includes(k))));
  const combinations = candidates.reduce((n, c) => n * c.length, 1);
  const best = combinations <= MAX_COMBINATIONS
    ? bestCombinations(ambiguous, candidates, touching, trial)
    : bestOneAtATime(ambiguous, candidates, touching, trial);
  ambiguous.forEach((u, i) => {
    u.tied = best[i];
    u.choice = best[i][0];
  });
  return groups;
}

/** Rows the template expects in a found table, given which form of （六） the document prints. */
function expectedRows(def: TableDef, printedKeys: Set<string>): string[] {
  const alt = def.alternativeRows;
  let rows = def.rows.map((r) => r.key);
  if (alt) {
    const single = printedKeys.has(alt.single);
    const split = alt.split.some((k) => printedKeys.has(k));
    const form = single && !split ? 'single' : split ? 'split' : alt.defaultForm;
    rows = rows.filter((k) => (form === 'single' ? !alt.split.includes(k) : k !== alt.single));
  }
  return rows;
}

function missingCell(table: TableDef, rowKey: string, label: string, col: TableDef['columns'][number]): DraftCell {
  return {
    key: cellKey(table.id, rowKey, col.key), row: rowKey, col: col.key, rowLabel: label, colLabel: col.label,
    value: null, unit: col.unit, ...(col.money ? { unitSource: 'assumed' as const } : {}), text: '', state: 'missing',
    evidence: { page: null, bbox: null, source: 'markup', genericCell: null }, flags: [], alternatives: [],
  };
}

/** Warnings a row's chosen reading raises: digits given up on, or values placed by their count. */
function readingWarnings(def: TableDef, row: MappedRow, reading: RowReading, cells: CellKey[]): Warning[] {
  const warnings: Warning[] = [];
  const page = row.labelToken?.origin.page;
  if (reading.note === 'split-gave-up') {
    warnings.push({
      code: 'SPLIT_GAVE_UP',
      message: `${def.title}: row ${row.label.trim()} prints its digits glued (${row.readings[0].slots[0]?.token?.text ?? ''}) in more than ${MAX_SPLITS} possible ways; its cells are left missing.`,
      page,
      cells,
    });
  }
  if (reading.note && GUESSED_PLACEMENT.has(reading.note)) {
    warnings.push({
      code: reading.note === 'overflow' ? 'ROW_TOO_MANY_VALUES' : 'ROW_TOO_FEW_VALUES',
      message: `${def.title}: row ${row.label.trim()} has ${reading.note === 'overflow' ? 'more' : 'fewer'} values than columns; placement is uncertain.`,
      page,
      cells,
    });
  }
  return warnings;
}

/** The other values tied readings give a cell, and the share of them that agree with the chosen one. */
function tiedAlternatives(row: MappedRow, group: RowGroup, ci: number, value: number | null): { share: number; alternatives: Alternative[] } {
  const tiedValues = group.tied.map((k) => row.readings[k].slots[ci]?.value ?? null);
  const share = tiedValues.filter((v) => v === value).length / tiedValues.length;
  const alternatives: Alternative[] = [];
  for (const v of new Set(tiedValues.filter((v) => v !== value))) {
    const n = tiedValues.filter((x) => x === v).length;
    alternatives.push({ value: v, confidence: round(n / tiedValues.length * 0.9), why: 'another split of glued digits that fits the checks as well', source: 'split' });
  }
  return { share, alternatives };
}

/** A money cell's unit: printed in the cell, in the table's header, or assumed from the form. */
function cellUnit(col: TableDef['columns'][number], slot: Slot | undefined, row: MappedRow): Pick<DraftCell, 'unit' | 'unitSource'> {
  if (!col.money) return { unit: slot?.unit ?? col.unit };
  if (slot?.unit) return { unit: slot.unit, unitSource: 'cell' };
  if (row.headerUnit) return { unit: row.headerUnit, unitSource: 'header' };
  return { unit: col.unit, unitSource: 'assumed' };
}

/** A printed row's cells under its chosen reading, with their placement basis. */
function rowCells(def: TableDef, row: MappedRow, group: RowGroup, keys: CellKey[], basis: Map<CellKey, CellBasis>): DraftCell[] {
  const reading = row.readings[group.choice];
  const note = reading.note ?? 'exact';
  const guess = !!row.guess || GUESSED_PLACEMENT.has(note);
  return row.columns.map((col, ci) => {
    const slot = reading.slots[ci];
    const key = keys[ci];
    const origin = slot?.token?.origin ?? row.labelToken?.origin ?? null;
    const value = slot?.value ?? null;
    const { share, alternatives } = tiedAlternatives(row, group, ci, value);
    basis.set(key, { labelScore: row.labelScore, placement: slot?.placement ?? 0.3, readingShare: share, note, ...(guess ? { guess } : {}) });
    return {
      key, row: row.key, col: col.key,
      rowLabel: row.labelToken ? row.label.replace(/\s+/g, ' ').trim() : row.label,
      colLabel: col.label,
      value,
      ...cellUnit(col, slot, row),
      text: slot?.text ?? '',
      // A value cell holding glyphs that are no number is unreadable, never a confident blank.
      state: reading.note === 'split-gave-up' ? 'missing' : slot?.token?.kind === 'label' ? 'illegible' : value === null ? 'blank' : 'number',
      evidence: {
        page: origin?.page ?? null,
        bbox: slot?.token?.origin.bbox ?? null,
        source: origin?.source ?? 'markup',
        ...(origin?.source === 'ocr' ? { ocrConfidence: origin.confidence } : {}),
        genericCell: slot?.token && slot.token.origin.table !== null ? [slot.token.origin.row, slot.token.origin.col] : null,
      },
      flags: [],
      alternatives,
    };
  });
}

/** One found (or looked-for) table: the form's rows, printed or missing, then the document's extra rows. */
function mappedTable(t: MappedTable, template: TemplateDef | null, groupOf: Map<MappedRow, RowGroup>, basis: Map<CellKey, CellBasis>, warnings: Warning[]): DraftTable {
  const def = t.def;
  const cells: DraftCell[] = [];
  const byKey = new Map(t.rows.map((r) => [r.key, r]));
  // The form's rows, then the local extra rows the document adds (表二 extra.<n>), in printed order.
  const rowKeys = template && template.id !== 'legacy'
    ? [...expectedRows(def, new Set(byKey.keys())), ...t.rows.filter((r) => r.key.startsWith('extra.')).map((r) => r.key)]
    : t.rows.map((r) => r.key);
  // Where the table starts: the first cell, or row label, that has a place in the document.
  let firstOrigin: { page: number; table: number | null } | null = null;
  for (const rowKey of rowKeys) {
    const row = byKey.get(rowKey);
    if (!row) {
      const rowDef = def.rows.find((r) => r.key === rowKey);
      const label = rowDef?.label ?? rowKey;
      const missing = (rowDef ? rowColumns(def, rowDef) : def.columns).map((col) => missingCell(def, rowKey, label, col));
      cells.push(...missing);
      if (t.found) warnings.push({ code: 'ROW_NOT_FOUND', message: `${def.title}: row ${label} was not found.`, cells: missing.map((c) => c.key) });
      continue;
    }
    const group = groupOf.get(row)!;
    const keys = row.columns.map((col) => cellKey(def.id, row.key, col.key));
    warnings.push(...readingWarnings(def, row, row.readings[group.choice], keys));
    if (!firstOrigin) {
      const slots = row.readings[group.choice].slots;
      const origin = row.columns.map((_, ci) => slots[ci]?.token?.origin ?? row.labelToken?.origin).find((o) => o);
      if (origin) firstOrigin = { page: origin.page, table: origin.table };
    }
    cells.push(...rowCells(def, row, group, keys, basis));
  }
  return { id: def.id, title: def.title, found: t.found, page: firstOrigin?.page ?? null, genericTable: firstOrigin?.table ?? null, cells };
}

/** A table the template expects but the document lacks: every cell missing. */
function absentTable(def: TableDef): DraftTable {
  const cells = expectedRows(def, new Set()).flatMap((rk) => {
    const rowDef = def.rows.find((r) => r.key === rk)!;
    return rowColumns(def, rowDef).map((c) => missingCell(def, rk, rowDef.label, c));
  });
  return { id: def.id, title: def.title, found: false, page: null, genericTable: null, cells };
}

/**
 * `headings`: the document's section headings. A table the form has and a heading titles
 * (四、政府信息公开行政复议、行政诉讼情况) but that could not be read is not missing from the document:
 * its cells stay `missing` with the basis `unread` (low confidence), and TABLE_NOT_READ says so.
 */
export function buildCanonical(mapped: MappedTable[], template: TemplateDef | null, headings: string[] = []): CanonicalDraft {
  const headingCores = headings.map((h) => labelCore(matchKey(h)));
  const titled = (title: string) => {
    const core = labelCore(matchKey(title));
    return headingCores.some((h) => h.includes(core));
  };
  const warnings: Warning[] = [];
  const printed: PrintedTable[] = mapped.filter((t) => t.found).map((t) => ({
    id: t.def.id,
    rows: t.rows.map((r) => r.key),
    cols: [...new Set(t.rows.flatMap((r) => r.columns.map((c) => c.key)))],
  }));
  const groupOf = new Map<MappedRow, RowGroup>();
  for (const u of chooseReadings(mapped, template, printed)) for (const r of u.rows) groupOf.set(r, u);
  const basis = new Map<CellKey, CellBasis>();
  const tables = mapped.map((t) => mappedTable(t, template, groupOf, basis, warnings));
  if (template) {
    for (const def of template.tables) {
      if (!tables.some((t) => t.id === def.id) && def.rows.length > 0) tables.push(absentTable(def));
    }
    const order = template.tables.map((d) => d.id);
    tables.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  }
  for (const t of tables) {
    if (t.found) continue;
    const unread = titled(t.title);
    for (const c of t.cells) basis.set(c.key, { labelScore: 1, placement: 1, readingShare: 1, note: unread ? 'unread' : 'exact' });
    if (unread) {
      warnings.push({
        code: 'TABLE_NOT_READ',
        message: `The document has a section ${t.title}, but its table could not be read: its cells are missing and need checking against the document.`,
        cells: t.cells.map((c) => c.key),
      });
    } else if (template && t.cells.length) {
      // Whether the mapping looked for it and found nothing, or never looked: the form has it, the document does not.
      warnings.push({ code: 'TABLE_NOT_FOUND', message: `The ${template.id} form has ${t.title}, but the document does not print it.` });
    }
  }
  return { tables, basis, warnings };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
