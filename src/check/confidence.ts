/**
 * Cell confidence: the estimated probability that a cell's value and state are what the document
 * prints. It multiplies how the text was obtained, how sure the placement is, and what the checks
 * say, weighting a failed check by how the cell was read (strong evidence against OCR, weak against
 * markup or a clean text layer, where the document itself is usually what is inconsistent).
 */
import type { CanonicalCell, CheckResult } from '../model/report.js';
import type { CellBasis } from '../reconstruct/canonical.js';

export interface ConfidenceModel {
  /** Probability that a cleanly read character string is right, by source. */
  sourceBase: { markup: number; 'text-layer': number; prose: number; manual: number };
  /** Factor applied to a cell per failed hard check it is in, by source. */
  failedCheck: { reliable: number; ocr: number };
  /** Factor per failed soft check. */
  failedSoftCheck: number;
  /** Factor per hard check the cell is in that holds (independent confirmation), capped. */
  heldCheckBoost: number;
  /** Confidence of a cell that the document does not print, for a table not found at all. */
  missingTable: number;
  missingRow: number;
}

export const defaultModel: ConfidenceModel = {
  sourceBase: { markup: 0.9995, 'text-layer': 0.999, prose: 0.8, manual: 1 },
  failedCheck: { reliable: 0.85, ocr: 0.3 },
  failedSoftCheck: 0.97,
  heldCheckBoost: 0.5,
  missingTable: 0.9,
  missingRow: 0.5,
};

const clamp = (n: number) => Math.min(0.9999, Math.max(0.001, n));
const round = (n: number) => Math.round(n * 10000) / 10000;

export function cellConfidence(cell: CanonicalCell, basis: CellBasis | undefined, checks: CheckResult[], tableFound: boolean, model = defaultModel): number {
  if (cell.state === 'missing') return tableFound ? model.missingRow : model.missingTable;
  const src = cell.evidence.source;
  let p = src === 'ocr' ? cell.evidence.ocrConfidence ?? 0.5 : model.sourceBase[src];
  if (basis) {
    const label = basis.labelScore >= 0.95 ? 1 : 0.5 + 0.5 * basis.labelScore;
    p *= label * basis.placement * basis.readingShare;
  }
  let held = 0;
  for (const c of checks) {
    if (!c.cells.includes(cell.key)) continue;
    if (c.holds) { if (!c.soft) held++; continue; }
    p *= c.soft ? model.failedSoftCheck : src === 'ocr' ? model.failedCheck.ocr : model.failedCheck.reliable;
  }
  // A check that holds confirms an uncertain reading: shrink its doubt.
  if (held > 0 && p < 0.999) p = 1 - (1 - p) * Math.pow(model.heldCheckBoost, Math.min(held, 2));
  return round(clamp(p));
}
