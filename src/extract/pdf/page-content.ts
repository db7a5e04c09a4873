/** Reading one page: text runs, ruling lines and images from its operator list, in top-left page points. */
import type { Matrix } from './geometry.js';
import type { PdfDocument } from './load.js';
import { scanPage, type FontInfo, type OpsTable } from './scan.js';
import type { PageContent } from './types.js';
import { dropWatermarks } from './watermark.js';

/** AnnotationMode.DISABLE: annotation appearances (stamps, form fields) are not page text. */
const ANNOTATIONS_DISABLED = 0;

export async function readPage(doc: PdfDocument, pageNo: number, OPS: OpsTable): Promise<PageContent> {
  const page = await doc.getPage(pageNo);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const vt = viewport.transform as unknown as Matrix;
    const ops = await page.getOperatorList({ annotationMode: ANNOTATIONS_DISABLED });
    const fonts = new Map<string, FontInfo | null>();
    const fontOf = (id: string): FontInfo | null => {
      if (!fonts.has(id)) {
        let f: FontInfo | null = null;
        try {
          f = page.commonObjs.has(id) ? (page.commonObjs.get(id) as FontInfo) : page.objs.has(id) ? (page.objs.get(id) as FontInfo) : null;
        } catch {
          f = null;
        }
        fonts.set(id, f);
      }
      return fonts.get(id) ?? null;
    };
    const scan = scanPage(ops.fnArray, ops.argsArray, OPS, vt, fontOf);
    const width = viewport.width;
    const height = viewport.height;
    // Watermarks (text at an angle to the page's, or faint) are furniture: gone before lines are built.
    const own = dropWatermarks(scan.items, scan.fills);
    return {
      page: pageNo,
      width,
      height,
      items: own.items,
      hLines: scan.hLines,
      vLines: scan.vLines,
      imageCoverage: scan.imageArea / Math.max(1, width * height),
      curveFills: scan.curveFills,
      invisibleGlyphs: scan.invisibleGlyphs,
      fontIds: [...fonts.keys()],
      watermark: own.dropped,
    };
  } finally {
    page.cleanup();
  }
}
