/**
 * The OCR page sequence, the one way a page image is read whether it came from an image file or a
 * rendered PDF page: a photographed page squared up and its lighting evened out, the page turned
 * upright and deskewed, tables read cell by cell and the remaining lines read, red ink (a seal)
 * judged in the pixels it was dropped from, and every box mapped back to the page as its source has it.
 * The PDF extractor reaches OCR through this module only (readRenderedRgba, and what it re-exports).
 */
import { dropRedInk, redShare, type RedInk } from './ink.js';
import { upsideDownCheck } from './orientation.js';
import { ocrPage, type OcrPageResult, type PreparedPage } from './page.js';
import { evenOut, photoWarnings, rectifyPage } from './photo.js';
import type { OcrPool } from './pool.js';
import type { Box, Gray } from './raster.js';
import { straighten } from './straighten.js';
import { mapBlocks, mapBox, pointMapper, type PageGeometry } from './transform.js';

export { luma } from './ink.js';
export type { OcrPageResult } from './page.js';
export { getOcrPool, type OcrPool } from './pool.js';
export type { Gray } from './raster.js';

/** One raster to read (a page, or a part of a long strip), with what was done to it before. */
export interface Piece {
  /** Number of the piece, in reading order (the cross-page merge joins consecutive pieces). */
  page: number;
  image: Gray;
  dpi: number;
  /** Look for a quarter turn (an image page was already turned as a whole before it was cut). */
  quarter: boolean;
  /** The steps before this raster, for mapping boxes back: all PageGeometry but what straightening adds. */
  before: Omit<PageGeometry, 'width' | 'height' | 'halfTurn' | 'skew'> & { quarter: boolean };
  /** Red ink dropped before reading, and its units per decoded pixel (its frame is the ink's own size). */
  red: { ink: RedInk; unit: number } | null;
}

/** Straightens and reads one piece; its boxes stay in the piece's pixels, `geo` maps them back. */
export async function readPiece(piece: Piece, pool: OcrPool): Promise<{ result: OcrPageResult; geo: PageGeometry }> {
  const s = await straighten(piece.image, piece.dpi, { quarter: piece.quarter, isUpsideDown: upsideDownCheck(pool) });
  const prepared: PreparedPage = { page: piece.page, image: s.image, dpi: piece.dpi, rotation: s.rotation, skew: s.skew };
  const geo: PageGeometry = { ...piece.before, quarter: piece.before.quarter || s.quarter, width: s.image.width, height: s.image.height, halfTurn: s.halfTurn, skew: s.skew };
  // Red ink is looked up where it was found, through the same mapping as the evidence boxes.
  const red = piece.red;
  let redShareAt: ((b: Box) => number) | undefined;
  if (red) {
    const inRed: PageGeometry = { ...geo, unit: red.unit, outWidth: red.ink.width, outHeight: red.ink.height };
    const map = pointMapper(inRed);
    redShareAt = (b: Box) => redShare(red.ink, mapBox(b, map, inRed));
  }
  const result = await ocrPage(prepared, pool, { unit: 1, redShare: redShareAt });
  return { result, geo };
}

/** A page rendered at a known resolution (a PDF page), with its size in the output unit. */
export interface RenderedImage {
  page: number;
  image: Gray;
  /** Resolution the page reads as, and the resolution it was rendered at (output unit = 72 / renderDpi per pixel). */
  dpi: number;
  renderDpi: number;
  /** Resolution the OCR heuristics assume (a photographed page is squared up to it). */
  targetDpi: number;
  width: number;
  height: number;
  red: RedInk | null;
}

/** Reads a rendered page; boxes come back in the page's own unit (points for PDF). */
export async function readRenderedPage(r: RenderedImage, pool: OcrPool): Promise<OcrPageResult> {
  const p = r.page;
  let dpi = r.dpi;
  let image = r.image;
  // A photographed page is squared up and its uneven lighting evened out, as for images.
  const rect = rectifyPage(image, r.targetDpi);
  if (rect) {
    image = rect.image;
    if (rect.dpi) dpi = rect.dpi;
  }
  const flattened = evenOut(image, rect !== null);
  const notes = photoWarnings(p, rect !== null, flattened);
  const { result, geo } = await readPiece({
    page: p, image, dpi, quarter: true,
    before: { offsetY: 0, quarter: false, decodedHeight: image.height, unit: 72 / r.renderDpi, warp: rect?.warp ?? null, outWidth: r.width, outHeight: r.height },
    red: r.red ? { ink: r.red, unit: 1 } : null,
  }, pool);
  mapBlocks(result.blocks, () => geo, () => p);
  return { ...result, warnings: [...notes, ...result.warnings], width: r.width, height: r.height };
}

/** A page as drawn in colour (RGBA, composited over white), with what readRenderedPage needs but the grey. */
export type ColourPage = Omit<RenderedImage, 'image' | 'red'> & { rgba: Uint8Array | Uint8ClampedArray; pixelWidth: number; pixelHeight: number };

/**
 * Reads a page rendered in colour: grey, with red ink (a seal on a colour scan) dropped for reading
 * and kept to judge the cells under it, then as readRenderedPage.
 */
export async function readRenderedRgba(r: ColourPage, pool: OcrPool): Promise<OcrPageResult> {
  const { rgba, pixelWidth, pixelHeight, ...rest } = r;
  const { gray, red } = dropRedInk(rgba, pixelWidth, pixelHeight, 4, r.dpi);
  return readRenderedPage({ ...rest, image: { data: gray, width: pixelWidth, height: pixelHeight }, red }, pool);
}
