/**
 * A page of a PDF or image source as PNG, for the correction UI. It runs in a worker thread of the job
 * queue (jobs/worker.ts), never on the request thread: rendering is seconds of CPU for a large page.
 * A PDF page's size is bounded by pixels (PAGE_IMAGE_MAX_PIXELS), whatever the page's size, so its
 * memory is too.
 */
import type { Limits } from '../intake/limits.js';
import { inspectImage, openPage } from './ocr/decode.js';
import { sharpLib } from './ocr/sharp.js';

/** 144 dpi: sharp enough to read a table cell, small enough to load fast. */
const PDF_DPI = 144;
/**
 * Most pixels of a page image (A3 at 144 dpi fits): a larger page is drawn at a lower resolution.
 * Rendering holds about 9 bytes a pixel (pdf.js's RGBA canvas, its copy, the grey), so about 55 MB;
 * and pdf.js's time grows faster than the pixels (a 4000 × 4000 render took 25 s, 2000 × 2000 1 s).
 */
const PAGE_IMAGE_MAX_PIXELS = 6_000_000;

export interface PageImage {
  png: Uint8Array;
  /** Image pixels per bbox unit (PDF point or source pixel). */
  scale: number;
}

export async function renderPageImage(bytes: Uint8Array, mediaType: string, page: number, limits: Limits): Promise<PageImage> {
  if (mediaType === 'application/pdf') {
    const { renderPdfPage } = await import('./pdf/render.js');
    const r = await renderPdfPage(bytes, page, PDF_DPI, Math.min(limits.maxPixels, PAGE_IMAGE_MAX_PIXELS), limits.maxPdfStreamBytes);
    const sharp = await sharpLib();
    const { data, width, height } = r.image;
    const png = await sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 1 } }).png().toBuffer();
    return { png, scale: r.dpi / 72 };
  }
  // The extractor's own decoding (a BMP included), so every image that converts has page images. The
  // headers are checked against the limits before any pixel is decoded, as in conversion; the file's own
  // pixels are kept.
  await inspectImage(bytes, limits);
  return { png: await (await openPage(bytes, page - 1)).png().toBuffer(), scale: 1 };
}
