/**
 * What a reviewer may set a report field (agency, year, title) to, and a field's value in a report: the
 * rules the corrections route and the review screen share (no data behind them, so the browser loads them).
 */
import type { MetaKey } from '../api/wire.js';
import type { Report } from '../model/report.js';

export type FieldValue = string | number | null;

/** The bounds a reviewer's input must keep, which the review screen's own messages say in Chinese. */
export const FIELD_LIMITS = { maxText: 300, minYear: 1990, maxYear: 2100 } as const;
const { maxText: MAX_TEXT, minYear: MIN_YEAR, maxYear: MAX_YEAR } = FIELD_LIMITS;

/** The value a reviewer's input stands for, or why it cannot be saved (for a 422). */
export function fieldValue(key: MetaKey, raw: unknown): { value: FieldValue } | { error: string } {
  if (raw === null) return { value: null };
  if (key === 'report.year') {
    if (typeof raw === 'number' && Number.isInteger(raw) && raw >= MIN_YEAR && raw <= MAX_YEAR) return { value: raw };
    return { error: `The year must be a whole number from ${MIN_YEAR} to ${MAX_YEAR}, or null; got ${JSON.stringify(raw)}.` };
  }
  const text = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
  if (!text || text.length > MAX_TEXT || /[\u0000-\u001f]/.test(text)) {
    return { error: `${key === 'report.agency' ? 'The agency' : 'The title'} must be text of 1 to ${MAX_TEXT} characters, or null; got ${JSON.stringify(raw)}.` };
  }
  return { value: text };
}

/** A field's value in a report, as a correction records it. */
export function fieldOf(report: Report, key: MetaKey): FieldValue {
  return key === 'report.agency' ? report.report.agency : key === 'report.year' ? report.report.year : report.report.title;
}
