/**
 * The reconstruction reads the document as one stream of tokens: every grid cell (row by row) and
 * every line, in reading order, each knowing where it came from. Label matching walks this stream,
 * which works the same whether a table arrived as markup, ruled PDF cells or flattened text.
 */
import type { BBox, LayoutDocument, TextSource } from '../layout/types.js';
import { foldNumeric, isBlankText, isPageFooter, isUnitWord, parseNumber, signedGlue, type ParsedNumber } from '../normalize/number.js';
import { matchKey } from '../normalize/text.js';
import { segmentLabel } from './segment.js';

export interface TokenOrigin {
  /** Index into the generic tables, or null for a line outside any table. */
  table: number | null;
  row: number;
  col: number;
  page: number;
  bbox: BBox | null;
  source: TextSource;
  confidence: number;
}

export interface Token {
  text: string;
  /** Normalised form for label matching (empty for numbers and blanks). */
  key: string;
  kind: 'number' | 'blank' | 'label';
  number: ParsedNumber | null;
  /** The token closes a row whose cells are known (markup, ruled or delimited grids). */
  rowEnd: boolean;
  /** The token's grid keeps empty cells and column positions (blank tokens are meaningful). */
  structured: boolean;
  /**
   * A label where values stand in a grid that keeps its cells: its column holds numbers in other
   * rows, or its row is mostly numbers (表四's one value row). Set by `tokenize`.
   */
  amongValues?: boolean;
  origin: TokenOrigin;
}

function makeToken(text: string, origin: TokenOrigin, structured: boolean): Token {
  const number = parseNumber(text);
  const kind = number ? 'number' : isBlankText(text) ? 'blank' : 'label';
  return { text, key: kind === 'label' ? matchKey(text) : '', kind, number, rowEnd: false, structured, origin };
}

const DASH = /[-−–—﹣－]/;

/**
 * A table cell's tokens: one, or two when a signed number is glued to the digits before it. The
 * second keeps its sign; fit.ts splits its digits further against the columns that may be negative.
 * In a stream (text whose cell boundaries are lost) a label glued from several of the form's words
 * is one token per word.
 */
function cellTokens(text: string, origin: TokenOrigin, structured: boolean): Token[] {
  if (!structured && !parseNumber(text)) {
    const pieces = segmentLabel(text);
    if (pieces) return pieces.map((p) => makeToken(p, origin, structured));
  }
  // A negative number glued to the cell before it (`2648-18538`): two tokens, split at the sign.
  const folded = DASH.test(text) ? foldNumeric(text) : '';
  const g = folded ? signedGlue(folded) : null;
  if (!g || g.length !== folded.length) return [makeToken(text, origin, structured)];
  return [makeToken(g.head, origin, structured), makeToken(g.tail, origin, structured)];
}

/**
 * `gridIndex` maps a block index to its generic-table index. Blank cells are kept only where the
 * grid keeps them (a flat stream has none); page footers are dropped everywhere.
 */
/** Marks the labels of one grid that stand where values do (see `Token.amongValues`). */
function markAmongValues(grid: Token[]): void {
  const numericCols = new Set(grid.filter((t) => t.kind === 'number').map((t) => t.origin.col));
  const rows = new Map<number, { numbers: number; labels: number }>();
  for (const t of grid) {
    const r = rows.get(t.origin.row) ?? { numbers: 0, labels: 0 };
    if (t.kind === 'number') r.numbers++;
    if (t.kind === 'label') r.labels++;
    rows.set(t.origin.row, r);
  }
  for (const t of grid) {
    if (t.kind !== 'label') continue;
    const r = rows.get(t.origin.row)!;
    t.amongValues = numericCols.has(t.origin.col) || r.numbers > r.labels;
  }
}

export function tokenize(doc: LayoutDocument, gridIndex: Map<number, number>): Token[] {
  const tokens: Token[] = [];
  doc.blocks.forEach((block, bi) => {
    if (block.kind === 'line') {
      if (isPageFooter(block.text)) return;
      const t = makeToken(block.text, {
        table: null, row: 0, col: 0, page: block.page, bbox: block.bbox, source: block.source, confidence: block.confidence,
      }, false);
      t.rowEnd = true;
      if (t.kind !== 'blank') tokens.push(t);
      return;
    }
    const structured = block.structure !== 'stream';
    const firstOfGrid = tokens.length;
    const byRow = new Map<number, typeof block.cells>();
    for (const c of block.cells) {
      const list = byRow.get(c.row) ?? [];
      list.push(c);
      byRow.set(c.row, list);
    }
    const rows = [...byRow.keys()].sort((a, b) => a - b);
    for (const r of rows) {
      const cells = byRow.get(r)!.sort((a, b) => a.col - b.col);
      let last: Token | null = null;
      let previousText: string | null = null;
      for (const c of cells) {
        if (isPageFooter(c.text)) continue;
        // A merged label cell filled into every column it spans (a spreadsheet's or pandas' TSV) is
        // one cell: its copies are dropped. Values repeat legitimately and are kept.
        const repeated = structured && c.text.trim() === previousText && !parseNumber(c.text) && !isBlankText(c.text);
        previousText = c.text.trim();
        if (repeated) continue;
        for (const t of cellTokens(c.text, {
          table: gridIndex.get(bi) ?? null, row: c.row, col: c.col, page: c.page, bbox: c.bbox,
          source: block.source, confidence: c.confidence,
        }, structured)) {
          if (t.kind === 'blank' && !structured) continue;
          tokens.push(t);
          last = t;
        }
      }
      if (last && structured) last.rowEnd = true;
    }
    if (structured) markAmongValues(tokens.slice(firstOfGrid));
  });
  return tokens;
}

/** Digits and what OCR or print makes of them (〇, O, l, |): the marks of a number attempted. */
const NUMBER_MARK = /[0-9０-９〇○◯OoDlI|]/;

/**
 * A label cell in a value position that tries to be a number (a digit or its look-alike in it) and
 * is no unit: a value read wrong (仅供参考0, 〇, l0). Header words in value columns are not.
 */
export function unreadableValue(t: Token): boolean {
  return t.kind === 'label' && !!t.amongValues && NUMBER_MARK.test(t.text) && !isUnitWord(t.text);
}
