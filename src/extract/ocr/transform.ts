/**
 * Boxes back to the page as the file has it. A page is read after squaring up a photographed page, quarter
 * turns, a piece cut out of a long strip, deskew (about the centre, frame kept) and a half turn; evidence boxes must point at the
 * original pixels (images) or points (PDF), so every box is mapped back through those steps (its
 * four corners, then the enclosing box).
 */
import type { BBox, LayoutBlock, LayoutGrid, LayoutLine } from '../../layout/types.js';
import type { DraftBlock } from '../../layout/drafts.js';
import { r2 } from '../../layout/stats.js';
import { applyHomography, type Homography } from './photo.js';

export interface PageGeometry {
  /** Size of the raster the boxes are in (after all steps). */
  width: number;
  height: number;
  /** Half turn applied last (upside-down page). */
  halfTurn: boolean;
  /** Skew removed (degrees, clockwise positive): the raster was turned by −skew about its centre. */
  skew: number;
  /** Offset of this piece within the (quarter-turned) whole page. */
  offsetY: number;
  /** Quarter turn applied to the decoded page first, and the decoded page's height then. */
  quarter: boolean;
  decodedHeight: number;
  /** A photographed page squared up: decoded pixels → the pixels before (then `unit` applies). */
  warp?: Homography | null;
  /** Output units per decoded pixel (1 / scale for images, 72 / dpi for PDF). */
  unit: number;
  /** Size of the output page (for clamping). */
  outWidth: number;
  outHeight: number;
}


export function pointMapper(g: PageGeometry): (x: number, y: number) => [number, number] {
  const cx = g.width / 2;
  const cy = g.height / 2;
  const t = (g.skew * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  return (x, y) => {
    if (g.halfTurn) {
      x = g.width - x;
      y = g.height - y;
    }
    // Undo the deskew: turn clockwise by `skew` about the centre.
    const dx = x - cx;
    const dy = y - cy;
    x = cx + dx * cos - dy * sin;
    y = cy + dx * sin + dy * cos;
    y += g.offsetY;
    if (g.quarter) {
      // The whole page was turned 90° clockwise: (x, y) came from (y, H − x) of the decoded page.
      const ox = y;
      const oy = g.decodedHeight - x;
      x = ox;
      y = oy;
    }
    if (g.warp) [x, y] = applyHomography(g.warp, x, y);
    return [x * g.unit, y * g.unit];
  };
}

export function mapBox(b: BBox, map: (x: number, y: number) => [number, number], g: PageGeometry): BBox {
  const pts = [map(b[0], b[1]), map(b[2], b[1]), map(b[0], b[3]), map(b[2], b[3])];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const clampX = (v: number) => Math.min(g.outWidth, Math.max(0, v));
  const clampY = (v: number) => Math.min(g.outHeight, Math.max(0, v));
  return [r2(clampX(Math.min(...xs))), r2(clampY(Math.min(...ys))), r2(clampX(Math.max(...xs))), r2(clampY(Math.max(...ys)))];
}

/**
 * Maps every box of the blocks; `geometry(page)` gives the geometry of the page (piece) a box was read
 * on and `pageOf(page)` the page number to report. Cells keep their own page (a merged table spans
 * several).
 */
export function mapBlocks<T extends LayoutBlock | DraftBlock>(blocks: T[], geometry: (page: number) => PageGeometry, pageOf: (page: number) => number): void {
  const mappers = new Map<number, (x: number, y: number) => [number, number]>();
  const mapper = (page: number) => {
    let m = mappers.get(page);
    if (!m) mappers.set(page, (m = pointMapper(geometry(page))));
    return m;
  };
  for (const b of blocks as (LayoutBlock | DraftBlock)[]) {
    const grid: LayoutGrid | null = 'grid' in b ? b.grid : b.kind === 'grid' ? b : null;
    if (grid) {
      if (grid.bbox) grid.bbox = mapBox(grid.bbox, mapper(grid.page), geometry(grid.page));
      for (const c of grid.cells) {
        if (c.bbox) c.bbox = mapBox(c.bbox, mapper(c.page), geometry(c.page));
        c.page = pageOf(c.page);
      }
      if (grid.continuedFrom != null) grid.continuedFrom = pageOf(grid.continuedFrom);
      grid.page = pageOf(grid.page);
    } else {
      const line = b as LayoutLine;
      if (line.bbox) line.bbox = mapBox(line.bbox, mapper(line.page), geometry(line.page));
      line.page = pageOf(line.page);
    }
  }
}
