/** Reading a printed cell as a number: signs, decimals, thousands separators, units written in the cell. */
import { nfkc, remembered } from './text.js';

export interface ParsedNumber {
  value: number;
  /** Unit printed inside the cell (`251000元`), if any. */
  unit: string | null;
  /** The digits as printed, sign included, separators removed. */
  digits: string;
}

const UNIT = '(万元|元|件|条|个|人次|人|次|篇|项)';
const NUMBER_RE = new RegExp(`^([+\\-]?)(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?${UNIT}?$`);

/** Folds the printed forms of signs and digits (full-width, U+2212, en dash) to ASCII. */
export const foldNumeric = remembered((text) => nfkc(text)
  .replace(/[−–—﹣－]/g, '-')
  .replace(/\s+/g, ''));

/** Full-width digits and minus signs as ASCII, one character for one (offsets into the text stay valid). */
export function asciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[−－﹣]/g, '-');
}

/**
 * A negative number glued to the count before it at the start of `text` (2648-18538: 2648 | -18538),
 * in ASCII digits. Not a year range (2019-2020), a phone number (a count has no leading zero) or a
 * date (more digits joined on).
 */
export function signedGlue(text: string): { head: string; tail: string; length: number } | null {
  const m = /^([1-9]\d{0,5})-(\d{2,})/.exec(text);
  if (!m || /^(19|20)\d{2}$/.test(m[1]) || /^[-/:]\d/.test(text.slice(m[0].length))) return null;
  return { head: m[1], tail: `-${m[2]}`, length: m[0].length };
}

/** A unit a cell may print beside or instead of its number (件, 万元 …): no value read wrong. */
export function isUnitWord(text: string): boolean {
  return new RegExp(`^${UNIT}$`).test(foldNumeric(text));
}

export function parseNumber(text: string): ParsedNumber | null {
  const t = foldNumeric(text);
  const m = NUMBER_RE.exec(t);
  if (!m) return null;
  const sign = m[1] === '-' ? '-' : '';
  const intPart = m[2].replace(/,/g, '');
  const digits = sign + intPart + (m[3] ?? '');
  const value = Number(digits);
  if (!Number.isFinite(value)) return null;
  return { value, unit: m[4] ?? null, digits };
}

/** True for the empty cell and for what some reports print for "nothing" in a value cell: dashes, 无. */
export function isBlankText(text: string): boolean {
  return /^(?:[-/\\]*|无)$/.test(foldNumeric(text));
}

/** Page furniture that falls inside tables: `-3-`, `— 3 —`, `第3页`, `3/12`. */
export function isPageFooter(text: string): boolean {
  const t = foldNumeric(text);
  return /^-\d{1,3}-$/.test(t) || /^第\d{1,3}页(共\d{1,3}页)?$/.test(t) || /^\d{1,3}\/\d{1,3}$/.test(t);
}
