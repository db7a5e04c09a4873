/** Limits on what one conversion may consume; every one is configurable through the environment. */
export interface Limits {
  /** Largest upload in bytes (XXGK_MAX_BYTES). */
  maxBytes: number;
  /** Most pages of a PDF or TIFF (XXGK_MAX_PAGES). */
  maxPages: number;
  /** Most pixels of one image or rendered page (XXGK_MAX_PIXELS). */
  maxPixels: number;
  /** Most bytes a DOCX may decompress to (XXGK_MAX_DECOMPRESSED_BYTES). */
  maxDecompressedBytes: number;
  /** Deepest element nesting accepted in HTML (XXGK_MAX_HTML_DEPTH). */
  maxHtmlDepth: number;
  /** Most bytes one stream of a PDF may decompress to (XXGK_MAX_PDF_STREAM_BYTES). */
  maxPdfStreamBytes: number;
}

export const defaultLimits: Limits = {
  maxBytes: 50 * 1024 * 1024,
  maxPages: 500,
  maxPixels: 100_000_000,
  maxDecompressedBytes: 200 * 1024 * 1024,
  maxHtmlDepth: 2_000,
  // Real reports' content streams are under 1 MB, embedded fonts some MB.
  maxPdfStreamBytes: 64 * 1024 * 1024,
};

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return Math.floor(n);
}

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  return {
    maxBytes: intFromEnv(env, 'XXGK_MAX_BYTES', defaultLimits.maxBytes),
    maxPages: intFromEnv(env, 'XXGK_MAX_PAGES', defaultLimits.maxPages),
    maxPixels: intFromEnv(env, 'XXGK_MAX_PIXELS', defaultLimits.maxPixels),
    maxDecompressedBytes: intFromEnv(env, 'XXGK_MAX_DECOMPRESSED_BYTES', defaultLimits.maxDecompressedBytes),
    maxHtmlDepth: intFromEnv(env, 'XXGK_MAX_HTML_DEPTH', defaultLimits.maxHtmlDepth),
    maxPdfStreamBytes: intFromEnv(env, 'XXGK_MAX_PDF_STREAM_BYTES', defaultLimits.maxPdfStreamBytes),
  };
}
