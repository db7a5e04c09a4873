/**
 * Glued labels: text with its cell boundaries lost (`信息内容本年制发件数本年废止件数现行有效件数规章`,
 * a crawler's export of a table) is cut back into the form's own words. The words are every label
 * the forms print (rows, groups, captions, column headers, titles); the cut is the one that covers
 * the most characters with them, in the fewest pieces. Text no form word covers stays one piece.
 */
import { matchKey } from '../normalize/text.js';
import { formHeaderWords, templates } from '../templates/forms.js';

/** A one-character form word would cut anywhere; two characters (其他, 总计, 规章) are words. */
const MIN_WORD = 2;
/** Glued text holds at least two of the form's words; one form word inside other text is no glue. */
const MIN_KNOWN_PIECES = 2;
/** Cutting is only worth it for text longer than any single word could explain. */
const MAX_SEGMENT_INPUT = 400;

function formWords(): string[] {
  const words = new Set<string>();
  const add = (s: string | undefined) => { if (s) words.add(charKeys(s).join('')); };
  for (const t of Object.values(templates)) {
    for (const table of t.tables) {
      add(table.title);
      for (const r of table.rows) {
        add(r.label);
        // A label printed over two header levels (行政诉讼 未经复议直接起诉): each level is a word too.
        r.label.split(/\s+/).forEach(add);
        r.variants?.forEach(add);
        r.groups?.forEach(add);
        add(r.caption);
      }
      for (const c of table.columns) {
        add(c.label);
        c.variants?.forEach(add);
        c.groups?.forEach(add);
      }
    }
  }
  formHeaderWords.forEach(add);
  return [...words].filter((w) => w.length >= MIN_WORD);
}

/** Each character's match form (simplified, punctuation unified; '' for what matching ignores), cached. */
const charKey = new Map<string, string>();
function charKeys(s: string): string[] {
  return [...s].map((ch) => {
    let k = charKey.get(ch);
    if (k === undefined) charKey.set(ch, (k = matchKey(ch)));
    return k;
  });
}

/** The form's words by their first character, and the header words among them; built on first use. */
let vocabulary: { byFirst: Map<string, string[]>; headers: Set<string> } | null = null;

function words(): { byFirst: Map<string, string[]>; headers: Set<string> } {
  if (vocabulary) return vocabulary;
  const byFirst = new Map<string, string[]>();
  for (const w of formWords()) byFirst.set(w[0], [...(byFirst.get(w[0]) ?? []), w]);
  return (vocabulary = { byFirst, headers: new Set(formHeaderWords.map((w) => charKeys(w).join(''))) });
}

/**
 * The pieces of a glued label, as printed, or null when it is not glued (one form word, or no form
 * word in it at all).
 */
export function segmentLabel(text: string): string[] | null {
  const chars = [...text];
  if (chars.length > MAX_SEGMENT_INPUT) return null;
  const keys = charKeys(text);
  // The match form and, for each of its positions, the printed character it came from.
  let norm = '';
  const origin: number[] = [];
  keys.forEach((k, i) => { for (const c of k) { norm += c; origin.push(i); } });
  const n = norm.length;
  if (n < 2 * MIN_WORD) return null;
  // cost[i]: fewest uncovered characters (then fewest pieces) to cut norm[i..].
  const cost: [number, number][] = Array.from({ length: n + 1 }, () => [Infinity, Infinity]);
  const next: { end: number; known: boolean }[] = Array(n);
  cost[n] = [0, 0];
  const { byFirst: dict, headers } = words();
  for (let i = n - 1; i >= 0; i--) {
    // An uncovered character joins the piece after it when that one is uncovered too.
    const after = next[i + 1];
    const unknownPieces = i + 1 < n && after && !after.known ? cost[i + 1][1] : cost[i + 1][1] + 1;
    let best: [number, number] = [cost[i + 1][0] + 1, unknownPieces];
    let choice = { end: i + 1, known: false };
    for (const w of dict.get(norm[i]) ?? []) {
      if (!norm.startsWith(w, i)) continue;
      const c: [number, number] = [cost[i + w.length][0], cost[i + w.length][1] + 1];
      if (c[0] < best[0] || (c[0] === best[0] && c[1] < best[1])) { best = c; choice = { end: i + w.length, known: true }; }
    }
    cost[i] = best;
    next[i] = choice;
  }
  const pieces: { start: number; end: number; known: boolean }[] = [];
  for (let i = 0; i < n; ) {
    const { end, known } = next[i];
    const last = pieces.at(-1);
    if (!known && last && !last.known) last.end = end;
    else pieces.push({ start: i, end, known });
    i = end;
  }
  // One form word in other text is a label of its own (其他形式申请数, 行政复议数, 规章（含…）),
  // unless it is a header word the text is glued after (历年累计主动公开文件数). Glue leaves text the
  // forms do not print at an edge only (a note before the header, the first row after a header
  // word): form words with other text between them are a local label (其他主动公开文件（部门规范性文件等）).
  const opensWithHeader = pieces[0].known && headers.has(norm.slice(pieces[0].start, pieces[0].end));
  if (pieces.length < 2 || (pieces.filter((p) => p.known).length < MIN_KNOWN_PIECES && !opensWithHeader)) return null;
  if (pieces.slice(1, -1).some((p) => !p.known)) return null;
  // Back to printed characters: a piece runs to where the next one starts.
  const starts = pieces.map((p) => origin[p.start]);
  return starts.map((s, k) => chars.slice(k === 0 ? 0 : s, k + 1 < starts.length ? starts[k + 1] : chars.length).join('').trim()).filter(Boolean);
}
