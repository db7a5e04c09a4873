/**
 * A check in the form's own words (本年新收… + 上年结转… = （七）总计 + 四、结转下年度继续办理): rows and
 * columns named by the labels the form prints, with their group where the leaf alone is ambiguous
 * (（六）其他处理 › 3.其他). Everything is read from the form definitions, nothing is worded per check.
 */
import type { CellKey, TableId } from '../model/report.js';
import type { ColumnDef, RowDef, TableDef, TemplateDef } from './forms.js';

/** What a wording needs to know of a cell: where it sits and the labels the document printed for it. */
export interface PlacedCell {
  table: TableId;
  row: string;
  col: string;
  rowLabel: string;
  colLabel: string;
}

type Def = RowDef | ColumnDef;

/** The numbering a label starts with (一、 （三） 2.), which repeats from group to group. */
const ordinal = (label: string) => /^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])/.exec(label)?.[0] ?? '';

/** A leaf needs its group when another entry of the table shares its numbering or its words. */
function titled(def: Def, all: Def[]): string {
  const group = def.groups?.[def.groups.length - 1];
  if (!group) return def.label;
  const mine = ordinal(def.label);
  const clash = all.some((o) => o !== def && (o.label === def.label || (mine !== '' && ordinal(o.label) === mine)));
  return clash ? `${group} › ${def.label}` : def.label;
}

const tableOf = (template: TemplateDef | null, id: TableId) => template?.tables.find((t) => t.id === id);

/** A row's name as the form prints it, with its group where needed; the printed label off the form. */
export function rowTitle(template: TemplateDef | null, cell: PlacedCell): string {
  const table = tableOf(template, cell.table);
  const def = table?.rows.find((r) => r.key === cell.row);
  return def ? titled(def, table!.rows) : cell.rowLabel || cell.row;
}

export function colTitle(template: TemplateDef | null, cell: PlacedCell): string {
  const table = tableOf(template, cell.table);
  const def = table?.columns.find((c) => c.key === cell.col);
  return def ? titled(def, table!.columns) : cell.colLabel || cell.col;
}

/** Row × column, as a reviewer finds the cell on the page. */
export function cellTitle(template: TemplateDef | null, cell: PlacedCell): string {
  return `${rowTitle(template, cell)} × ${colTitle(template, cell)}`;
}

/**
 * Rows of one side that make up a whole group of the form are named by the group: every row under it
 * is on this side, on the other side (the total it adds up to), or the other printed form of a row
 * this side has (（六）其他处理 printed as one row or as three).
 */
function groupedRows(table: TableDef, side: string[], other: string[]): string[] {
  const alt = table.alternativeRows;
  const excused = new Set(other);
  if (alt && side.includes(alt.single)) alt.split.forEach((k) => excused.add(k));
  if (alt && alt.split.some((k) => side.includes(k))) excused.add(alt.single);
  const out: string[] = [];
  const done = new Set<string>();
  for (const key of side) {
    if (done.has(key)) continue;
    const def = table.rows.find((r) => r.key === key);
    const whole = def?.groups?.find((g) => {
      const members = table.rows.filter((r) => r.groups?.includes(g));
      const here = members.filter((r) => side.includes(r.key));
      return here.length >= 2 && members.every((r) => side.includes(r.key) || excused.has(r.key));
    });
    if (whole) {
      table.rows.filter((r) => r.groups?.includes(whole)).forEach((r) => done.add(r.key));
      out.push(`${whole}各项之和`);
    } else {
      done.add(key);
      out.push(def ? titled(def, table.rows) : key);
    }
  }
  return out;
}

export interface WordedCheck {
  lhs: CellKey[];
  rhs: CellKey[];
  relation: 'eq' | 'gte';
}

/**
 * The check as the form states it. Along one column: `column：rows = rows`; along one row:
 * `row：columns = columns`; otherwise every term is a cell (row × column).
 */
export function checkStatement(template: TemplateDef | null, check: WordedCheck, cellOf: (key: CellKey) => PlacedCell | undefined): string {
  const sides = [check.lhs, check.rhs].map((keys) => keys.map((k) => cellOf(k)));
  const all = sides.flat();
  const op = check.relation === 'eq' ? ' = ' : ' ≥ ';
  const plus = (terms: string[]) => terms.join(' + ');
  if (all.some((c) => !c)) return '';
  const cells = all as PlacedCell[];
  const [first] = cells;
  const oneTable = cells.every((c) => c.table === first.table);
  const table = tableOf(template, first.table);
  if (oneTable && cells.every((c) => c.col === first.col)) {
    const [l, r] = sides.map((s) => s.map((c) => c!.row));
    const terms = table
      ? [groupedRows(table, l, r), groupedRows(table, r, l)]
      : sides.map((s) => s.map((c) => rowTitle(template, c!)));
    return `${colTitle(template, first)}：${plus(terms[0])}${op}${plus(terms[1])}`;
  }
  if (oneTable && cells.every((c) => c.row === first.row)) {
    const [l, r] = sides.map((s) => s.map((c) => colTitle(template, c!)));
    return `${rowTitle(template, first)}：${plus(l)}${op}${plus(r)}`;
  }
  const [l, r] = sides.map((s) => s.map((c) => cellTitle(template, c!)));
  return `${plus(l)}${op}${plus(r)}`;
}
