/**
 * Scanned images (PNG, JPEG, TIFF with any number of pages, WebP, BMP) read by OCR. Headers are checked
 * against the limits before any pixel is decoded; pages are read one at a time (ocr/decode.ts,
 * ocr/read-page.ts) and tables that run over page breaks are joined as for PDF. Boxes are pixels of each
 * file page as its EXIF orientation shows it (reading happens on a turned, straightened, rescaled copy;
 * ocr/transform.ts maps the boxes back; the warnings say what was done). A long strip (a captured
 * web page, stacked pages) is read in page-sized parts but keeps its one page number.
 */
import type { Limits } from '../intake/limits.js';
import type { LayoutBlock, LayoutDocument, LayoutPageInfo, LayoutWarning } from '../layout/types.js';
import { getOcrPool, type OcrPool } from './ocr/pool.js';
import { decodePage, inspectImage } from './ocr/decode.js';
import { photoWarnings } from './ocr/photo.js';
import { splitTall } from './ocr/split-tall.js';
import { isQuarterTurned, rotateGray } from './ocr/straighten.js';
import { readPiece } from './ocr/read-page.js';
import { mapBlocks, type PageGeometry } from './ocr/transform.js';
import type { DraftBlock } from '../layout/drafts.js';
import { isGridDraft, mergePages } from '../layout/merge-pages.js';

export interface ImageOptions {
  pool?: OcrPool;
  /** Called after each page is read (benchmarks, progress). */
  onPage?: (info: { page: number; ms: number; grids: number; lines: number }) => void;
  /** Called as each file page is done (a long strip counts once, after all its parts). */
  onProgress?: (done: number, total: number) => void;
}

export async function extractImage(bytes: Uint8Array, limits: Limits, options: ImageOptions = {}): Promise<LayoutDocument> {
  const started = performance.now();
  const info = await inspectImage(bytes, limits);
  const pool = options.pool ?? getOcrPool();
  const pages: LayoutPageInfo[] = [];
  const warnings: LayoutWarning[] = [];
  // Pieces (a page, or a part of a long strip) are numbered in order for the cross-page merge, then
  // every box is mapped back to its file page's own pixels.
  const perPiece: { page: number; blocks: DraftBlock[] }[] = [];
  const geometry = new Map<number, PageGeometry>();
  const fileOf = new Map<number, number>();
  let piece = 0;
  for (let i = 0; i < info.pages; i++) {
    let t0 = performance.now();
    const decoded = await decodePage(bytes, info, i);
    let whole = decoded.image;
    let quarter = false;
    if (isQuarterTurned(whole)) {
      whole = await rotateGray(whole, 90);
      quarter = true;
    }
    const parts = splitTall(whole, decoded.dpi);
    if (parts.length > 1) {
      warnings.push({ code: 'OCR_LONG_IMAGE', page: i + 1, message: `Page ${i + 1} is a long strip; it was read in ${parts.length} parts.` });
    }
    if (quarter) warnings.push({ code: 'OCR_ROTATED', page: i + 1, message: `Page ${i + 1} was turned 90° clockwise before reading.` });
    pages.push({ page: i + 1, width: decoded.oriented.width, height: decoded.oriented.height, source: 'ocr' });
    warnings.push(...photoWarnings(i + 1, decoded.warp !== null, decoded.flattened));
    let offsetY = 0;
    for (const [k, part] of parts.entries()) {
      piece++;
      if (k > 0) t0 = performance.now();
      const { result: res, geo } = await readPiece({
        page: piece, image: part, dpi: decoded.dpi, quarter: false,
        before: {
          offsetY, quarter, decodedHeight: decoded.image.height, unit: 1 / decoded.scale, warp: decoded.warp,
          outWidth: decoded.oriented.width, outHeight: decoded.oriented.height,
        },
        // Red ink was found in the file's own pixels, the frame boxes are mapped back to.
        red: decoded.red ? { ink: decoded.red, unit: 1 / decoded.scale } : null,
      }, pool);
      for (const w of res.warnings) warnings.push({ ...w, page: i + 1, message: w.message.replace(`Page ${piece}`, `Page ${i + 1}`) });
      perPiece.push({ page: piece, blocks: res.blocks });
      geometry.set(piece, geo);
      fileOf.set(piece, i + 1);
      offsetY += part.height;
      options.onPage?.({ page: piece, ms: Math.round(performance.now() - t0), grids: res.blocks.filter(isGridDraft).length, lines: res.blocks.length - res.blocks.filter(isGridDraft).length });
    }
    options.onProgress?.(i + 1, info.pages);
  }
  const merged = mergePages(perPiece);
  mapBlocks(merged, (p) => geometry.get(p)!, (p) => fileOf.get(p)!);
  const blocks: LayoutBlock[] = merged.map((b) => (isGridDraft(b) ? b.grid : b));
  if (!blocks.some((b) => b.kind === 'grid')) {
    warnings.push({ code: 'OCR_NO_TABLE', message: 'No ruled table was found in the image; only its text lines were read.' });
  }
  const used = pool.used();
  return {
    pages,
    blocks,
    warnings,
    ocr: { engine: used.engine, languages: used.languages, pages: pages.map((p) => p.page) },
    ocrMs: Math.round(performance.now() - started),
  };
}
