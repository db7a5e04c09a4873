/**
 * PDF pages → images, and OCR of chosen pages (the hook for pages whose text layer is missing or
 * untrusted). Rendering uses pdf.js with @napi-rs/canvas through `doc.canvasFactory` (a canvas from
 * any other copy of the canvas package fails inside pdf.js). OCR results come back in PDF points
 * (origin top-left), the unit of the rest of the PDF extractor, ready for its cross-page merge.
 */
import { ConvertError } from '../../intake/errors.js';
import type { Limits } from '../../intake/limits.js';
import { getOcrPool, luma, readRenderedRgba, type Gray, type OcrPageResult, type OcrPool } from '../ocr/read-page.js';
import { openPdf, pageError, type PdfDocument } from './load.js';

export interface RenderedPage {
  page: number;
  /** 8-bit gray, row-major. */
  image: Gray;
  dpi: number;
  /** Page size in points. */
  width: number;
  height: number;
}

/** A page as pdf.js drew it: RGBA pixels (the canvas's), with the page's resolution and size. */
interface RenderedRgba {
  page: number;
  rgba: Uint8ClampedArray;
  pixelWidth: number;
  pixelHeight: number;
  dpi: number;
  width: number;
  height: number;
}

interface CanvasLike {
  width: number;
  height: number;
}
interface CanvasFactoryLike {
  create(w: number, h: number): { canvas: CanvasLike; context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  destroy(entry: unknown): void;
}

/**
 * Renders one page (1-based) at `dpi` (lowered when the page would exceed `maxPixels`), as grey: the
 * page as drawn (composited over white), nothing dropped. The page images of the review UI come from
 * here; OCR drops red ink from the colour render itself (`ocrPages`).
 */
export async function renderPdfPage(source: Uint8Array | PdfDocument, pageNumber: number, dpi = 300, maxPixels = 100_000_000, maxStreamBytes?: number): Promise<RenderedPage> {
  const r = await renderRgba(source, pageNumber, dpi, maxPixels, maxStreamBytes);
  const gray = luma(r.rgba, r.pixelWidth * r.pixelHeight, 4);
  return { page: r.page, image: { data: gray, width: r.pixelWidth, height: r.pixelHeight }, dpi: r.dpi, width: r.width, height: r.height };
}

/** Renders one page (1-based) at `dpi` (lowered when the page would exceed `maxPixels`), as RGBA. */
async function renderRgba(source: Uint8Array | PdfDocument, pageNumber: number, dpi: number, maxPixels: number, maxStreamBytes?: number): Promise<RenderedRgba> {
  if (source instanceof Uint8Array) {
    const opened = await openPdf(source, maxStreamBytes);
    try {
      return await renderRgba(opened.doc, pageNumber, dpi, maxPixels);
    } finally {
      await opened.close();
    }
  }
  const doc = source;
  const page = await doc.getPage(pageNumber);
  try {
    const base = page.getViewport({ scale: 1 });
    let scale = dpi / 72;
    const px = base.width * base.height * scale * scale;
    if (px > maxPixels) scale *= Math.sqrt(maxPixels / px);
    const viewport = page.getViewport({ scale });
    const w = Math.max(1, Math.floor(viewport.width));
    const h = Math.max(1, Math.floor(viewport.height));
    const factory = (doc as unknown as { canvasFactory: CanvasFactoryLike }).canvasFactory;
    const entry = factory.create(w, h);
    try {
      await page.render({ canvasContext: entry.context as never, canvas: entry.canvas as never, viewport, background: 'rgb(255,255,255)' } as never).promise;
      const rgba = entry.context.getImageData(0, 0, w, h).data;
      return { page: pageNumber, rgba, pixelWidth: w, pixelHeight: h, dpi: scale * 72, width: base.width, height: base.height };
    } finally {
      factory.destroy(entry);
    }
  } finally {
    page.cleanup();
  }
}

/**
 * A page whose short side is outside this range (points) has a made-up size: a scan's pixels placed at
 * a density some tool guessed (tesseract writes 70 dpi for a TIFF that states none, so an A4 scan
 * becomes a 35-inch page). Such a page is read as A4: rendered so its short side gets A4's pixels.
 */
const PLAUSIBLE_SHORT_SIDE = [200, 1300];
const A4_SHORT_SIDE_PT = 595;

/** The resolution to render a page at so that it reads as `dpi` (the OCR heuristics assume `dpi`). */
function renderResolution(widthPt: number, heightPt: number, dpi: number): number {
  const short = Math.min(widthPt, heightPt);
  if (short >= PLAUSIBLE_SHORT_SIDE[0] && short <= PLAUSIBLE_SHORT_SIDE[1]) return dpi;
  return (dpi * A4_SHORT_SIDE_PT) / short;
}

export interface OcrPagesResult {
  /** One entry per requested page, in page order; boxes in PDF points. */
  pages: OcrPageResult[];
  engine: string;
  languages: string[];
  ms: number;
}

export interface OcrPagesOptions {
  dpi?: number;
  pool?: OcrPool;
  /** Called after each page is read. */
  onPage?: () => void;
}

/**
 * OCR of the given pages (1-based; empty = every page) of a PDF: render at 300 dpi (a page of made-up
 * size as A4) and hand the image to the OCR page runner (ocr/read-page.ts). Each page's blocks are LayoutLine | GridDraft in PDF
 * points (GridDraft.xs in points too), so they can be dropped into the extractor's per-page block
 * lists before `mergePages`.
 */
export async function ocrPages(bytes: Uint8Array | PdfDocument, pages: number[], limits: Pick<Limits, 'maxPages' | 'maxPixels'> & Partial<Pick<Limits, 'maxPdfStreamBytes'>>, options: OcrPagesOptions = {}): Promise<OcrPagesResult> {
  const started = performance.now();
  let opened: Awaited<ReturnType<typeof openPdf>> | null = null;
  let doc: PdfDocument;
  if (bytes instanceof Uint8Array) {
    opened = await openPdf(bytes, limits.maxPdfStreamBytes);
    doc = opened.doc;
  } else doc = bytes;
  try {
    const n = doc.numPages;
    const wanted = (pages.length ? pages : Array.from({ length: n }, (_, i) => i + 1)).filter((p) => p >= 1 && p <= n);
    if (wanted.length > limits.maxPages) {
      throw new ConvertError('TOO_MANY_PAGES', 413, `${wanted.length} pages need OCR; the limit is ${limits.maxPages} (XXGK_MAX_PAGES).`);
    }
    const pool = options.pool ?? getOcrPool();
    const out: OcrPageResult[] = [];
    for (const p of wanted) {
      let rendered: RenderedRgba;
      let dpi: number;
      try {
        const size = (await doc.getPage(p)).getViewport({ scale: 1 });
        const target = options.dpi ?? 300;
        const renderDpi = renderResolution(size.width, size.height, target);
        rendered = await renderRgba(doc, p, renderDpi, limits.maxPixels);
        dpi = target * (rendered.dpi / renderDpi); // lower when the pixel limit shrank the render
      } catch (err) {
        throw pageError(err, p, opened?.missingEof ?? false);
      }
      const { rgba, pixelWidth, pixelHeight, width, height } = rendered;
      out.push(await readRenderedRgba({ page: p, rgba, pixelWidth, pixelHeight, dpi, renderDpi: rendered.dpi, targetDpi: options.dpi ?? 300, width, height }, pool));
      options.onPage?.();
    }
    const used = pool.used();
    return { pages: out, engine: used.engine, languages: used.languages, ms: Math.round(performance.now() - started) };
  } finally {
    if (opened) await opened.close();
  }
}
