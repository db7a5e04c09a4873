/**
 * Page images for the correction UI: a PDF page rendered with pdf.js, or an image's page, as PNG,
 * rendered on demand and cached beside the upload. `X-Page-Scale` gives image pixels per bbox unit
 * (bboxes are PDF points for PDFs, pixels for images), so cells can be outlined on the image.
 */
import { Router } from 'express';
import { PAGE_SCALE_HEADER } from '../../api/wire.js';
import { sharpLib } from '../../extract/ocr/sharp.js';
import { ConvertError } from '../../intake/errors.js';
import type { Limits } from '../../intake/limits.js';
import type { ServiceContext } from '../context.js';

/** 144 dpi: sharp enough to read a table cell, small enough to load fast. */
const PDF_DPI = 144;
let rendering: Promise<unknown> = Promise.resolve();

/** One render at a time: rendering is CPU work on the request thread. */
function serialised<T>(work: () => Promise<T>): Promise<T> {
  const next = rendering.then(work, work);
  rendering = next.catch(() => undefined);
  return next;
}

async function renderPage(bytes: Buffer, mediaType: string, page: number, limits: Limits): Promise<{ png: Buffer; scale: number }> {
  if (mediaType === 'application/pdf') {
    const { renderPdfPage } = await import('../../extract/pdf/render.js');
    // A Buffer is a Uint8Array, and openPdf hands pdf.js its own copy: no copy here.
    const r = await renderPdfPage(bytes, page, PDF_DPI, limits.maxPixels);
    // Loaded here, not at start (sharpLib loads it on first use): sharp costs the service's cold start a quarter of a second.
    const sharp = await sharpLib();
    const png = await sharp(Buffer.from(r.image.data), { raw: { width: r.image.width, height: r.image.height, channels: 1 } }).png().toBuffer();
    return { png, scale: r.dpi / 72 };
  }
  // The extractor's own decoding (a BMP included), so every image that converts has page images.
  const { inspectImage, openPage } = await import('../../extract/ocr/decode.js');
  // The headers are checked against the limits before any pixel is decoded, as in conversion.
  await inspectImage(bytes, limits);
  const png = await (await openPage(bytes, page - 1)).png().toBuffer();
  return { png, scale: 1 };
}

export function pagesRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/v1/results/:id/pages/:file', async (req, res) => {
    const stored = await ctx.visibleResult(req, res);
    if (!stored) return;
    const m = /^(\d{1,5})\.png$/.exec(String(req.params.file));
    const page = m ? Number(m[1]) : NaN;
    const { source } = stored.report;
    if (!m || page < 1 || page > source.pages) throw new ConvertError('PAGE_NOT_FOUND', 404, `The document has pages 1 to ${source.pages}; ask for /pages/<n>.png.`);
    if (!['pdf-text', 'pdf-ocr', 'pdf-mixed', 'image-ocr'].includes(source.route)) {
      throw new ConvertError('NO_PAGE_IMAGE', 404, `A ${source.route} document has no page images; its cells have no boxes to show.`);
    }
    const name = `page-${page}.png`;
    let png = await ctx.files.getDerived(stored.sha256, name);
    let scale = Number((await ctx.files.getDerived(stored.sha256, `${name}.scale`))?.toString() ?? NaN);
    if (!png || !Number.isFinite(scale)) {
      const bytes = await ctx.files.get(stored.sha256);
      if (!bytes) throw new ConvertError('UPLOAD_LOST', 410, 'The uploaded file is no longer in the store.');
      const r = await serialised(() => renderPage(bytes, source.mediaType, page, ctx.config.limits));
      png = r.png;
      scale = r.scale;
      await ctx.files.putDerived(stored.sha256, name, png);
      await ctx.files.putDerived(stored.sha256, `${name}.scale`, Buffer.from(String(scale)));
    }
    res.setHeader(PAGE_SCALE_HEADER, String(scale));
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.type('image/png').send(png);
  });
  return router;
}
