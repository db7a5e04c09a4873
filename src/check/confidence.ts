/**
 * Cell confidence: the estimated probability that a cell's value and state are what the document
 * prints. A raw estimate multiplies how the text was obtained, how sure the placement is, and what
 * the checks say (a failed check is strong evidence against OCR, weak against markup or a clean
 * text layer, where the document itself is usually what is inconsistent). The raw estimate is then
 * calibrated by histogram binning per evidence group, fitted on the training documents
 * (`npm run eval -- --fit` writes calibration.json).
 *
 * Two kinds of cell are capped under one half after calibration, whatever their group's record: a
 * cell placed by a guess (its column inferred from a count of values, or its row from a label the
 * form's structure does not confirm), and a cell the converter could not find (state `missing`). A
 * guess that happens to be right often in the training documents is still a guess.
 */
import type { CheckResult, DraftCell } from '../model/report.js';
import type { CellBasis } from '../reconstruct/canonical.js';
import fitted from './calibration.json' with { type: 'json' };

export interface ConfidenceModel {
  /** Probability that a cleanly read character string is right, by source. */
  sourceBase: { markup: number; 'text-layer': number; prose: number; manual: number };
  /** Factor applied to a cell per failed hard check it is in, by source. */
  failedCheck: { reliable: number; ocr: number };
  /** Factor per failed soft check. */
  failedSoftCheck: number;
  /** Doubt left per hard check the cell is in that holds (for exactly placed values), at most two. */
  heldCheckBoost: number;
  /** Raw confidence of a cell the document does not print: table not found, or row not found. */
  missingTable: number;
  missingRow: number;
  /** …and of a cell of a table the document titles but that could not be read. */
  unreadTable: number;
  /** Most a cell placed by a guess may score, after calibration. */
  guessCap: number;
  /** Most a cell the converter could not find (`missing`) may score, after calibration. */
  missingCap: number;
}

export const defaultModel: ConfidenceModel = {
  sourceBase: { markup: 0.9995, 'text-layer': 0.999, prose: 0.8, manual: 1 },
  failedCheck: { reliable: 0.85, ocr: 0.3 },
  failedSoftCheck: 0.97,
  heldCheckBoost: 0.5,
  missingTable: 0.9,
  missingRow: 0.5,
  unreadTable: 0.2,
  guessCap: 0.45,
  missingCap: 0.45,
};

/** Histogram-binning calibration: per evidence group, 10 bins of raw confidence with counts. */
export interface Calibration {
  fittedOn: string;
  groups: Record<string, { n: number; right: number }[]>;
}

export interface RawConfidence {
  p: number;
  /** Evidence group the calibration is fitted per: source | placement | checks. */
  group: string;
  /** Most the calibrated confidence may be (a guess, a cell not found): calibration cannot lift it. */
  cap?: number;
}

const BINS = 10;
/** Pseudo-count pulling a sparse bin's accuracy toward the raw estimate. */
const SHRINK = 5;
const calibration = fitted as Calibration;

const clamp = (n: number) => Math.min(0.9999, Math.max(0.001, n));
const round = (n: number) => Math.round(n * 10000) / 10000;

export function rawConfidence(cell: DraftCell, basis: CellBasis | undefined, checks: CheckResult[], tableFound: boolean, model = defaultModel): RawConfidence {
  if (cell.state === 'missing') {
    if (basis?.note === 'unread') return { p: model.unreadTable, group: 'missing|unread', cap: model.missingCap };
    return { p: tableFound ? model.missingRow : model.missingTable, group: `missing|${tableFound ? 'row' : 'table'}`, cap: model.missingCap };
  }
  const src = cell.evidence.source;
  let p = src === 'ocr' ? cell.evidence.ocrConfidence ?? 0.5 : model.sourceBase[src];
  const note = basis?.note ?? 'exact';
  if (basis) {
    const label = basis.labelScore >= 0.95 ? 1 : 0.5 + 0.5 * basis.labelScore;
    p *= label * basis.placement * basis.readingShare;
  }
  let held = 0;
  let failed = 0;
  let ownRowFailed = false;
  // A cell key is `${table}.${row}.${col}` (reconstruct/canonical.ts cellKey) and a column key has no
  // dot: what stands before the last dot is the row, compared whole (other. is no row of other.noCorrection.).
  const rowOf = (key: string) => key.slice(0, key.lastIndexOf('.'));
  const ownRow = rowOf(cell.key);
  for (const c of checks) {
    if (!c.cells.includes(cell.key)) continue;
    if (c.holds) { if (!c.soft) held++; continue; }
    if (!c.soft) failed++;
    if (!c.soft && c.cells.every((k) => rowOf(k) === ownRow)) ownRowFailed = true;
    p *= c.soft ? model.failedSoftCheck : src === 'ocr' ? model.failedCheck.ocr : model.failedCheck.reliable;
  }
  // A holding check confirms a reading whose place is known; it cannot tell a 0 from a shifted blank.
  if (held > 0 && failed === 0 && (note === 'exact' || note === 'glued') && p < 0.999) {
    p = 1 - (1 - p) * Math.pow(model.heldCheckBoost, Math.min(held, 2));
  }
  const checkState = failed ? 'failed' : held ? 'held' : 'none';
  // Glued digits cut to the row's count of columns are a guess where the row's own check (its total)
  // fails, or where checks fail and none holds: nothing confirms the cut.
  // An unreadable cell (glyphs that are no number) says nothing sure about what it holds.
  const guess = basis?.guess || cell.state === 'illegible' || (note === 'glued' && (ownRowFailed || (failed > 0 && held === 0)));
  return { p: clamp(p), group: `${src}|${note}|${checkState}`, ...(guess ? { cap: model.guessCap } : {}) };
}

export function calibrate(raw: RawConfidence, table: Calibration = calibration): number {
  const bins = table.groups[raw.group];
  const bin = bins?.[Math.min(BINS - 1, Math.floor(raw.p * BINS))];
  const p = !bin || bin.n === 0 ? raw.p : clamp((bin.right + SHRINK * raw.p) / (bin.n + SHRINK));
  return round(raw.cap === undefined ? p : Math.min(raw.cap, p));
}

/** Fits the calibration table from cells whose rightness is known (the training split). */
export function fitCalibration(cells: { raw: RawConfidence; right: boolean }[], fittedOn: string): Calibration {
  const groups: Calibration['groups'] = {};
  for (const { raw, right } of cells) {
    const bins = (groups[raw.group] ??= Array.from({ length: BINS }, () => ({ n: 0, right: 0 })));
    const b = bins[Math.min(BINS - 1, Math.floor(raw.p * BINS))];
    b.n++;
    if (right) b.right++;
  }
  return { fittedOn, groups };
}
