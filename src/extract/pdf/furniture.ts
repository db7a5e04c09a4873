/**
 * Page furniture: page numbers (`-3-`, `- 3 -`, `第3页`, `3/6`, `Page 3`) in the top or bottom band of a
 * page, and running headers/footers (the same text in the same band on many pages). Furniture never
 * becomes a block and never enters a table.
 */
import type { VisualLine } from '../../layout/text-items.js';

const PAGE_NUMBER = [
  /^[-－—–~～_·•\s]*\d{1,4}[-－—–~～_·•\s]*$/,
  /^第\s*\d{1,4}\s*页(\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?$/,
  /^共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页$/,
  /^\d{1,4}\s*\/\s*\d{1,4}$/,
  /^page\s*\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i,
];

/** Browser print headers and footers: a date and time (top), a URL with `n/m` (bottom). */
const BROWSER_FURNITURE = [
  /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,，]?\s*(上午|下午)?\d{1,2}:\d{2}(:\d{2})?\s*([AaPp][Mm])?(\s|$)/,
  /^(https?|file):\/\/\S+(\s+\d{1,4}\s*\/\s*\d{1,4})?$/,
];

export function isBrowserFurniture(text: string): boolean {
  const t = text.trim();
  return BROWSER_FURNITURE.some((re) => re.test(t));
}

export function isPageNumberText(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= 20 && PAGE_NUMBER.some((re) => re.test(t));
}

export interface Band {
  top: boolean;
  bottom: boolean;
}

/** Top 9 % or bottom 12 % of the page. */
export function band(line: VisualLine, height: number): Band {
  return { top: line.y1 <= 0.09 * height, bottom: line.y0 >= 0.88 * height };
}

function runningKey(text: string): string {
  return text.replace(/\s+/g, '').replace(/\d+/g, '#');
}

/**
 * Marks furniture lines on every page. `pages[i]` holds the lines of page i (trusted pages only; others
 * may be empty). Returns, per page, the set of indexes of furniture lines.
 */
export function findFurniture(pages: readonly { lines: readonly VisualLine[]; height: number }[]): Set<number>[] {
  const counts = new Map<string, number>();
  const keysPerPage = pages.map((p) =>
    p.lines.map((ln) => {
      const b = band(ln, p.height);
      return b.top || b.bottom ? (b.top ? 'T:' : 'B:') + runningKey(ln.text) : null;
    }),
  );
  for (const keys of keysPerPage) {
    for (const k of new Set(keys.filter((x): x is string => x !== null))) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const nPages = pages.filter((p) => p.lines.length > 0).length;
  const minRepeat = Math.max(2, Math.ceil(0.5 * nPages));
  return pages.map((p, i) => {
    const out = new Set<number>();
    p.lines.forEach((ln, j) => {
      const b = band(ln, p.height);
      if (!b.top && !b.bottom) return;
      const key = keysPerPage[i][j];
      if (isPageNumberText(ln.text) || isBrowserFurniture(ln.text)) out.add(j);
      else if (nPages >= 3 && key && (counts.get(key) ?? 0) >= minRepeat && ln.text.length <= 60) out.add(j);
    });
    return out;
  });
}
