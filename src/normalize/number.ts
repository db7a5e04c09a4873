/** Reading a printed cell as a number: signs, decimals, thousands separators, units written in the cell. */
import { nfkc } from './text.js';

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
export function foldNumeric(text: string): string {
  return nfkc(text)
    .replace(/[−–—﹣－]/g, '-')
    .replace(/\s+/g, '');
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
