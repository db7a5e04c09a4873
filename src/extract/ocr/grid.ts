/**
 * Ruled tables found in a page image: long horizontal and vertical ink runs (a run-length opening of
 * the binarised page) are grouped into rule segments, collinear pieces are joined, rules that meet
 * form connected components, and each component with at least two rules each way is a table. Its x
 * and y rules are clustered into grid lines; neighbouring elementary cells not separated by a rule
 * are merged (rowSpan / colSpan). All coordinates are pixels of the prepared page.
 */
import { spansFromRules, type Span } from '../../layout/rule-grid.js';
import type { Box } from './raster.js';

export interface RuleSeg {
  /** Position across the rule (y for horizontal, x for vertical). */
  at: number;
  /** Extent along the rule. */
  from: number;
  to: number;
  thickness: number;
}

/** A cell of an image table: rows and columns of its grid lines. */
export type SpanCell = Span;

export interface ImageTable {
  xs: number[];
  ys: number[];
  bbox: Box;
  cells: SpanCell[];
  /** owner[r][c] = index into cells. */
  owner: number[][];
  /** Typical rule thickness (pixels). */
  rule: number;
}

/** Rule segments along rows (horizontal = true) or columns of a binary mask. */
export function findRules(mask: Uint8Array, width: number, height: number, horizontal: boolean, minLen: number, gap: number): RuleSeg[] {
  const n = horizontal ? height : width;
  const len = horizontal ? width : height;
  // Runs per scan line.
  type Run = { line: number; a: number; b: number; id: number };
  const perLine: Run[][] = [];
  const all: Run[] = [];
  for (let i = 0; i < n; i++) {
    const list: Run[] = [];
    let start = -1;
    let last = -1;
    for (let j = 0; j < len; j++) {
      const on = horizontal ? mask[i * width + j] : mask[j * width + i];
      if (on) {
        if (start < 0) start = j;
        else if (j - last - 1 > gap) {
          if (last + 1 - start >= minLen) list.push({ line: i, a: start, b: last + 1, id: all.length + list.length });
          start = j;
        }
        last = j;
      }
    }
    if (start >= 0 && last + 1 - start >= minLen) list.push({ line: i, a: start, b: last + 1, id: all.length + list.length });
    perLine.push(list);
    all.push(...list);
  }
  // Union runs of neighbouring scan lines that overlap along the rule.
  const parent = all.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let i = 1; i < n; i++) {
    for (const r of perLine[i]) {
      for (const back of [1, 2]) {
        if (i - back < 0) continue;
        for (const q of perLine[i - back]) {
          const ov = Math.min(r.b, q.b) - Math.max(r.a, q.a);
          if (ov > 0.3 * Math.min(r.b - r.a, q.b - q.a)) {
            const a = find(r.id);
            const b = find(q.id);
            if (a !== b) parent[a] = b;
          }
        }
      }
    }
  }
  const groups = new Map<number, Run[]>();
  for (const r of all) {
    const k = find(r.id);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const segs: RuleSeg[] = [];
  for (const g of groups.values()) {
    const lines = new Set(g.map((r) => r.line));
    let w = 0;
    let s = 0;
    for (const r of g) {
      w += r.b - r.a;
      s += (r.b - r.a) * r.line;
    }
    const from = Math.min(...g.map((r) => r.a));
    const to = Math.max(...g.map((r) => r.b));
    // Ink per unit of length: the stroke width even when the rule runs a little askew.
    const thickness = Math.min(lines.size, w / Math.max(1, to - from));
    segs.push({ at: s / w + 0.5, from, to, thickness });
  }
  return segs;
}

/** Joins collinear pieces (a rule broken by noise or drawn per cell). */
export function joinCollinear(segs: RuleSeg[], tolAt: number, maxGap: number): RuleSeg[] {
  const sorted = [...segs].sort((p, q) => p.at - q.at || p.from - q.from);
  const out: RuleSeg[] = [];
  const used = new Array<boolean>(sorted.length).fill(false);
  for (let i = 0; i < sorted.length; i++) {
    if (used[i]) continue;
    const cur = { ...sorted[i] };
    used[i] = true;
    let grew = true;
    while (grew) {
      grew = false;
      for (let j = i + 1; j < sorted.length; j++) {
        if (used[j]) continue;
        const s = sorted[j];
        if (s.at - cur.at > tolAt * 2) break;
        if (Math.abs(s.at - cur.at) > tolAt) continue;
        if (s.from <= cur.to + maxGap && s.to >= cur.from - maxGap) {
          const wc = cur.to - cur.from;
          const ws = s.to - s.from;
          cur.at = (cur.at * wc + s.at * ws) / (wc + ws);
          cur.from = Math.min(cur.from, s.from);
          cur.to = Math.max(cur.to, s.to);
          cur.thickness = Math.max(cur.thickness, s.thickness);
          used[j] = true;
          grew = true;
        }
      }
    }
    out.push(cur);
  }
  return out;
}

function cluster(values: number[], tol: number): number[] {
  const s = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  let group: number[] = [];
  for (const v of s) {
    if (group.length && v - group[group.length - 1] > tol) {
      out.push(group.reduce((a, b) => a + b, 0) / group.length);
      group = [];
    }
    group.push(v);
  }
  if (group.length) out.push(group.reduce((a, b) => a + b, 0) / group.length);
  return out;
}


/** Tables from rule segments (pixels). */
export function tablesFromRules(hSegs: RuleSeg[], vSegs: RuleSeg[], dpi: number): ImageTable[] {
  const touch = Math.max(4, dpi * 0.02);
  const nh = hSegs.length;
  const parent = Array.from({ length: nh + vSegs.length }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const degree = new Array<number>(nh + vSegs.length).fill(0);
  for (let i = 0; i < nh; i++) {
    const h = hSegs[i];
    for (let j = 0; j < vSegs.length; j++) {
      const v = vSegs[j];
      if (v.at >= h.from - touch && v.at <= h.to + touch && h.at >= v.from - touch && h.at <= v.to + touch) {
        degree[i]++;
        degree[nh + j]++;
        const a = find(i);
        const b = find(nh + j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const comps = new Map<number, { h: RuleSeg[]; v: RuleSeg[] }>();
  for (let i = 0; i < nh + vSegs.length; i++) {
    if (degree[i] === 0) continue;
    const r = find(i);
    let c = comps.get(r);
    if (!c) comps.set(r, (c = { h: [], v: [] }));
    if (i < nh) c.h.push(hSegs[i]);
    else c.v.push(vSegs[i - nh]);
  }
  const tables: ImageTable[] = [];
  for (const { h, v } of comps.values()) {
    if (h.length < 2 || v.length < 2) continue;
    const t = buildTable(h, v, dpi);
    if (t && t.cells.length > 1) tables.push(t);
  }
  return tables.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
}

function buildTable(h: RuleSeg[], v: RuleSeg[], dpi: number): ImageTable | null {
  const tol = Math.max(4, dpi * 0.025);
  const bx0 = Math.min(...h.map((l) => l.from), ...v.map((l) => l.at));
  const bx1 = Math.max(...h.map((l) => l.to), ...v.map((l) => l.at));
  const by0 = Math.min(...v.map((l) => l.from), ...h.map((l) => l.at));
  const by1 = Math.max(...v.map((l) => l.to), ...h.map((l) => l.at));
  if (bx1 - bx0 < dpi * 0.3 || by1 - by0 < dpi * 0.1) return null;
  const addEdge = (bounds: number[], e: number) => (bounds.some((b) => Math.abs(b - e) <= tol * 1.5) ? bounds : [...bounds, e].sort((a, b) => a - b));
  const xs = addEdge(addEdge(cluster(v.map((l) => l.at), tol), bx0), bx1);
  const ys = addEdge(addEdge(cluster(h.map((l) => l.at), tol), by0), by1);
  const R = ys.length - 1;
  const C = xs.length - 1;
  if (R < 1 || C < 1) return null;
  const nearest = (bounds: number[], val: number) => {
    let best = -1;
    let bd = tol * 1.5 + 0.01;
    bounds.forEach((b, i) => {
      const d = Math.abs(b - val);
      if (d < bd) {
        bd = d;
        best = i;
      }
    });
    return best;
  };
  const vAt: [number, number][][] = xs.map(() => []);
  for (const l of v) {
    const j = nearest(xs, l.at);
    if (j >= 0) vAt[j].push([l.from - tol, l.to + tol]);
  }
  const hAt: [number, number][][] = ys.map(() => []);
  for (const l of h) {
    const i = nearest(ys, l.at);
    if (i >= 0) hAt[i].push([l.from - tol, l.to + tol]);
  }
  const { spans: cells, owner } = spansFromRules(xs, ys, vAt, hAt);
  const rule = Math.max(1, Math.round([...h, ...v].map((s) => s.thickness).sort((a, b) => a - b)[Math.floor((h.length + v.length) / 2)]));
  return { xs, ys, bbox: [xs[0], ys[0], xs[C], ys[R]], cells, owner, rule };
}

/** Ruled tables of a binarised page. */
export function findTables(mask: Uint8Array, width: number, height: number, dpi: number): { tables: ImageTable[]; hSegs: RuleSeg[]; vSegs: RuleSeg[] } {
  const gap = Math.max(2, Math.round(dpi / 100));
  const tolAt = Math.max(3, dpi * 0.012);
  const maxGap = Math.max(6, dpi * 0.03);
  const hRaw = findRules(mask, width, height, true, Math.round(dpi * 0.3), gap);
  const vRaw = findRules(mask, width, height, false, Math.round(dpi * 0.15), gap);
  const maxThick = Math.max(6, dpi * 0.04);
  const hSegs = joinCollinear(hRaw.filter((s) => s.thickness <= maxThick), tolAt, maxGap);
  const vSegs = joinCollinear(vRaw.filter((s) => s.thickness <= maxThick), tolAt, maxGap);
  return { tables: tablesFromRules(hSegs, vSegs, dpi), hSegs, vSegs };
}

/** Box of a cell in pixels. */
export function cellBox(t: ImageTable, c: SpanCell): Box {
  return [t.xs[c.col], t.ys[c.row], t.xs[c.col + c.colSpan], t.ys[c.row + c.rowSpan]];
}
