/** What a numeric cell may hold, and the repairs OCR needs there (only where the cell is numeric). */

/**
 * Letters and signs OCR reads for digits. Zero comes back as the CJK 〇 (a lone 0 among Chinese text
 * is read as a character), a circle, or a Latin, Greek or Cyrillic O.
 */
/** Characters that print a zero in a number (〇, circles, Latin/Greek/Cyrillic O, full-width O). */
export const ZERO_LIKE = ['〇', '○', '◯', 'O', 'o', 'Ο', 'ο', 'О', 'о', 'Ｏ', 'ｏ'];

const LOOKALIKE: Record<string, string> = {
  ...Object.fromEntries(ZERO_LIKE.map((c) => [c, '0'])),
  // Letters OCR reads for a printed 0 (not zeros as printed).
  D: '0', Q: '0',
  l: '1', I: '1', '|': '1', i: '1', '丨': '1', S: '5', s: '5', B: '8', Z: '2', z: '2', g: '9',
};

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

/** A cell's reading as the grid holds it, for deciding which cells are numeric. */
export interface GridReading {
  row: number;
  col: number;
  text: string;
}

/** The cell reads as a number (after repair) or as a placeholder for none. */
export function readsAsNumber(text: string): boolean {
  return repairNumber(text) !== null || isPlaceholder(text);
}

/**
 * The rows and columns of a grid that hold numbers: most of their non-empty cells read as numbers
 * (look-alikes repaired), and at least two do. Either is evidence that a cell there is a value, not a
 * label: a column of 表三 has one label and many values, but 表四 prints one row of values under header
 * cells (its columns hold one value each), and a table continued over a page break may bring a
 * single row of values to the next page.
 */
export function numericLines(cells: readonly GridReading[]): { rows: Set<number>; cols: Set<number> } {
  const tally = (key: (c: GridReading) => number) => {
    const out = new Set<number>();
    const by = new Map<number, { n: number; nums: number }>();
    for (const c of cells) {
      if (c.text === '') continue;
      const t = by.get(key(c)) ?? { n: 0, nums: 0 };
      t.n++;
      if (readsAsNumber(c.text)) t.nums++;
      by.set(key(c), t);
    }
    for (const [k, t] of by) if (t.nums >= Math.max(2, t.n * 0.5)) out.add(k);
    return out;
  };
  return { rows: tally((c) => c.row), cols: tally((c) => c.col) };
}
