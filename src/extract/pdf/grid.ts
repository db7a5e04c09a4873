/**
 * Ruled tables: ruling lines → connected components → grid lines (clustered x and y) → elementary cells,
 * merged where no rule separates them (rowSpan/colSpan). Text items are assigned to cells by their centre.
 */
import { spansFromRules, type Span } from '../../layout/rule-grid.js';
import type { LayoutCell } from '../../layout/types.js';
import { clusterValues, r2, slot } from './geometry.js';
import { groupLines, joinCellLines } from './text-lines.js';
import type { HLine, TextItem, VLine } from './types.js';

/** Lines meet when they come this close (points). */
const TOUCH = 2.5;
/** Grid lines closer than this (points) are one. */
const GRID_TOL = 2.5;

export interface RuledTable {
  xs: number[];
  ys: number[];
  bbox: [number, number, number, number];
  /** Origin cells with spans, row-major. */
  spans: Span[];
  /** owner[r][c] = index into spans. */
  owner: number[][];
}

class UnionFind {
  parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }
  union(a: number, b: number) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra] = rb;
  }
}


function addEdge(bounds: number[], v: number): number[] {
  return bounds.some((b) => Math.abs(b - v) <= GRID_TOL * 1.5) ? bounds : [...bounds, v].sort((a, b) => a - b);
}

/** Finds ruled tables among the page's ruling lines. Grids of a single cell are not tables (text frames). */
export function findRuledTables(hLines: readonly HLine[], vLines: readonly VLine[]): RuledTable[] {
  const nh = hLines.length;
  const uf = new UnionFind(nh + vLines.length);
  for (let i = 0; i < nh; i++) {
    const h = hLines[i];
    for (let j = 0; j < vLines.length; j++) {
      const v = vLines[j];
      if (v.x >= h.x0 - TOUCH && v.x <= h.x1 + TOUCH && h.y >= v.y0 - TOUCH && h.y <= v.y1 + TOUCH) uf.union(i, nh + j);
    }
  }
  const comps = new Map<number, { h: HLine[]; v: VLine[] }>();
  for (let i = 0; i < nh + vLines.length; i++) {
    const root = uf.find(i);
    let c = comps.get(root);
    if (!c) comps.set(root, (c = { h: [], v: [] }));
    if (i < nh) c.h.push(hLines[i]);
    else c.v.push(vLines[i - nh]);
  }
  const tables: RuledTable[] = [];
  for (const { h, v } of comps.values()) {
    if (h.length < 2 || v.length < 2) continue;
    const t = buildTable(h, v);
    if (t && t.spans.length > 1) tables.push(t);
  }
  tables.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
  return tables;
}

function buildTable(h: HLine[], v: VLine[]): RuledTable | null {
  const bx0 = Math.min(...h.map((l) => l.x0), ...v.map((l) => l.x));
  const bx1 = Math.max(...h.map((l) => l.x1), ...v.map((l) => l.x));
  const by0 = Math.min(...v.map((l) => l.y0), ...h.map((l) => l.y));
  const by1 = Math.max(...v.map((l) => l.y1), ...h.map((l) => l.y));
  if (bx1 - bx0 < 10 || by1 - by0 < 8) return null;
  // Open sides (no outer rule) still bound the grid.
  let xs = clusterValues(v.map((l) => l.x), GRID_TOL);
  let ys = clusterValues(h.map((l) => l.y), GRID_TOL);
  xs = addEdge(addEdge(xs, bx0), bx1);
  ys = addEdge(addEdge(ys, by0), by1);
  const R = ys.length - 1;
  const C = xs.length - 1;
  if (R < 1 || C < 1) return null;
  // Rule intervals per grid line.
  const vAt: [number, number][][] = xs.map(() => []);
  for (const l of v) {
    const j = nearest(xs, l.x);
    if (j >= 0) vAt[j].push([l.y0, l.y1]);
  }
  const hAt: [number, number][][] = ys.map(() => []);
  for (const l of h) {
    const i = nearest(ys, l.y);
    if (i >= 0) hAt[i].push([l.x0, l.x1]);
  }
  const { spans, owner } = spansFromRules(xs, ys, vAt, hAt);
  return { xs, ys, bbox: [xs[0], ys[0], xs[C], ys[R]], spans, owner };
}

function nearest(bounds: readonly number[], v: number): number {
  let best = -1;
  let bestD = GRID_TOL * 1.5 + 0.01;
  for (let i = 0; i < bounds.length; i++) {
    const d = Math.abs(bounds[i] - v);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
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
