/**
 * Cells of a ruled table: given the grid lines and, per grid line, the stretches a rule covers,
 * elementary cells not separated by a rule merge into one cell with row and column spans. Shared by
 * the PDF extractor (rules from drawing operators) and OCR (rules found in the image).
 */

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
