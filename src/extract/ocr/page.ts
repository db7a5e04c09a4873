/**
 * One prepared page image → layout blocks: ruled tables read cell by cell (grid.ts, read-cells.ts) and
 * the text outside them as lines (lines.ts). Boxes come out in the caller's unit: pixels of the
 * prepared page for images (unit 1), PDF points for rendered PDF pages (unit 72 / dpi).
 */
import type { BBox, LayoutCell, LayoutGrid, LayoutLine, LayoutWarning } from '../../layout/types.js';
import type { GridDraft } from '../../layout/drafts.js';
import { findTables, type ImageTable } from './grid.js';
import { findLinePieces } from './lines.js';
import { numericLines, repairNumber } from './numbers.js';
import { findAlignedTables, type AlignedTable } from '../../layout/borderless.js';
import { groupLines } from '../../layout/lines.js';
import { r2 } from '../../layout/stats.js';
import type { TextItem, VisualLine } from '../../layout/text-items.js';
import type { OcrPool } from './pool.js';
import { binarize, otsu, type Box, type Gray } from './raster.js';
import { readBoxes, readTable, UNSURE_CONFIDENCE, type CellReading, type PageRaster } from './read-cells.js';
import { isTraditional, rereadTraditional } from './traditional.js';

/** A page ready to read: upright, straight, at a known resolution. */
export interface PreparedPage {
  page: number;
  image: Gray;
  /** Resolution of the prepared raster (estimated when the file does not say). */
  dpi: number;
  /** Clockwise quarter turns applied (0, 90, 180, 270), after EXIF orientation. */
  rotation: number;
  /** Skew found and removed, degrees (clockwise positive). */
  skew: number;
}

export interface OcrPageResult {
  page: number;
  /** Blocks in reading order; grids carry their column boundaries in points for cross-page merging. */
  blocks: (LayoutLine | GridDraft)[];
  warnings: LayoutWarning[];
  /** Page size in the output unit. */
  width: number;
  height: number;
  ms: number;
}

export interface OcrPageOptions {
  /** Output unit per prepared pixel (1 for images, 72 / dpi for PDF points). */
  unit: number;
  /** Share of a box (prepared pixels) that red ink covered before it was dropped; absent on pages without red ink. */
  redShare?: (box: Box) => number;
}

/** A cell whose print (or, empty, its interior) was this much red ink (a seal over it) … */
const RED_CELL_SHARE = 0.02;
/**
 * … is read with at most the confidence of a single reading (UNSURE_CONFIDENCE): digits under seal ink
 * may be hidden or broken.
 */
const RED_CELL_CONFIDENCE = UNSURE_CONFIDENCE;

/** Ink threshold: Otsu's, kept within sensible bounds for paper scans. */
export function pageRaster(p: PreparedPage): PageRaster {
  const t = Math.max(70, Math.min(190, otsu(p.image)));
  return { image: p.image, mask: binarize(p.image, t), dpi: p.dpi };
}

/** Ruled tables first, read cell by cell; then the text outside them; blocks in reading order. */
export async function ocrPage(p: PreparedPage, pool: OcrPool, options: OcrPageOptions): Promise<OcrPageResult> {
  const started = performance.now();
  const u = options.unit;
  const raster = pageRaster(p);
  const { width, height } = p.image;
  const warnings = preparationWarnings(p);
  const tGrid = performance.now();
  const { tables } = findTables(raster.mask, width, height, p.dpi);
  const tCells = performance.now();
  const ruled = await readRuledTables(p, raster, tables, pool, options);
  if (ruled.sealed) {
    warnings.push({ code: 'OCR_RED_INK', page: p.page, message: `Page ${p.page}: red ink (a seal or stamp) lay over ${ruled.sealed} table cells; it was left out before reading, and their readings count as less sure.` });
  }
  const tLines = performance.now();
  if (isTraditional(ruled.grids.flatMap((g) => g.block.grid.cells.map((c) => c.text)))) {
    warnings.push({ code: 'OCR_TRADITIONAL', page: p.page, message: `Page ${p.page} is printed in traditional characters; its table labels were read a second time.` });
    for (const g of ruled.grids) await rereadTraditional(raster, g.block.grid.cells, ruled.cellLines.get(g.block.grid) ?? [], pool);
  }
  const text = await readTextOutside(p, raster, ruled.tableBoxes, pool);
  const positioned: Positioned[] = [...ruled.grids, ...textBlocks(p, text.items, u)];
  positioned.sort((a, b) => rowOrder(a, b));
  if (process.env.XXGK_OCR_DEBUG) {
    console.error(`page ${p.page}: raster ${Math.round(tGrid - started)} ms, grid ${Math.round(tCells - tGrid)} ms, cells ${Math.round(tLines - tCells)} ms, lines ${Math.round(performance.now() - tLines)} ms (${text.pieces} pieces)`);
  }
  return { page: p.page, blocks: positioned.map((x) => x.block), warnings, width: r2(width * u), height: r2(height * u), ms: Math.round(performance.now() - started) };
}

/** What was done to the page before reading, and a resolution too low to read reliably. */
function preparationWarnings(p: PreparedPage): LayoutWarning[] {
  const warnings: LayoutWarning[] = [];
  if (p.rotation) warnings.push({ code: 'OCR_ROTATED', page: p.page, message: `Page ${p.page} was turned ${p.rotation}° clockwise before reading.` });
  if (p.skew) warnings.push({ code: 'OCR_DESKEWED', page: p.page, message: `Page ${p.page} was straightened by ${-p.skew}° (skew ${p.skew}°).` });
  if (p.dpi < 140) warnings.push({ code: 'OCR_LOW_RESOLUTION', page: p.page, message: `Page ${p.page} is about ${Math.round(p.dpi)} dpi; 300 dpi scans read more reliably.` });
  return warnings;
}

/** A ruled table's grid block, positioned in prepared pixels. */
type GridBlock = Positioned & { block: GridDraft };

interface RuledTables {
  grids: GridBlock[];
  /** The tables' frames with a margin (prepared pixels): the text reader leaves them out. */
  tableBoxes: Box[];
  /** Each grid's cells' line boxes (none for numeric cells), for a second reading of the labels. */
  cellLines: Map<LayoutGrid, Box[][]>;
  /** Cells whose confidence red ink capped. */
  sealed: number;
}

async function readRuledTables(p: PreparedPage, raster: PageRaster, tables: ImageTable[], pool: OcrPool, options: OcrPageOptions): Promise<RuledTables> {
  const out: RuledTables = { grids: [], tableBoxes: [], cellLines: new Map(), sealed: 0 };
  const toPoints = 72 / p.dpi;
  for (const t of tables) {
    const cells = await readTable(raster, t, pool);
    // A frame with (almost) no readable text is decoration or a large glyph, not a table.
    if (cells.filter((c) => c.text !== '' && c.confidence >= 0.5).length < 2) continue;
    if (options.redShare) out.sealed += capSealedCells(cells, t.rule + 1, options.redShare);
    const grid = ruledGrid(p, t, cells, options.unit);
    out.cellLines.set(grid, cells.map((c) => (c.numeric ? [] : c.lines)));
    const xs = t.xs.map((x) => r2(x * toPoints));
    out.grids.push({ top: t.bbox[1], left: t.bbox[0], h: 0, block: { grid, xs, lastXs: xs, lastPage: p.page } });
    const m = t.rule + 2;
    out.tableBoxes.push([t.bbox[0] - m, t.bbox[1] - m, t.bbox[2] + m, t.bbox[3] + m]);
  }
  return out;
}

/**
 * Red ink over what a cell prints (its lines, with a margin), or anywhere inside an empty cell (a digit
 * the ink hid), caps its confidence; a seal grazing a cell's empty corner does not count. Gives how
 * many cells were capped.
 */
function capSealedCells(cells: CellReading[], inset: number, redShare: (box: Box) => number): number {
  let sealed = 0;
  for (const c of cells) {
    let area: Box = [c.box[0] + inset, c.box[1] + inset, c.box[2] - inset, c.box[3] - inset];
    if (c.lines.length) {
      const u = c.lines.reduce<Box>((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])], c.lines[0]);
      const m = 0.3 * (u[3] - u[1]);
      area = [Math.max(area[0], u[0] - m), Math.max(area[1], u[1] - m), Math.min(area[2], u[2] + m), Math.min(area[3], u[3] + m)];
    }
    const share = redShare(area);
    if (share >= RED_CELL_SHARE && c.confidence > RED_CELL_CONFIDENCE) {
      c.confidence = RED_CELL_CONFIDENCE;
      sealed++;
    }
  }
  return sealed;
}

function ruledGrid(p: PreparedPage, t: ImageTable, cells: CellReading[], unit: number): LayoutGrid {
  const layoutCells: LayoutCell[] = cells.map((c) => ({
    row: c.row,
    col: c.col,
    rowSpan: c.rowSpan,
    colSpan: c.colSpan,
    text: c.text,
    bbox: scaled(c.box, unit),
    page: p.page,
    confidence: c.confidence,
  }));
  return {
    kind: 'grid',
    page: p.page,
    bbox: scaled(t.bbox, unit),
    rows: t.ys.length - 1,
    cols: t.xs.length - 1,
    cells: layoutCells,
    source: 'ocr',
    structure: 'ruled',
    continuedFrom: null,
  };
}

/** A text item in points with the mean confidence of its reading. */
type ReadItem = TextItem & { conf: number };

/**
 * Text outside the ruled tables: pieces of lines (cut at gaps of about half an em), read, as text items
 * in points.
 */
async function readTextOutside(p: PreparedPage, raster: PageRaster, tableBoxes: Box[], pool: OcrPool): Promise<{ items: ReadItem[]; pieces: number }> {
  const { width, height } = p.image;
  const toPoints = 72 / p.dpi;
  const pieces = findLinePieces(raster.mask, width, [0, 0, width, height], { dpi: p.dpi, exclude: tableBoxes, splitGap: p.dpi * 0.06 })
    .filter((x) => !tableBoxes.some((t) => x.box[0] >= t[0] && x.box[2] <= t[2] && x.box[1] >= t[1] && x.box[3] <= t[3]));
  const read = await readBoxes(raster, pieces.map((x) => x.box), pool);
  const items: ReadItem[] = [];
  // Font size from the line bands: digits and CJK of one size give bands of different heights, so
  // bands near the page's typical height count as that height (the alignment finder compares sizes).
  const bandHs = pieces.map((x) => x.band[1] - x.band[0]).sort((a, b) => a - b);
  const typical = bandHs.length ? bandHs[bandHs.length >> 1] : 0;
  const sizeOf = (h: number) => (h >= typical * 0.6 && h <= typical * 1.35 ? typical : h);
  pieces.forEach((x, i) => {
    const r = read[i];
    if (!r.text) return;
    const b = x.box;
    items.push({ text: r.text, x0: b[0] * toPoints, y0: b[1] * toPoints, x1: b[2] * toPoints, y1: b[3] * toPoints, size: sizeOf(x.band[1] - x.band[0]) * toPoints, conf: r.mean });
  });
  return { items, pieces: pieces.length };
}

/** The text items grouped into visual lines; runs of lines that break into aligned columns are borderless tables. */
function textBlocks(p: PreparedPage, items: ReadItem[], unit: number): Positioned[] {
  const confOf = new Map<TextItem, number>(items.map((it) => [it, it.conf]));
  const visual = groupLines(items);
  const aligned = findAlignedTables(visual, p.page);
  const used = new Set<VisualLine>(aligned.flatMap((a) => a.lines));
  const toPoints = 72 / p.dpi;
  const fromPoints = unit / toPoints;
  const blocks: Positioned[] = aligned.map((a) => ({ top: a.bbox[1] / toPoints, left: a.bbox[0] / toPoints, h: 0, block: alignedGrid(p, a, confOf, fromPoints) }));
  for (const ln of visual) {
    if (used.has(ln)) continue;
    const confs = ln.items.map((it) => confOf.get(it) ?? 0.5);
    const line: LayoutLine = {
      kind: 'line', text: ln.text, page: p.page, bbox: scaled([ln.x0, ln.y0, ln.x1, ln.y1], fromPoints),
      confidence: Math.round(Math.min(...confs) * 1000) / 1000, source: 'ocr',
    };
    blocks.push({ top: ln.y0 / toPoints, left: ln.x0 / toPoints, h: (ln.y1 - ln.y0) / toPoints, block: line });
  }
  return blocks;
}

/** A borderless table's grid: each cell as sure as the least sure reading in it. */
function alignedGrid(p: PreparedPage, a: AlignedTable, confOf: Map<TextItem, number>, fromPoints: number): GridDraft {
  const its = a.lines.flatMap((l) => l.items);
  // Look-alikes are repaired in numeric cells only: a label keeps its characters.
  const numeric = numericLines(a.cells);
  const cells: LayoutCell[] = a.cells.map((c) => {
    const bb = c.bbox!;
    const inside = its.filter((it) => {
      const cx = (it.x0 + it.x1) / 2;
      const cy = (it.y0 + it.y1) / 2;
      return cx >= bb[0] - 1 && cx <= bb[2] + 1 && cy >= bb[1] - 1 && cy <= bb[3] + 1;
    });
    const conf = inside.length ? Math.min(...inside.map((it) => confOf.get(it) ?? 0.5)) : 0.9;
    const isValue = numeric.rows.has(c.row) || numeric.cols.has(c.col) || /\d/.test(c.text);
    const repaired = isValue ? repairNumber(c.text) : null;
    return { ...c, text: repaired ?? c.text, bbox: scaled(bb, fromPoints), page: p.page, confidence: Math.round(conf * 1000) / 1000 };
  });
  const grid: LayoutGrid = { kind: 'grid', page: p.page, bbox: scaled(a.bbox, fromPoints), rows: a.ys.length - 1, cols: a.xs.length - 1, cells, source: 'ocr', structure: 'aligned', continuedFrom: null };
  return { grid, xs: a.xs.map(r2), lastXs: a.xs.map(r2), lastPage: p.page };
}

/** A box in the output unit, `f` output units per unit of `b`. */
function scaled(b: BBox | Box, f: number): BBox {
  return [r2(b[0] * f), r2(b[1] * f), r2(b[2] * f), r2(b[3] * f)];
}

/** Top to bottom; pieces of the same visual line left to right. */
interface Positioned {
  top: number;
  left: number;
  /** Height of a line in prepared pixels (0 for grids). */
  h: number;
  block: LayoutLine | GridDraft;
}

function rowOrder(a: Positioned, b: Positioned): number {
  const tol = Math.min(a.h, b.h) * 0.5;
  if (tol > 0 && Math.abs(a.top - b.top) <= tol) return a.left - b.left;
  return a.top - b.top || a.left - b.left;
}
