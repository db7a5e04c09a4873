/**
 * Ruled tables found in a page image: long horizontal and vertical ink runs (a run-length opening of
 * the binarised page) are grouped into rule segments, collinear pieces are joined, rules that meet
 * make tables as in a PDF (`layout/rule-grid.ts`), with tolerances for ink. All coordinates are
 * pixels of the prepared page.
 */
import { gridsFromRules, type Rule, type RuleGrid, type RuleTolerances, type Span } from '../../layout/rule-grid.js';
import type { Box } from './raster.js';

/** A rule found in the image, with its stroke width in pixels. */
export interface RuleSeg extends Rule {
  thickness: number;
}

export interface ImageTable extends RuleGrid {
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

/** Scanned rules are a few pixels thick and fade at their ends: tolerances scale with the resolution. */
function imageTolerances(dpi: number): RuleTolerances {
  const merge = Math.max(4, dpi * 0.025);
  return { touch: Math.max(4, dpi * 0.02), merge, minWidth: dpi * 0.3, minHeight: dpi * 0.1, reach: merge };
}

/** Tables from rule segments (pixels). */
export function tablesFromRules(hSegs: RuleSeg[], vSegs: RuleSeg[], dpi: number): ImageTable[] {
  return gridsFromRules(hSegs, vSegs, imageTolerances(dpi)).map(({ rules, ...grid }) => {
    const widths = rules.map((s) => s.thickness).sort((a, b) => a - b);
    return { ...grid, rule: Math.max(1, Math.round(widths[Math.floor(widths.length / 2)])) };
  });
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
export function cellBox(t: ImageTable, c: Span): Box {
  return [t.xs[c.col], t.ys[c.row], t.xs[c.col + c.colSpan], t.ys[c.row + c.rowSpan]];
}
