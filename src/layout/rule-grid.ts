/**
 * Ruled tables from ruling lines: rules that meet form connected components, each component with at
 * least two rules each way is a table, its rules are clustered into grid lines, and elementary cells
 * not separated by a rule merge into one cell with row and column spans. Shared by the PDF extractor
 * (rules from drawing operators, in points) and OCR (rules found in the image, in pixels): only the
 * tolerances differ, so a table drawn and the same table scanned get the same grid.
 */
import { clusterValues } from './stats.js';

/** A ruling line: horizontal (`at` = y, `from`..`to` in x) or vertical (`at` = x, `from`..`to` in y). */
export interface Rule {
  at: number;
  from: number;
  to: number;
}

/** A ruled table: grid lines, the cells with their spans, and which cell owns each elementary cell. */
export interface RuleGrid {
  xs: number[];
  ys: number[];
  bbox: [number, number, number, number];
  /** Origin cells with spans, row-major. */
  spans: Span[];
  /** owner[r][c] = index into spans. */
  owner: number[][];
}

/** Distances in the unit of the rules (points for PDF, pixels for OCR). */
export interface RuleTolerances {
  /** Rules meet when they come this close. */
  touch: number;
  /** Rule positions closer than this are one grid line. */
  merge: number;
  /** Smaller components are frames or underlines, not tables. */
  minWidth: number;
  minHeight: number;
  /** Slack added to both ends of a rule when judging what it separates (scanned rules fade at ends). */
  reach: number;
}

export interface Span {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

/** A rule separates two cells when it covers at least this share of their common edge. */
const COVER = 0.5;

/** Length of [a0, a1] covered by the union of `intervals`. */
export function coveredLength(intervals: readonly [number, number][], a0: number, a1: number): number {
  const clipped = intervals
    .map(([s, e]) => [Math.max(s, a0), Math.min(e, a1)] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((p, q) => p[0] - q[0]);
  let total = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  for (const [s, e] of clipped) {
    if (s > curE) {
      if (curE > curS) total += curE - curS;
      curS = s;
      curE = e;
    } else curE = Math.max(curE, e);
  }
  if (curE > curS) total += curE - curS;
  return total;
}

/**
 * `vAt[j]`: stretches (in y) ruled along the vertical grid line x = xs[j]; `hAt[i]`: stretches (in x)
 * along y = ys[i]. Returns the cells in row-major order and, per elementary cell, its cell's index.
 */
export function spansFromRules(xs: readonly number[], ys: readonly number[], vAt: readonly [number, number][][], hAt: readonly [number, number][][]): { spans: Span[]; owner: number[][] } {
  const R = ys.length - 1;
  const C = xs.length - 1;
  // vRule[r][j]: a rule on x = xs[j] along row r. hRule[i][c]: on y = ys[i] along column c.
  const vRule = Array.from({ length: R }, (_, r) => xs.map((_, j) => coveredLength(vAt[j], ys[r], ys[r + 1]) >= COVER * (ys[r + 1] - ys[r])));
  const hRule = ys.map((_, i) => Array.from({ length: C }, (_, c) => coveredLength(hAt[i], xs[c], xs[c + 1]) >= COVER * (xs[c + 1] - xs[c])));
  const owner: number[][] = Array.from({ length: R }, () => new Array<number>(C).fill(-1));
  const spans: Span[] = [];
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      if (owner[r][c] >= 0) continue;
      let cs = 1;
      while (c + cs < C && !vRule[r][c + cs] && owner[r][c + cs] < 0) cs++;
      let rs = 1;
      while (r + rs < R) {
        let open = true;
        for (let k = c; k < c + cs && open; k++) {
          if (hRule[r + rs][k] || owner[r + rs][k] >= 0) open = false;
          // A rule inside the span on the next row means the region is not a rectangle.
          if (k > c && vRule[r + rs][k]) open = false;
        }
        if (!open) break;
        rs++;
      }
      const idx = spans.length;
      spans.push({ row: r, col: c, rowSpan: rs, colSpan: cs });
      for (let rr = r; rr < r + rs; rr++) for (let cc = c; cc < c + cs; cc++) owner[rr][cc] = idx;
    }
  }
  return { spans, owner };
}

/** A grid and the rules it was built from (OCR measures their stroke width). */
export type GridOf<R extends Rule> = RuleGrid & { rules: R[] };

/** Ruled tables among the rules, top to bottom. Grids of a single cell are not tables (text frames). */
export function gridsFromRules<R extends Rule>(h: readonly R[], v: readonly R[], tol: RuleTolerances): GridOf<R>[] {
  const nh = h.length;
  const parent = Array.from({ length: nh + v.length }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let i = 0; i < nh; i++) {
    for (let j = 0; j < v.length; j++) {
      if (v[j].at >= h[i].from - tol.touch && v[j].at <= h[i].to + tol.touch && h[i].at >= v[j].from - tol.touch && h[i].at <= v[j].to + tol.touch) {
        const a = find(i);
        const b = find(nh + j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const comps = new Map<number, { h: R[]; v: R[] }>();
  for (let i = 0; i < nh + v.length; i++) {
    const root = find(i);
    let c = comps.get(root);
    if (!c) comps.set(root, (c = { h: [], v: [] }));
    if (i < nh) c.h.push(h[i]);
    else c.v.push(v[i - nh]);
  }
  const grids: GridOf<R>[] = [];
  for (const c of comps.values()) {
    if (c.h.length < 2 || c.v.length < 2) continue;
    const g = gridOf(c.h, c.v, tol);
    if (g && g.spans.length > 1) grids.push({ ...g, rules: [...c.h, ...c.v] });
  }
  return grids.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
}

function gridOf(h: readonly Rule[], v: readonly Rule[], tol: RuleTolerances): RuleGrid | null {
  const bx0 = Math.min(...h.map((l) => l.from), ...v.map((l) => l.at));
  const bx1 = Math.max(...h.map((l) => l.to), ...v.map((l) => l.at));
  const by0 = Math.min(...v.map((l) => l.from), ...h.map((l) => l.at));
  const by1 = Math.max(...v.map((l) => l.to), ...h.map((l) => l.at));
  if (bx1 - bx0 < tol.minWidth || by1 - by0 < tol.minHeight) return null;
  const near = tol.merge * 1.5;
  // Open sides (no outer rule) still bound the grid.
  const addEdge = (bounds: number[], e: number) => (bounds.some((b) => Math.abs(b - e) <= near) ? bounds : [...bounds, e].sort((a, b) => a - b));
  const xs = addEdge(addEdge(clusterValues(v.map((l) => l.at), tol.merge), bx0), bx1);
  const ys = addEdge(addEdge(clusterValues(h.map((l) => l.at), tol.merge), by0), by1);
  const R = ys.length - 1;
  const C = xs.length - 1;
  if (R < 1 || C < 1) return null;
  const stretches = (bounds: number[], rules: readonly Rule[]) => {
    const at: [number, number][][] = bounds.map(() => []);
    for (const l of rules) {
      const k = nearest(bounds, l.at, near);
      if (k >= 0) at[k].push([l.from - tol.reach, l.to + tol.reach]);
    }
    return at;
  };
  const { spans, owner } = spansFromRules(xs, ys, stretches(xs, v), stretches(ys, h));
  return { xs, ys, bbox: [xs[0], ys[0], xs[C], ys[R]], spans, owner };
}

/** Index of the bound nearest to v, or -1 when none is within `within`. */
function nearest(bounds: readonly number[], v: number, within: number): number {
  let best = -1;
  let bestD = within + 0.01;
  for (let i = 0; i < bounds.length; i++) {
    const d = Math.abs(bounds[i] - v);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
