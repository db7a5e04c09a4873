/** What a numeric cell may hold, and the repairs OCR needs there (only where the cell is numeric). */

const LOOKALIKE: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', '〇': '0', l: '1', I: '1', '|': '1', i: '1', '丨': '1', S: '5', s: '5', B: '8', Z: '2', z: '2', g: '9' };

/** A cell that reads as a plain number (optionally signed, with separators or a decimal part). */
export const NUMBER_RE = /^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-−]?\d+(\.\d+)?$/;

export function normalizeOcrText(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/**
 * The number a numeric cell most likely prints: look-alike letters become digits, stray spaces and
 * the dots or commas OCR puts at the ends go. Null when the text is not a number even then.
 */
export function repairNumber(text: string): string | null {
  let t = normalizeOcrText(text).replace(/\s+/g, '').replace(/[—–_‐-]/g, '-');
  if (!t) return null;
  if (!/\d/.test(t) && t.length > 2) return null;
  t = [...t].map((c) => LOOKALIKE[c] ?? c).join('');
  t = t.replace(/^[.,'`]+|[.,'`]+$/g, '');
  if (/^-+$/.test(t)) return null;
  return NUMBER_RE.test(t) ? t : null;
}

/** A cell that prints only a placeholder for "none" (a dash, 无, /). */
export function isPlaceholder(text: string): boolean {
  return /^[-—–/／无\\\s]+$/.test(normalizeOcrText(text));
}
