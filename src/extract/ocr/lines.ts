/**
 * Text lines in a region of a binarised page, from projection profiles: bands of inked rows are lines,
 * and a line is cut where a gap wider than about one character separates two runs of ink (a date
 * pushed to the right, two cells of a borderless table). Used for cell interiors and for the text
 * outside tables (the page is single-column prose with headings).
 */
import type { Box } from './raster.js';
import { runs } from './raster.js';

export interface LineOptions {
  dpi: number;
  /** Regions to ignore (tables, already read). */
  exclude?: Box[];
  /** Cut a line at horizontal gaps wider than this (pixels); Infinity keeps each band whole. */
  splitGap?: number;
}

function inside(x: number, y: number, boxes: Box[]): boolean {
  for (const b of boxes) if (x >= b[0] && x < b[2] && y >= b[1] && y < b[3]) return true;
  return false;
}

/** Line boxes inside `region`, top to bottom, left to right. */
export function findLines(mask: Uint8Array, width: number, region: Box, options: LineOptions): Box[] {
  return findLinePieces(mask, width, region, options).map((p) => p.box);
}

export interface LinePiece {
  box: Box;
  /** The band of rows the piece was cut from (its line's full height). */
  band: [number, number];
}

/** Like findLines, with each piece's line band. */
export function findLinePieces(mask: Uint8Array, width: number, region: Box, options: LineOptions): LinePiece[] {
  const { dpi } = options;
  const exclude = options.exclude ?? [];
  const [x0, y0, x1, y1] = region.map(Math.round) as Box;
  const w = x1 - x0;
  const h = y1 - y0;
  if (w <= 2 || h <= 2) return [];
  const rows = new Int32Array(h);
  const excludedRow = (y: number) => exclude.filter((b) => y >= b[1] && y < b[3]);
  for (let y = y0; y < y1; y++) {
    const ex = excludedRow(y);
    const base = y * width;
    let n = 0;
    for (let x = x0; x < x1; x++) if (mask[base + x] && (ex.length === 0 || !inside(x, y, ex))) n++;
    rows[y - y0] = n;
  }
  // Any ink counts in a narrow region (the thin neck of a serif 5); wide regions ignore stray specks.
  const minInk = Math.floor(w * 0.002);
  const bands = runs(rows, minInk, Math.max(2, Math.round(dpi * 0.01)));
  const minH = Math.max(4, dpi * 0.025);
  const out: LinePiece[] = [];
  const splitGap = options.splitGap ?? dpi * 0.15;
  for (const [a, b] of bands) {
    if (b - a < minH * 0.6) continue;
    const ya = y0 + a;
    const yb = y0 + b;
    const cols = new Int32Array(w);
    let ink = 0;
    for (let y = ya; y < yb; y++) {
      const ex = excludedRow(y);
      const base = y * width;
      for (let x = x0; x < x1; x++) {
        if (mask[base + x] && (ex.length === 0 || !inside(x, y, ex))) {
          cols[x - x0]++;
          ink++;
        }
      }
    }
    if (ink < minH * minH * 0.15) continue;
    const pieces = Number.isFinite(splitGap) ? runs(cols, 0, Math.round(splitGap)) : runs(cols, 0, w);
    for (const [p, q] of pieces) {
      let pieceInk = 0;
      for (let i = p; i < q; i++) pieceInk += cols[i];
      if (pieceInk < minH * minH * 0.12) continue;
      // Tighten the band to this piece's own rows.
      let ta = yb;
      let tb = ya;
      for (let y = ya; y < yb; y++) {
        const base = y * width;
        for (let x = x0 + p; x < x0 + q; x++) {
          if (mask[base + x]) {
            if (y < ta) ta = y;
            tb = y + 1;
            break;
          }
        }
      }
      if (tb - ta < minH * 0.5 && q - p < minH * 0.5) continue;
      out.push({ box: [x0 + p, ta, x0 + q, tb], band: [ya, yb] });
    }
  }
  return out;
}
