/** The document-level summary of a conversion. */
import type { CanonicalTable, CheckResult, Report } from '../model/report.js';

/** Cells under this confidence are counted as needing review (XXGK_REVIEW_THRESHOLD). */
export const DEFAULT_REVIEW_THRESHOLD = 0.9;

export function summarise(tables: CanonicalTable[], checks: CheckResult[], threshold = DEFAULT_REVIEW_THRESHOLD): Report['summary'] {
  const cells = tables.flatMap((t) => t.cells);
  const printed = cells.filter((c) => c.state !== 'missing');
  // Probability that every cell is right, taking cells as independent.
  const logP = printed.reduce((s, c) => s + Math.log(Math.max(c.confidence, 1e-6)), 0);
  return {
    cells: cells.length,
    filled: cells.filter((c) => c.state === 'number').length,
    lowConfidence: printed.filter((c) => c.confidence < threshold).length,
    checksFailed: checks.filter((c) => !c.holds && !c.soft).length,
    confidence: printed.length ? Math.round(Math.exp(logP) * 10000) / 10000 : 0,
  };
}
