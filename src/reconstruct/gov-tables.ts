/**
 * Mapping the national forms (gov2021, gov2019) from the token stream: 表二 and 表三 by their row
 * labels, in printed order, and 表四 by its groups' headers (review-litigation.ts).
 */
import { matchKey } from '../normalize/text.js';
import { parseNumber } from '../normalize/number.js';
import { formHeaderWords, rowColumns, type ColumnDef, type RowDef, type TableDef, type TemplateDef } from '../templates/forms.js';
import { fitRow } from './fit.js';
import { bestMatch, candidatesFor, isGroupLabel, TOLERANT_MATCH, type LabelCandidate } from './labels.js';
import { mapReviewLitigation } from './review-litigation.js';
import type { MappedRow, MappedTable } from './mapped.js';
import { unreadableValue, type Token } from './tokens.js';

/** Is `v` an unreadable cell of the same printed row as the label `label`, in a grid that keeps its cells? */
function isValueCell(v: Token, label: Token): boolean {
  return v.structured && v.origin.table !== null && v.origin.table === label.origin.table && v.origin.row === label.origin.row && unreadableValue(v);
}

const LABEL_THRESHOLD = 0.7;
const MAX_SKIPPED_LABELS = 4;

interface TableCursor {
  def: TableDef;
  candidates: LabelCandidate[];
  lastOrder: number;
  rows: MappedRow[];
}

/** A label with the digits of its row glued on (`行政规范性文件693665`): the label and a number token. */
function unglueLabel(t: Token): { label: string; number: Token } | null {
  const m = /^(.*[^\d.\-])(-?\d[\d.]*)$/.exec(t.key);
  if (!m || m[1].length < 2) return null;
  const num = parseNumber(m[2]);
  if (!num) return null;
  return { label: m[1], number: { ...t, text: m[2], key: '', kind: 'number', number: num } };
}

/** Group labels glued before a row's own label (`（三）不予公开1.属于国家秘密`) are dropped for matching. */
function withoutGroupPrefix(key: string, groupKeys: string[]): string | null {
  let k = key;
  for (let again = true; again; ) {
    again = false;
    for (const g of groupKeys) {
      if (k.startsWith(g) && k.length > g.length) {
        k = k.slice(g.length);
        again = true;
      }
    }
  }
  return k === key ? null : k;
}

type Hit = { cursor: TableCursor; candidate: LabelCandidate; score: number };

/**
 * The best open row for a printed label. A tolerant match (a label read with errors) must not take
 * another row's label: it is refused where any row of the form, open or already read, matches the
 * label as well.
 */
function match(cursors: TableCursor[], key: string): Hit | null {
  let best: Hit | null = null;
  for (const cursor of cursors) {
    const open = cursor.candidates.filter((c) => c.order > cursor.lastOrder);
    const m = bestMatch(key, open);
    if (m && m.score >= LABEL_THRESHOLD && (!best || m.score > best.score)) {
      best = { cursor, candidate: m.candidate, score: m.score };
    }
  }
  if (best && best.score < TOLERANT_MATCH) {
    const rivals = cursors.flatMap((c) => c.candidates).filter((c) => c !== best!.candidate);
    const rival = bestMatch(key, rivals);
    if (rival && rival.score >= best.score) return null;
  }
  return best;
}

/**
 * Whether the form's order confirms a row: it is the row printed next after the last one read
 * (rows of the other form of （六） in between are not expected).
 */
function nextInOrder(cursor: TableCursor, candidate: LabelCandidate): boolean {
  const alt = cursor.def.alternativeRows;
  const optional = new Set(alt ? [alt.single, ...alt.split] : []);
  return cursor.candidates.every((c) => c.order <= cursor.lastOrder || c.order >= candidate.order || optional.has(c.row.key));
}

/** The unit a money column's header names (单位：万元), looked for among the tokens just before a row. */
function headerUnitBefore(tokens: Token[], i: number, column: ColumnDef): string | null {
  const head = matchKey(column.label).replace(/\(.*$/, '');
  for (let j = i - 1; j >= Math.max(0, i - 12); j--) {
    const t = tokens[j];
    if (t.kind === 'label' && t.key.includes(head)) {
      const u = /单位:?(万元|元)|\((万元|元)\)/.exec(t.key);
      return u ? (u[1] ?? u[2]) : null;
    }
  }
  return null;
}

/**
 * Finds the open row a printed label names: as printed, without glued group labels, or with its digits
 * split off. Labels are looked up from the main walk and again while a row collects its values. Cursors
 * only move forward, so a label that matches no open row now never will: misses are remembered, by key
 * (all a lookup reads of a token), so that a page repeating its text pays for each line once.
 */
class RowFinder {
  private readonly misses = new Set<string>();
  private readonly groupKeys: string[];

  constructor(private readonly cursors: TableCursor[], allRows: RowDef[]) {
    this.groupKeys = [...new Set(allRows.flatMap((r) => r.groups ?? []))].map(matchKey);
  }

  find(t: Token): { hit: Hit | null; glued: Token | null } {
    if (this.misses.has(t.key)) return { hit: null, glued: null };
    const result = this.lookup(t);
    if (!result.hit) this.misses.add(t.key);
    return result;
  }

  isRowLabel(t: Token): boolean {
    return t.kind === 'label' && !!this.find(t).hit;
  }

  private lookup(t: Token): { hit: Hit | null; glued: Token | null } {
    // Digits glued to the label belong to the row, even when the label alone would match loosely.
    const u = unglueLabel(t);
    const unglued = u ? this.matchBare(u.label) : null;
    if (u && unglued) return { hit: unglued, glued: u.number };
    return { hit: this.matchBare(t.key), glued: null };
  }

  private matchBare(key: string): Hit | null {
    const bare = withoutGroupPrefix(key, this.groupKeys);
    return match(this.cursors, key) ?? (bare ? match(this.cursors, bare) : null);
  }
}

/**
 * 表二 local extra rows (a province's additions): an unknown label between 表二's rows with exactly
 * as many values as the sub-table above it has columns.
 */
function localRow(tokens: Token[], i: number, active: TableCursor | undefined, applications: TableCursor | undefined, headerKeys: string[]): { row: MappedRow; next: number } | null {
  const t = tokens[i];
  const previous = active?.rows.at(-1);
  if (!active || !previous || (applications && applications.lastOrder >= 0)) return null;
  if (t.key.length < 2 || t.key.length > 80 || /^(第二十条|[一二三四五六七八九十]+、)/.test(t.key) || formHeaderWords.some((w) => t.key.startsWith(w))) return null;
  if (headerKeys.some((h) => t.key.startsWith(h))) return null;
  const values: Token[] = [];
  let j = i + 1;
  while (j < tokens.length && tokens[j].kind !== 'label' && values.length <= previous.columns.length) {
    values.push(tokens[j]);
    if (tokens[j].rowEnd && tokens[j].structured) { j++; break; }
    j++;
  }
  while (values.length > previous.columns.length && values.at(-1)!.kind === 'blank') values.pop();
  if (values.length !== previous.columns.length || !values.some((v) => v.kind === 'number')) return null;
  const n = active.rows.filter((r) => r.key.startsWith('extra.')).length + 1;
  return {
    row: { key: `extra.${n}`, label: t.text, labelToken: t, labelScore: 0.8, columns: previous.columns, readings: fitRow(values, previous.columns.length, (ci) => !!previous.columns[ci].signed) },
    next: j,
  };
}

/** The values that follow a row's label (token `i`) until the row ends, and where the walk goes on. */
function rowValues(tokens: Token[], i: number, glued: Token | null, finder: RowFinder, allRows: RowDef[]): { values: Token[]; next: number } {
  const t = tokens[i];
  const values: Token[] = glued ? [glued] : [];
  let j = i + 1;
  let skipped = 0;
  let rowClosed = t.rowEnd && t.structured && values.length > 0;
  while (j < tokens.length && !rowClosed) {
    const v = tokens[j];
    // Glyphs that are no number in one of the row's own value cells (a watermark over a 0, a
    // misread digit): the cell is there but unreadable, not the end of the row.
    if (isValueCell(v, t) && !finder.isRowLabel(v) && !isGroupLabel(v.key, allRows)) {
      values.push(v);
      if (v.rowEnd) rowClosed = true;
      j++;
      continue;
    }
    if (v.kind === 'label') {
      if (finder.isRowLabel(v) || values.length > 0) break;
      if (!isGroupLabel(v.key, allRows) && ++skipped > MAX_SKIPPED_LABELS) break;
      j++;
      continue;
    }
    values.push(v);
    if (v.rowEnd && v.structured) rowClosed = true;
    j++;
  }
  return { values, next: j };
}

/**
 * （六）其他处理 heading its three sub-rows is a group, not a row of its own (printed with empty
 * cells and no sub-rows after it, the 2019 form's one row, it is a row printed empty).
 */
function headsSplitRows(hit: Hit, values: Token[], next: Token | undefined, finder: RowFinder): boolean {
  const alt = hit.cursor.def.alternativeRows;
  if (alt?.single !== hit.candidate.row.key || !values.every((v) => v.kind === 'blank') || !next) return false;
  const after = next.kind === 'label' ? finder.find(next).hit : null;
  return !!after && after.cursor === hit.cursor && alt.split.includes(after.candidate.row.key);
}

/** The row a label names, with its values fitted to the form's columns. */
function mappedRow(tokens: Token[], i: number, hit: Hit, values: Token[]): MappedRow {
  const { cursor, candidate, score } = hit;
  const t = tokens[i];
  const row = candidate.row;
  const columns = rowColumns(cursor.def, row);
  const money = columns.find((c) => c.money);
  const readings = fitRow(values, columns.length, (ci) => !!columns[ci].signed);
  // A label read with errors is placed by the form's structure: the row printed next, its columns filled.
  const fits = readings.every((rd) => rd.note === undefined || rd.note === 'glued' || rd.note === 'empty');
  const guess = score < TOLERANT_MATCH && !(nextInOrder(cursor, candidate) && fits);
  return {
    key: row.key,
    label: t.text,
    labelToken: t,
    labelScore: score,
    columns,
    readings,
    headerUnit: money ? headerUnitBefore(tokens, i, money) : undefined,
    ...(guess ? { guess } : {}),
  };
}

export function mapGovTables(tokens: Token[], template: TemplateDef): MappedTable[] {
  const tableDefs = template.tables.filter((t) => t.id === 'active' || t.id === 'applications');
  const cursors: TableCursor[] = tableDefs.map((def) => ({ def, candidates: candidatesFor(def.rows), lastOrder: -1, rows: [] }));
  const allRows = tableDefs.flatMap((d) => d.rows);
  const finder = new RowFinder(cursors, allRows);
  const active = cursors.find((c) => c.def.id === 'active');
  const applications = cursors.find((c) => c.def.id === 'applications');
  // 表二's column headers, which a local extra row's label never starts with.
  const headerKeys = (active?.def.columns ?? []).map((c) => matchKey(c.label).replace(/\(.*$/, ''));

  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.kind !== 'label') { i++; continue; }
    const { hit, glued } = finder.find(t);
    if (!hit) {
      const extra = localRow(tokens, i, active, applications, headerKeys);
      if (extra) active!.rows.push(extra.row);
      i = extra ? extra.next : i + 1;
      continue;
    }
    const { values, next } = rowValues(tokens, i, glued, finder, allRows);
    if (!headsSplitRows(hit, values, tokens[next], finder)) {
      hit.cursor.rows.push(mappedRow(tokens, i, hit, values));
      hit.cursor.lastOrder = hit.candidate.order;
    }
    i = next;
  }

  const mapped: MappedTable[] = cursors.map((c) => ({ def: c.def, found: c.rows.length > 0, rows: c.rows }));
  const review = template.tables.find((t) => t.id === 'reviewLitigation');
  if (review) mapped.push(mapReviewLitigation(tokens, review));
  return mapped;
}
