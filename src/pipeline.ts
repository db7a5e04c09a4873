/**
 * The conversion pipeline, one direction: intake (sniffing, limits) → extract (per format) →
 * layout → reconstruct (generic tables, template, canonical cells) → check (rules, confidence)
 * → the `xxgk/report@1` model. The service, the CLI and the batch command all call `convert`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { checkDraft, DEFAULT_REVIEW_THRESHOLD } from './check/index.js';
import type { RawConfidence } from './check/confidence.js';
import { extract } from './extract/index.js';
import { ConvertError } from './intake/errors.js';
import { defaultLimits, type Limits } from './intake/limits.js';
import { sniff } from './intake/sniff.js';
import { MODEL_ID, type Report } from './model/report.js';
import { reconstruct } from './reconstruct/index.js';

export interface ConvertOptions {
  filename?: string;
  /** Charset parameter of the HTTP Content-Type, if the client sent one. */
  charset?: string | null;
  limits?: Limits;
  reviewThreshold?: number;
  id?: string;
  /** Receives each cell's raw confidence and evidence group (the evaluation fits calibration on it). */
  explain?: (raw: Map<string, RawConfidence>) => void;
  /** Called as pages are done (jobs show it as progress). */
  onProgress?: (done: number, total: number | null) => void;
}

export async function convert(bytes: Uint8Array, options: ConvertOptions = {}): Promise<Report> {
  const started = performance.now();
  const limits = options.limits ?? defaultLimits;
  if (bytes.length > limits.maxBytes) {
    throw new ConvertError('TOO_LARGE', 413, `The file is ${bytes.length} bytes; the limit is ${limits.maxBytes} (XXGK_MAX_BYTES).`);
  }
  const sniffed = await sniff(bytes, options.filename, options.charset);
  // PDFs and images report each page as it is done; every format reports the total at the end.
  const { layout, route } = await extract({ bytes, format: sniffed.format, charset: options.charset, limits, onProgress: options.onProgress });
  options.onProgress?.(layout.pages.length, layout.pages.length);
  const rec = reconstruct(layout);

  const { tables, checks, summary } = checkDraft({
    tables: rec.tables, template: rec.report.template, sections: rec.sections,
    threshold: options.reviewThreshold ?? DEFAULT_REVIEW_THRESHOLD, basis: rec.basis, explain: options.explain,
  });
  return {
    model: MODEL_ID,
    id: options.id ?? randomUUID(),
    source: {
      filename: options.filename ?? 'upload',
      mediaType: sniffed.mediaType,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      pages: layout.pages.length,
      route,
      ocr: layout.ocr ?? null,
    },
    report: rec.report,
    tables,
    checks,
    genericTables: rec.genericTables,
    sections: rec.sections,
    summary,
    warnings: [...layout.warnings, ...rec.warnings],
    timings: { totalMs: Math.round(performance.now() - started), ocrMs: layout.ocrMs ?? 0 },
  };
}
