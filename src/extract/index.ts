/** One extractor per format, each producing the same layout representation. */
import type { Limits } from '../intake/limits.js';
import type { Format } from '../intake/sniff.js';
import type { LayoutDocument } from '../layout/types.js';
import type { Route } from '../model/report.js';
import { extractText } from './text.js';

export interface ExtractInput {
  bytes: Uint8Array;
  format: Format;
  /** Charset named by the HTTP Content-Type, if any. */
  charset?: string | null;
  limits: Limits;
  /** Called as each page is done (PDF and images: the formats whose pages take seconds each). */
  onProgress?: (done: number, total: number) => void;
}

export interface Extracted {
  layout: LayoutDocument;
  route: Route;
}

export async function extract(input: ExtractInput): Promise<Extracted> {
  switch (input.format) {
    case 'text':
      return { layout: extractText(input.bytes, input.charset), route: 'text' };
    case 'html': {
      const { extractHtml } = await import('./html.js');
      return { layout: extractHtml(input.bytes, input.charset, input.limits), route: 'html' };
    }
    case 'docx': {
      const { extractDocx } = await import('./docx.js');
      return { layout: await extractDocx(input.bytes, input.limits), route: 'docx' };
    }
    case 'doc': {
      const { extractDoc } = await import('./doc.js');
      return { layout: await extractDoc(input.bytes, input.limits), route: 'doc' };
    }
    case 'pdf': {
      const { extractPdf } = await import('./pdf/index.js');
      const layout = await extractPdf(input.bytes, input.limits, { onProgress: input.onProgress });
      const ocrPages = layout.pages.filter((p) => p.source === 'ocr').length;
      const route: Route = ocrPages === 0 ? 'pdf-text' : ocrPages === layout.pages.length ? 'pdf-ocr' : 'pdf-mixed';
      return { layout, route };
    }
    case 'image': {
      const { extractImage } = await import('./image.js');
      return { layout: await extractImage(input.bytes, input.limits, { onProgress: input.onProgress }), route: 'image-ocr' };
    }
  }
}
