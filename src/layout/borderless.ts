/**
 * Fallback for tables without rules (LibreOffice-made PDFs lose their borders): a run of text lines of
 * one font size, most of which break into several phrases at wide gaps, is a table.
 *
 * - Columns: gaps in the x-projection of the phrases of the fullest lines; phrases made of several text
 *   runs are split again where a column boundary falls between two runs.
 * - Rows: lines closer than half a line height belong to one row (wrapped labels, numbers centred
 *   between the two lines of a label) unless that would put two numbers, or a new numbered label, into
 *   one cell.
 * - A few short lines of the same size just above the run (wrapped header cells) are taken in.
 * The result is a LayoutGrid with structure 'aligned': columns are as reliable as the alignment.
 */
import { joinCellLines, makeLine } from './lines.js';
import { median, r2 } from './stats.js';
import type { TextItem, VisualLine } from './text-items.js';
import type { LayoutCell } from './types.js';

const NUMERIC = /^[-−+]?\d[\d,，.]*%?$/;
const squash = (s: string) => s.replace(/\s+/g, '');
const ENUM_START = /^(\(?[一二三四五六七八九十]+[)、.]|\([一二三四五六七八九十\d]+\)|\d+[.、)]|[①-⑳]|其中)/;

export interface Phrase {
  items: TextItem[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  text: string;
}

export interface AlignedTable {
  lines: VisualLine[];
  xs: number[];
  ys: number[];
  cells: LayoutCell[];
  bbox: [number, number, number, number];
}

function phraseOf(items: TextItem[]): Phrase {
  const ln = makeLine(items);
  return { items, x0: ln.x0, x1: ln.x1, y0: ln.y0, y1: ln.y1, text: ln.text };
}

/** Splits a line at gaps wider than `factor` × its font size (at least 3 points). */
export function phrases(line: VisualLine, factor = 0.9): Phrase[] {
  const gapMin = Math.max(factor * line.size, 3);
  const out: Phrase[] = [];
  let cur: TextItem[] = [];
  for (const it of line.items) {
    const prev = cur[cur.length - 1];
    if (prev && it.x0 - prev.x1 > gapMin) {
      out.push(phraseOf(cur));
      cur = [];
    }
    cur.push(it);
  }
  if (cur.length) out.push(phraseOf(cur));
  return out;
}

/** Column boundaries from the phrases of the fullest rows: gaps in their x-projection. */
function columnBounds(rows: Phrase[][]): number[] {
  const maxN = Math.max(...rows.map((r) => r.length));
  let body = rows.filter((r) => r.length >= Math.max(2, Math.ceil(0.6 * maxN)));
  // Data rows (holding numbers) define the columns better than header rows, whose labels overhang.
  const data = body.filter((r) => r.some((p) => NUMERIC.test(squash(p.text))));
  if (data.length >= 2) body = data;
  const iv = body
    .flat()
    .map((p) => [p.x0, p.x1] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of iv) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const all = rows.flat();
  const xs = [Math.min(...all.map((p) => p.x0))];
  for (let i = 1; i < merged.length; i++) xs.push((merged[i - 1][1] + merged[i][0]) / 2);
  xs.push(Math.max(...all.map((p) => p.x1)));
  return xs;
}

/** Splits a phrase where a column boundary falls between two of its runs. */
function splitAtBounds(p: Phrase, xs: readonly number[]): Phrase[] {
  if (p.items.length < 2) return [p];
  const sorted = [...p.items].sort((a, b) => a.x0 - b.x0);
  const out: Phrase[] = [];
  let cur: TextItem[] = [sorted[0]];
  for (let k = 1; k < sorted.length; k++) {
    const a = cur[cur.length - 1];
    const b = sorted[k];
    if (xs.some((x) => x >= a.x1 - 1 && x <= b.x0 + 1)) {
      out.push(phraseOf(cur));
      cur = [];
    }
    cur.push(b);
  }
  out.push(phraseOf(cur));
  return out;
}

/** Columns a phrase covers: its centre's column, and any column it covers at least half of. */
function colRange(xs: readonly number[], p: Phrase): [number, number] {
  let c0 = -1;
  let c1 = -1;
  const cx = (p.x0 + p.x1) / 2;
  for (let c = 0; c < xs.length - 1; c++) {
    const ov = Math.min(p.x1, xs[c + 1]) - Math.max(p.x0, xs[c]);
    const hasCentre = cx >= xs[c] && cx < xs[c + 1];
    if (hasCentre || ov >= 0.5 * (xs[c + 1] - xs[c])) {
      if (c0 < 0) c0 = c;
      c1 = c;
    }
  }
  if (c0 < 0) {
    let best = 0;
    for (let c = 0; c < xs.length - 1; c++) if (Math.abs((xs[c] + xs[c + 1]) / 2 - cx) < Math.abs((xs[best] + xs[best + 1]) / 2 - cx)) best = c;
    c0 = c1 = best;
  }
  return [c0, c1];
}


/** Finds aligned tables among a page's free lines (sorted top to bottom). */
export function findAlignedTables(lines: readonly VisualLine[], page: number): AlignedTable[] {
  const split = lines.map((l) => phrases(l));
  const tables: AlignedTable[] = [];
  let i = 0;
  let prevEnd = -1;
  while (i < lines.length) {
    if (split[i].length < 2) {
      i++;
      continue;
    }
    const size0 = lines[i].size;
    const sameSize = (l: VisualLine) => Math.abs(l.size - size0) <= 0.2 * size0;
    let multi = 1;
    let lastMulti = i;
    for (let k = i + 1; k < lines.length; k++) {
      const gap = lines[k].y0 - lines[k - 1].y1;
      const size = Math.max(lines[k].size, lines[k - 1].size);
      if (gap > 2.5 * size || !sameSize(lines[k])) break;
      if (split[k].length >= 2) {
        multi++;
        lastMulti = k;
      } else if (k - lastMulti > 2) break;
    }
    const end = lastMulti;
    if (multi < 2 || !aligned(split.slice(i, end + 1))) {
      i++;
      continue;
    }
    // Take in short header lines just above the run.
    const left = Math.min(...lines.slice(i, end + 1).map((l) => l.x0));
    const right = Math.max(...lines.slice(i, end + 1).map((l) => l.x1));
    let start = i;
    while (
      start - 1 > prevEnd &&
      i - (start - 1) <= 6 &&
      sameSize(lines[start - 1]) &&
      lines[start].y0 - lines[start - 1].y1 <= 2 * size0 &&
      lines[start - 1].x0 >= left - 2 &&
      lines[start - 1].x1 <= right + 2 &&
      lines[start - 1].x1 - lines[start - 1].x0 < 0.6 * (right - left)
    ) {
      start--;
    }
    const region = lines.slice(start, end + 1);
    const t = buildAligned(region, region.map((l) => phrases(l, 0.5)), page);
    if (t) {
      tables.push(t);
      prevEnd = end;
    }
    i = end + 1;
  }
  return tables;
}

/**
 * Table evidence: two multi-phrase lines share an inner phrase edge (left, right or centre within 2 pt).
 * Prose lines that happen to contain wide spaces do not line up like that.
 */
function aligned(rows: Phrase[][]): boolean {
  const multi = rows.filter((r) => r.length >= 2);
  const edges = multi.map((r) => r.slice(1).flatMap((p) => [p.x0, p.x1, (p.x0 + p.x1) / 2]));
  for (let a = 0; a < edges.length; a++) {
    for (let b = a + 1; b < edges.length; b++) {
      if (edges[a].some((x) => edges[b].some((y) => Math.abs(x - y) <= 2))) return true;
    }
  }
  return false;
}

interface Row {
  lines: VisualLine[];
  cells: { c0: number; c1: number; ps: Phrase[] }[];
}

function rowCells(ps: Phrase[], xs: readonly number[]): Row['cells'] {
  const groups = ps
    .map((p) => {
      const [c0, c1] = colRange(xs, p);
      return { c0, c1, ps: [p] };
    })
    .sort((a, b) => a.c0 - b.c0);
  const out: Row['cells'] = [];
  for (const g of groups) {
    const last = out[out.length - 1];
    if (last && g.c0 <= last.c1) {
      last.c1 = Math.max(last.c1, g.c1);
      last.ps.push(...g.ps);
    } else out.push(g);
  }
  return out;
}

function conflicts(row: Row, cells: Row['cells']): boolean {
  for (const c of cells) {
    for (const d of row.cells) {
      if (c.c0 > d.c1 || c.c1 < d.c0) continue;
      const a = squash(c.ps.map((p) => p.text).join(''));
      const b = squash(d.ps.map((p) => p.text).join(''));
      if (NUMERIC.test(a) && NUMERIC.test(b)) return true;
      if (ENUM_START.test(a) && b) return true;
    }
  }
  return false;
}

function buildAligned(lines: VisualLine[], rowsP: Phrase[][], page: number): AlignedTable | null {
  const xs = columnBounds(rowsP);
  const C = xs.length - 1;
  if (C < 2) return null;
  const size = median(lines.map((l) => l.size));
  const rows: Row[] = [];
  lines.forEach((ln, k) => {
    const ps = rowsP[k].flatMap((p) => splitAtBounds(p, xs));
    const cells = rowCells(ps, xs);
    const prev = rows[rows.length - 1];
    if (prev) {
      const gap = ln.y0 - Math.max(...prev.lines.map((l) => l.y1));
      if (gap <= 0.5 * size && !conflicts(prev, cells)) {
        prev.lines.push(ln);
        prev.cells = rowCells([...prev.cells.flatMap((c) => c.ps), ...ps], xs);
        return;
      }
    }
    rows.push({ lines: [ln], cells });
  });
  if (rows.length < 2) return null;
  const top = (r: Row) => Math.min(...r.lines.map((l) => l.y0));
  const bottom = (r: Row) => Math.max(...r.lines.map((l) => l.y1));
  const ys = [top(rows[0])];
  for (let r = 1; r < rows.length; r++) ys.push((bottom(rows[r - 1]) + top(rows[r])) / 2);
  ys.push(bottom(rows[rows.length - 1]));
  const cells: LayoutCell[] = [];
  rows.forEach((row, r) => {
    const taken = new Array<boolean>(C).fill(false);
    for (const v of row.cells) {
      for (let c = v.c0; c <= v.c1; c++) taken[c] = true;
      // The cell's lines: its phrases regrouped by line, top to bottom.
      const sub = v.ps.map((p) => makeLine(p.items)).sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
      const merged: VisualLine[] = [];
      for (const l of sub) {
        const last = merged[merged.length - 1];
        if (last && Math.min(last.y1, l.y1) - Math.max(last.y0, l.y0) > 0.5 * Math.min(l.y1 - l.y0, last.y1 - last.y0)) {
          merged[merged.length - 1] = makeLine([...last.items, ...l.items]);
        } else merged.push(l);
      }
      cells.push({
        row: r,
        col: v.c0,
        rowSpan: 1,
        colSpan: v.c1 - v.c0 + 1,
        text: joinCellLines(merged),
        bbox: [r2(xs[v.c0]), r2(ys[r]), r2(xs[v.c1 + 1]), r2(ys[r + 1])],
        page,
        confidence: 1,
      });
    }
    for (let c = 0; c < C; c++) {
      if (taken[c]) continue;
      cells.push({ row: r, col: c, rowSpan: 1, colSpan: 1, text: '', bbox: [r2(xs[c]), r2(ys[r]), r2(xs[c + 1]), r2(ys[r + 1])], page, confidence: 1 });
    }
  });
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  return { lines, xs, ys, cells, bbox: [r2(xs[0]), r2(ys[0]), r2(xs[C]), r2(ys[rows.length])] };
}
