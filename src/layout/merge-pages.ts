/**
 * Tables that run over a page break become one LayoutGrid.
 *
 * A grid that is the last block of page p is joined with a grid that is the first block of page p + 1
 * (page furniture such as `-3-` footers and running headers is already gone) when their column
 * structures match: same left and right edges, and most column boundaries of one are boundaries of the
 * other. The columns of the joined grid are the union of both parts' boundaries, so a cell keeps the
 * columns it covered. A header band repeated at the top of the continuation is dropped. A cell split by
 * the page break (a row-spanning label such as `（四）无` + `法提供`, or a whole row whose second half
 * carries only label text) is rejoined.
 *
 * Convention: the merged grid is one block, placed where its first part was; `page` and `bbox` are those
 * of the first part; every cell keeps its own `page` and `bbox` in that page's points (a rejoined cell
 * keeps the page and bbox of its first part). `continuedFrom` is null on grids that were not merged; on
 * a merged grid it is the page number of the part before its last join (for a table on pages 3, 4 and 5:
 * 4). The pages a grid covers are those of its cells.
 */
import type { DraftBlock, GridDraft } from './drafts.js';
import type { LayoutCell, LayoutGrid } from './types.js';

const NUMERIC = /^[\d\s.,，%+\-−－()（）]*$/;
const ENUM_START = /^(\(?[一二三四五六七八九十]+[)、.]|\([一二三四五六七八九十\d]+\)|\d+[.、)]|[①-⑳]|其中)/;

export function isGridDraft(b: DraftBlock): b is GridDraft {
  return (b as GridDraft).grid !== undefined;
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

/** Matching boundaries: index in `a` for each boundary of `b`, or -1. */
function matchBounds(a: readonly number[], b: readonly number[], tol: number): number[] {
  return b.map((x) => {
    let best = -1;
    let bestD = tol;
    a.forEach((y, i) => {
      const d = Math.abs(x - y);
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  });
}

export function columnsMatch(a: readonly number[], b: readonly number[], tol: number): boolean {
  if (a.length < 3 || b.length < 3) return false;
  if (Math.abs(a[0] - b[0]) > tol || Math.abs(a[a.length - 1] - b[b.length - 1]) > tol) return false;
  const innerA = a.slice(1, -1);
  const innerB = b.slice(1, -1);
  const mB = matchBounds(innerA, innerB, tol).filter((i) => i >= 0).length;
  const mA = matchBounds(innerB, innerA, tol).filter((i) => i >= 0).length;
  return mB >= 0.75 * innerB.length || mA >= 0.75 * innerA.length;
}

/** Union of boundaries; returns the union and, for each input list, the index of each boundary in it. */
function unionBounds(a: readonly number[], b: readonly number[], tol: number): { u: number[]; ia: number[]; ib: number[] } {
  const m = matchBounds(a, b, tol);
  const u = [...a, ...b.filter((_, i) => m[i] < 0)].sort((x, y) => x - y);
  const idx = (x: number) => u.indexOf(x);
  const ia = a.map(idx);
  const ib = b.map((x, i) => (m[i] >= 0 ? idx(a[m[i]]) : idx(x)));
  return { u, ia, ib };
}

function remapCols(cells: LayoutCell[], map: readonly number[]): LayoutCell[] {
  return cells.map((c) => {
    const col = map[c.col];
    return { ...c, col, colSpan: map[c.col + c.colSpan] - col };
  });
}

/** Rows [from, from + k) form a closed band: no cell crosses its lower edge. */
function closedBand(cells: readonly LayoutCell[], from: number, k: number): LayoutCell[] | null {
  const band = cells.filter((c) => c.row >= from && c.row < from + k);
  if (band.some((c) => c.row + c.rowSpan > from + k)) return null;
  if (cells.some((c) => c.row < from && c.row + c.rowSpan > from)) return null;
  return band;
}

function sameBand(a: readonly LayoutCell[], aFrom: number, b: readonly LayoutCell[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  if (!b.some((c) => squash(c.text))) return false;
  const key = (c: LayoutCell, from: number) => `${c.row - from}/${c.col}/${c.rowSpan}/${c.colSpan}/${squash(c.text)}`;
  const ka = new Set(a.map((c) => key(c, aFrom)));
  return b.every((c) => ka.has(key(c, 0)));
}

/** Number of header rows at the top of `b` that repeat a band near the top of `a`. */
function repeatedHeaderRows(a: readonly LayoutCell[], aRows: number, b: readonly LayoutCell[], bRows: number): number {
  for (let k = Math.min(4, bRows - 1); k >= 1; k--) {
    const bandB = closedBand(b, 0, k);
    if (!bandB) continue;
    for (let from = 0; from <= Math.min(3, aRows - k); from++) {
      const bandA = closedBand(a, from, k);
      if (bandA && sameBand(bandA, from, bandB)) return k;
    }
  }
  return 0;
}

function isLabel(text: string): boolean {
  const t = squash(text);
  return t.length > 0 && !NUMERIC.test(t);
}

/** Joins grid part `b` (the first block of the next page) onto draft `a`. */
export function appendPart(a: GridDraft, b: GridDraft, tol: number): void {
  const { u, ia, ib } = unionBounds(a.xs, b.xs, tol);
  let aCells = remapCols(a.grid.cells, ia);
  let bCells = remapCols(b.grid.cells, ib);
  let bRows = b.grid.rows;
  const aRows = a.grid.rows;
  // 1. A header band repeated at the top of the continuation.
  const k = repeatedHeaderRows(aCells, aRows, bCells, bRows);
  if (k > 0) {
    bCells = bCells.filter((c) => c.row >= k).map((c) => ({ ...c, row: c.row - k }));
    bRows -= k;
  }
  // 2. Cells split by the page break.
  const bottom = new Map<string, LayoutCell>();
  for (const c of aCells) if (c.row + c.rowSpan === aRows) bottom.set(`${c.col}/${c.colSpan}`, c);
  const top = bCells.filter((c) => c.row === 0);
  const partner = (c: LayoutCell) => bottom.get(`${c.col}/${c.colSpan}`);
  const continues = (c: LayoutCell) => {
    const t = squash(c.text);
    return t === '' || (!NUMERIC.test(t) && !ENUM_START.test(t));
  };
  const dropped = new Set<LayoutCell>();
  let folded = false;
  // 2a. The whole first row continues the last row: every cell has a partner, texts only in label cells.
  if (
    bRows > 0 &&
    top.length > 0 &&
    top.every((c) => c.rowSpan === 1 && partner(c) && continues(c)) &&
    top.some((c) => squash(c.text) !== '') &&
    top.every((c) => squash(c.text) === '' || isLabel(partner(c)!.text))
  ) {
    for (const c of top) {
      const p = partner(c)!;
      if (squash(c.text)) p.text = p.text + c.text;
      dropped.add(c);
    }
    folded = true;
  } else {
    // 2b. A row-spanning label cut by the break: extend it over the continuation's rows.
    for (const c of top) {
      const p = partner(c);
      if (!p || !isLabel(p.text) || !continues(c)) continue;
      if (c.rowSpan === 1 && p.rowSpan === 1) continue;
      p.text = p.text + c.text;
      p.rowSpan += c.rowSpan;
      dropped.add(c);
    }
  }
  const shift = folded ? aRows - 1 : aRows;
  const kept = bCells.filter((c) => !dropped.has(c)).map((c) => ({ ...c, row: c.row + shift }));
  aCells = [...aCells, ...kept].sort((p, q) => p.row - q.row || p.col - q.col);
  const grid: LayoutGrid = a.grid;
  grid.cells = aCells;
  grid.rows = shift + bRows;
  grid.cols = u.length - 1;
  grid.continuedFrom = a.lastPage;
  a.xs = u;
  a.lastXs = b.xs;
  a.lastPage = b.grid.page;
}

/** Joins continuation parts over page breaks. `pages` holds each page's blocks in reading order. */
export function mergePages(pages: readonly { page: number; blocks: DraftBlock[] }[]): DraftBlock[] {
  const out: DraftBlock[] = [];
  for (const p of pages) {
    let start = 0;
    const first = p.blocks[0];
    const prev = out[out.length - 1];
    if (first && prev && isGridDraft(first) && isGridDraft(prev) && prev.lastPage === p.page - 1 && first.grid.structure === prev.grid.structure) {
      const tol = first.grid.structure === 'ruled' ? 3 : 8;
      if (columnsMatch(prev.lastXs, first.xs, tol) || columnsMatch(prev.xs, first.xs, tol)) {
        appendPart(prev, first, tol);
        start = 1;
      }
    }
    for (let i = start; i < p.blocks.length; i++) out.push(p.blocks[i]);
  }
  return out;
}
