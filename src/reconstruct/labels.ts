/** Matching printed labels to the template's rows: exact, without numbering, wrapped, or near. */
import { editDistance, labelCore, matchKey, ocrFold, similarity } from '../normalize/text.js';
import type { RowDef } from '../templates/forms.js';

export interface LabelCandidate {
  row: RowDef;
  order: number;
  keys: string[];
}

export interface LabelMatch {
  candidate: LabelCandidate;
  score: number;
}

export function candidatesFor(rows: RowDef[]): LabelCandidate[] {
  return rows.map((row, order) => ({
    row,
    order,
    keys: [row.label, ...(row.variants ?? [])].map(matchKey),
  }));
}

/** Parentheticals: local guidance (规范性文件（含修订）), the form's own (部分公开（区分处理的…）). */
const PARENS = /\([^()]*\)/g;
/** Characters of parenthesised guidance that make a short label (规章, 其他) a row label. */
const MIN_SHORT_LABEL_GUIDANCE = 6;
/** A unit in parentheses (总计（件）) is a column header's, not guidance that keeps a row label. */
const UNIT_PARENS = /^\((单位:?)?(件|个|条|项|人次|元|万元)\)$/;

/** How well a printed label (already a match key) names a template label; 0 when it does not. */
export function labelScore(printed: string, label: string): number {
  if (printed === label) return 1;
  const { pc, added, bare } = printedParts(printed);
  const lc = labelCore(label);
  // Guidance a province adds in parentheses does not change the row (Hubei: 规章（含…）). A short
  // label (其他, 总计) is also a column header: only long guidance after it marks the row.
  if (added.length && !added.some((p) => UNIT_PARENS.test(p))) {
    const guidance = pc.length - bare.length - 2 * added.length;
    if (bare.length >= 2 && bare === lc.replace(PARENS, '') && (bare.length > 3 || guidance >= MIN_SHORT_LABEL_GUIDANCE)) return 0.9;
  }
  // Short labels (其他, 总计) are also column headers: only their numbered form identifies the row.
  if (lc.length <= 3) return pc === lc && pc !== printed ? 0.9 : 0;
  if (pc === lc) return 0.95;
  // A label wrapped over two cells or lines: the first part stands for the whole (half of it, or
  // twelve characters of a long one: 申请人无正当理由逾期不补正、行 / 政机关不再处理…).
  if (lc.startsWith(pc) && pc.length >= Math.max(4, Math.min(lc.length * 0.5, 12))) return 0.85;
  if (pc.startsWith(lc) && lc.length >= pc.length * 0.7) return 0.85;
  // A label read with errors keeps its numbering: 1. is not row 2. however alike the words.
  const pn = numbering(printed, pc);
  const ln = numbering(label, lc);
  if (pn && ln && pn !== ln) return 0;
  return tolerantScore(pc, lc);
}

/**
 * The printed side of labelScore, kept for the last printed key: it is scored against every label of
 * the form in turn, and a long line (a page body on one line) must not be scanned once per label.
 */
let lastPrinted: { printed: string; pc: string; added: string[]; bare: string } | null = null;
function printedParts(printed: string): { pc: string; added: string[]; bare: string } {
  if (lastPrinted?.printed !== printed) {
    const pc = labelCore(printed);
    lastPrinted = { printed, pc, added: pc.match(PARENS) ?? [], bare: pc.replace(PARENS, '') };
  }
  return lastPrinted;
}

/** The numbering a label key starts with (1. （三） 一、), as labelCore strips it. */
function numbering(key: string, core: string): string {
  return key.slice(0, key.length - core.length).replace(/^其中:?/, '');
}

/**
 * Scores under this are tolerant matches: the label was read with errors (OCR look-alikes, a character
 * dropped or misread, another wording). The row is then only as sure as the form's structure makes it:
 * gov-tables.ts accepts such a match where the row order confirms it, and otherwise marks it a guess.
 */
export const TOLERANT_MATCH = 0.85;

/** Share of character pairs two labels must have in common (Dice) to be the same one misread. */
const SHARED_BIGRAMS = 0.72;

/** Tolerant tiers, all under TOLERANT_MATCH: look-alike characters, one or two edits, shared bigrams. */
function tolerantScore(pc: string, lc: string): number {
  // Look-alikes fold one character to one, so lengths decide first what no tier can reach: two
  // edits at most, and bigrams shared by at most the shorter string (a sentence is no row label).
  const [short, long] = pc.length < lc.length ? [pc.length, lc.length] : [lc.length, pc.length];
  if (long - short > 2 && (2 * (short - 1)) / (short + long - 2) < SHARED_BIGRAMS) return 0;
  const pf = ocrFold(pc);
  const lf = ocrFold(lc);
  if (pf === lf) return 0.84;
  // One character dropped, added or misread in a label of four or more; two in a long one.
  const d = editDistance(pf, lf, 2);
  if (d === 1 && lf.length >= 4) return 0.8;
  if (d === 2 && lf.length >= 8) return 0.75;
  const s = similarity(pf, lf);
  return s >= SHARED_BIGRAMS ? Math.min(0.84, s * 0.9) : 0;
}

export function bestMatch(printedKey: string, candidates: LabelCandidate[]): LabelMatch | null {
  let best: LabelMatch | null = null;
  for (const c of candidates) {
    for (const k of c.keys) {
      const score = labelScore(printedKey, k);
      if (score > 0 && (!best || score > best.score)) best = { candidate: c, score };
    }
  }
  return best;
}

/** Group labels (三、本年度办理结果, （三）不予公开 …) are part of the row structure, not rows. */
export function isGroupLabel(printedKey: string, rows: RowDef[]): boolean {
  for (const r of rows) {
    for (const g of r.groups ?? []) {
      const gk = matchKey(g);
      if (printedKey === gk || labelCore(printedKey) === labelCore(gk)) return true;
    }
  }
  return false;
}
