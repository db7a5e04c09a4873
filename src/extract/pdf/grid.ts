/**
 * Ruled tables of a PDF page (the grid itself is `layout/rule-grid.ts`) and their filling: text items
 * are assigned to cells by their centre.
 */
import { gridsFromRules, type Rule, type RuleGrid, type RuleTolerances } from '../../layout/rule-grid.js';
import type { LayoutCell } from '../../layout/types.js';
import { groupLines, joinCellLines } from '../../layout/lines.js';
import { r2 } from '../../layout/stats.js';
import type { TextItem } from '../../layout/text-items.js';
import { slot } from './geometry.js';

/** Rules of a drawn table are exact: ends meet and positions agree to a couple of points. */
const PDF_RULES: RuleTolerances = { touch: 2.5, merge: 2.5, minWidth: 10, minHeight: 8, reach: 0 };

export type RuledTable = RuleGrid;

/** Finds ruled tables among the page's ruling lines. */
export function findRuledTables(hLines: readonly Rule[], vLines: readonly Rule[]): RuledTable[] {
  return gridsFromRules(hLines, vLines, PDF_RULES);
}

/** Whether a point lies inside the table (with a little slack). */
export function tableContains(t: RuledTable, x: number, y: number): boolean {
  return x >= t.bbox[0] - 0.5 && x <= t.bbox[2] + 0.5 && y >= t.bbox[1] - 0.5 && y <= t.bbox[3] + 0.5;
}

/**
 * Splits an item that runs over column boundaries at its internal spaces (a whole row drawn as one
 * text run), estimating token positions by character count.
 */
export function splitAcross(it: TextItem, xs: readonly number[]): TextItem[] {
  if (!/\s/.test(it.text)) return [it];
  const inner = xs.filter((x) => x > it.x0 + 0.3 * it.size && x < it.x1 - 0.3 * it.size);
  if (inner.length === 0) return [it];
  const n = it.text.length;
  const w = (it.x1 - it.x0) / n;
  const out: TextItem[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(it.text))) {
    out.push({ ...it, text: m[0], x0: it.x0 + m.index * w, x1: it.x0 + (m.index + m[0].length) * w });
  }
  return out;
}

/** Fills a table with its items (all of which have their centre inside it) and makes layout cells. */
export function fillTable(t: RuledTable, items: readonly TextItem[], page: number): LayoutCell[] {
  const buckets: TextItem[][] = t.spans.map(() => []);
  for (const raw of items) {
    for (const it of splitAcross(raw, t.xs)) {
      buckets[cellIndexAt(t, (it.x0 + it.x1) / 2, (it.y0 + it.y1) / 2)].push(it);
    }
  }
  return t.spans.map((s, i) => ({
    row: s.row,
    col: s.col,
    rowSpan: s.rowSpan,
    colSpan: s.colSpan,
    text: buckets[i].length ? joinCellLines(groupLines(buckets[i])) : '',
    bbox: [r2(t.xs[s.col]), r2(t.ys[s.row]), r2(t.xs[s.col + s.colSpan]), r2(t.ys[s.row + s.rowSpan])],
    page,
    confidence: 1,
  }));
}

/** Index (into `spans`) of the cell holding a point; points outside snap to the nearest cell. */
export function cellIndexAt(t: RuledTable, x: number, y: number): number {
  return t.owner[clampSlot(t.ys, y)][clampSlot(t.xs, x)];
}

function clampSlot(bounds: readonly number[], v: number): number {
  const s = slot(bounds, v);
  if (s >= 0) return s;
  return v < bounds[0] ? 0 : bounds.length - 2;
}
