/**
 * Fitting the values printed after a row label to the row's columns: padding cells, blanks, values
 * that are fewer than the columns, and digits of adjacent cells glued into one string.
 */
import type { Token } from './tokens.js';

/** One column's reading: the token it came from (null when it had to be inferred) and its value. */
export interface Slot {
  token: Token | null;
  value: number | null;
  text: string;
  /** Unit printed in the cell. */
  unit: string | null;
  /** How sure the placement is, before any check: 1 when the row had exactly its columns. */
  placement: number;
}

/** A way to read a row; several remain when glued digits split more than one way. */
export interface RowReading {
  slots: Slot[];
  /**
   * Why the placement is uncertain, for warnings; `empty` for a row printed with its label and no
   * value at all (every cell printed empty, nothing to place).
   */
  note?: 'overflow' | 'aligned-right' | 'short-row' | 'glued' | 'empty' | 'split-gave-up';
}

/**
 * Most ways a row's glued digits are split before giving up: the count grows combinatorially with
 * the digits (25 digits over 7 columns: 134 596 ways), and so would the time.
 */
export const MAX_SPLITS = 5000;

function slotOf(t: Token, placement: number): Slot {
  return {
    token: t,
    value: t.kind === 'number' ? t.number!.value : null,
    text: t.text,
    unit: t.number?.unit ?? null,
    placement,
  };
}

/** All ways to cut a digit string into `parts` numbers without leading zeros (a lone 0 is fine). */
export function splitDigits(digits: string, parts: number, out: string[][] = [], prefix: string[] = []): string[][] {
  if (out.length >= MAX_SPLITS) return out;
  if (parts === 1) {
    if (digits.length > 0 && (digits.length === 1 || digits[0] !== '0')) out.push([...prefix, digits]);
    return out;
  }
  const maxLen = digits.length - (parts - 1);
  for (let len = 1; len <= maxLen; len++) {
    const head = digits.slice(0, len);
    if (len > 1 && head[0] === '0') break;
    prefix.push(head);
    splitDigits(digits.slice(len), parts - 1, out, prefix);
    prefix.pop();
    if (out.length >= MAX_SPLITS) break;
  }
  return out;
}

/** Splits of several glued tokens into `total` numbers; a sign stays with the first piece of its token. */
function gluedReadings(tokens: Token[], total: number): RowReading[] {
  const pieces = tokens.map((t) => {
    const d = t.number!.digits;
    const sign = d.startsWith('-') ? '-' : '';
    return { token: t, sign, digits: d.replace('-', ''), decimal: d.includes('.') };
  });
  const readings: RowReading[] = [];
  const walk = (i: number, left: number, acc: Slot[]) => {
    if (readings.length >= MAX_SPLITS) return;
    if (i === pieces.length) {
      if (left === 0) readings.push({ slots: [...acc], note: 'glued' });
      return;
    }
    const p = pieces[i];
    const maxParts = p.decimal ? 1 : Math.min(p.digits.length, left - (pieces.length - 1 - i));
    for (let k = 1; k <= maxParts; k++) {
      for (const split of k === 1 ? [[p.digits]] : splitDigits(p.digits, k)) {
        const slots = split.map((s, j) => {
          const text = (j === 0 ? p.sign : '') + s;
          return { token: p.token, value: Number(text), text, unit: null, placement: 1 } as Slot;
        });
        walk(i + 1, left - k, [...acc, ...slots]);
      }
    }
  };
  walk(0, total, []);
  return readings;
}

/**
 * Reads the values after a row label as `ncols` columns. Returns every plausible reading; the
 * caller chooses among several with the checks. `signed(ci)` says whether column `ci` may hold a
 * negative number (本年增/减): a split that puts one elsewhere is not a reading.
 */
export function fitRow(values: Token[], ncols: number, signed: (ci: number) => boolean = () => true): RowReading[] {
  let v = values;
  // Trailing and leading empty cells are colspan padding when there are more cells than columns.
  while (v.length > ncols && v[v.length - 1].kind === 'blank') v = v.slice(0, -1);
  while (v.length > ncols && v[0].kind === 'blank') v = v.slice(1);
  if (v.length === ncols) return [{ slots: v.map((t) => slotOf(t, 1)) }];
  if (v.length < ncols && v.every((t) => t.kind === 'blank')) {
    // Fewer cells than columns and none holds a value: the row is printed empty, whichever cells it has.
    const empty: Slot = { token: null, value: null, text: '', unit: null, placement: 1 };
    return [{ slots: Array.from({ length: ncols }, (_, ci) => (v[ci] ? slotOf(v[ci], 1) : { ...empty })), note: 'empty' }];
  }
  if (v.length > ncols) {
    return [{ slots: v.slice(0, ncols).map((t) => slotOf(t, 0.4)), note: 'overflow' }];
  }
  const numbers = v.filter((t) => t.kind === 'number');
  const unreadable = v.some((t) => t.kind === 'label');
  const digitCount = numbers.reduce((n, t) => n + t.number!.digits.replace(/[-.]/g, '').length, 0);
  // Empty cells after the last number are the flattening's row padding (`| 156000035191 ||`).
  let end = v.length;
  while (end > 0 && v[end - 1].kind === 'blank') end--;
  const hasBlank = v.slice(0, end).some((t) => t.kind === 'blank');
  if (!hasBlank && !unreadable && numbers.length > 0 && digitCount >= ncols && numbers.some((t) => t.number!.digits.replace('-', '').length > 1)) {
    const all = gluedReadings(numbers, ncols);
    if (all.length >= MAX_SPLITS) {
      // Too many ways to tell apart: no value is placed rather than one of thousands guessed.
      const none: Slot = { token: numbers[0], value: null, text: '', unit: null, placement: 0 };
      return [{ slots: Array.from({ length: ncols }, () => ({ ...none })), note: 'split-gave-up' }];
    }
    const glued = all.filter((rd) => rd.slots.every((sl, ci) => sl.value === null || sl.value >= 0 || signed(ci)));
    if (glued.length > 0) return glued;
  }
  const missing = ncols - v.length;
  const structured = v.every((t) => t.structured);
  if (structured) {
    // A delimited row that lost cells: its last cell is the total column, so align to the right.
    const pad: Slot[] = Array.from({ length: missing }, () => ({
      token: null, value: null, text: '', unit: null, placement: 0.7,
    }));
    return [{ slots: [...pad, ...v.map((t) => slotOf(t, 0.7))], note: 'aligned-right' }];
  }
  const tail: Slot[] = Array.from({ length: missing }, () => ({
    token: null, value: null, text: '', unit: null, placement: 0.3,
  }));
  return [{ slots: [...v.map((t) => slotOf(t, 0.4)), ...tail], note: 'short-row' }];
}
