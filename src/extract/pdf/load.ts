/**
 * Opening a PDF with pdf.js (legacy build, Node): safe options, local font/CMap data, and errors mapped
 * to ConvertError. The caller must always call `close()` (it destroys the loading task and document).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConvertError } from '../../intake/errors.js';
import { defaultLimits } from '../../intake/limits.js';
import { checkStreamSizes } from './stream-budget.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

let pdfjsPromise: Promise<PdfJs> | null = null;

/**
 * pdf.js is loaded once, on first use (it is large), with its worker half: that runs on this thread
 * (the bundle registers itself as `globalThis.pdfjsWorker`), so it is loaded here under the same
 * guard instead of by pdf.js later.
 * The legacy build's core-js replaces Array.prototype.push for the whole process with a JavaScript
 * polyfill (V8 misses an edge case past 2^32 elements), which made every push in the pipeline about 8 %
 * of its time: the native push is put back once both halves are loaded.
 * Not the package's minified bundles: they load in about 0.07 s less CPU, but a 201-page PDF then took
 * about 10 % more CPU and 40 MB more memory.
 */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= (async () => {
    const push = Array.prototype.push;
    try {
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      // @ts-expect-error the worker bundle ships without type declarations
      await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
      return pdfjs;
    } finally {
      Object.defineProperty(Array.prototype, 'push', { value: push, writable: true, configurable: true, enumerable: false });
    }
  })();
  return pdfjsPromise;
}

let assetDirs: { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string } | null = null;

/** The package's own folders (local files: pdf.js never fetches anything over the network here). */
function assets() {
  if (!assetDirs) {
    const require = createRequire(import.meta.url);
    const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
    assetDirs = {
      cMapUrl: path.join(root, 'cmaps') + path.sep,
      standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
      wasmUrl: path.join(root, 'wasm') + path.sep,
    };
  }
  return assetDirs;
}

/** Images above this many pixels are dropped by pdf.js instead of decoded (we never render here). */
const MAX_IMAGE_PIXELS = 25_000_000;

export interface OpenedPdf {
  doc: PdfDocument;
  close(): Promise<void>;
  /** True when the file ends without an %%EOF marker (truncated or damaged; pdf.js may have repaired it). */
  missingEof: boolean;
}

function findBytes(hay: Uint8Array, needle: string, from: number, to: number): number {
  const n = needle.length;
  outer: for (let i = Math.max(0, from); i <= Math.min(hay.length, to) - n; i++) {
    for (let j = 0; j < n; j++) if (hay[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** Cheap checks before pdf.js sees the bytes. */
function preflight(bytes: Uint8Array): { missingEof: boolean } {
  if (bytes.length === 0) throw new ConvertError('PDF_CORRUPT', 422, 'The PDF file is empty (0 bytes).');
  if (findBytes(bytes, '%PDF-', 0, 1024) < 0) {
    throw new ConvertError('PDF_CORRUPT', 422, 'This is not a readable PDF: there is no %PDF- header in its first 1024 bytes.');
  }
  const missingEof = findBytes(bytes, '%%EOF', bytes.length - 4096, bytes.length) < 0;
  return { missingEof };
}

function mapOpenError(err: unknown, missingEof: boolean): ConvertError {
  if (err instanceof ConvertError) return err;
  const e = err as { name?: string; message?: string } | null;
  const name = e?.name ?? '';
  const msg = (e?.message ?? String(err)).replace(/[.\s]+$/, '');
  if (name === 'PasswordException') {
    return new ConvertError(
      'PDF_ENCRYPTED',
      422,
      'The PDF is encrypted and needs a password to open. Send a copy without a password (print it to a new PDF, or save it without security).',
    );
  }
  const truncated = missingEof ? ' The file looks truncated (it does not end with %%EOF): download it again.' : '';
  return new ConvertError('PDF_CORRUPT', 422, `The PDF could not be read: ${msg}.${truncated}`);
}

/** `maxStreamBytes`: most bytes one stream may decompress to (XXGK_MAX_PDF_STREAM_BYTES; see stream-budget.ts). */
export async function openPdf(input: Uint8Array, maxStreamBytes = defaultLimits.maxPdfStreamBytes): Promise<OpenedPdf> {
  const { missingEof } = preflight(input);
  checkStreamSizes(input, maxStreamBytes);
  const pdfjs = await loadPdfJs();
  // pdf.js transfers the buffer it is given to its worker: hand it a copy so the caller's bytes survive.
  const data = new Uint8Array(input);
  const task = pdfjs.getDocument({
    data,
    ...assets(),
    cMapPacked: true,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    enableXfa: false,
    // Scripting is never enabled: document JavaScript (/OpenAction /JS, /AA) is never executed.
    maxImageSize: MAX_IMAGE_PIXELS,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    fontExtraProperties: false,
    disableAutoFetch: true,
    disableStream: true,
    verbosity: 0,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await task.destroy();
    } catch {
      /* already torn down */
    }
  };
  try {
    const doc = await task.promise;
    return { doc, close, missingEof };
  } catch (err) {
    await close();
    throw mapOpenError(err, missingEof);
  }
}

/** Maps an error thrown while reading a page to PDF_CORRUPT naming the page. */
export function pageError(err: unknown, page: number, missingEof: boolean): ConvertError {
  if (err instanceof ConvertError) return err;
  const msg = ((err as { message?: string } | null)?.message ?? String(err)).replace(/[.\s]+$/, '');
  const truncated = missingEof ? ' The file looks truncated (it does not end with %%EOF): download it again.' : '';
  return new ConvertError('PDF_CORRUPT', 422, `Page ${page} of the PDF could not be read: ${msg}.${truncated}`);
}
