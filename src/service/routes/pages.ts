/**
 * Page images for the correction UI: a PDF page rendered with pdf.js, or an image's page, as PNG,
 * rendered on demand off the request thread (the job queue's page worker, extract/page-image.ts) and
 * cached beside the upload. `X-Page-Scale` gives image pixels per bbox unit (bboxes are PDF points for
 * PDFs, pixels for images), so cells can be outlined on the image.
 */
import { Router } from 'express';
import { PAGE_SCALE_HEADER } from '../../api/wire.js';
import { ConvertError } from '../../intake/errors.js';
import type { ServiceContext } from '../context.js';

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
      const r = await ctx.queue.renderPage(bytes, source.mediaType, page);
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
