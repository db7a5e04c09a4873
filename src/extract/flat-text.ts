/**
 * A page body flattened onto one line, as site crawlers save a report: every tag stripped, table
 * cells separated by one space or glued with nothing between them. Line breaks delimit nothing
 * here, so the line is cut into atoms (runs of text, and the numbers a table prints) and a table
 * region is a run of atoms that holds table numbers with no sentence among them. The rest stays
 * prose: one line per sentence, with section headings on lines of their own.
 */
import type { LayoutBlock, LayoutCell, LayoutGrid, LayoutLine } from '../layout/types.js';
import { asciiDigits, signedGlue } from '../normalize/number.js';
import { toSimplified } from '../normalize/text.js';
import { sectionHeadingEndings, widestPrintedRow } from '../templates/forms.js';

type AtomKind = 'label' | 'value' | 'prose';

interface Atom {
  kind: AtomKind;
  text: string;
  /** White space stood before it in the line (prose is put back together as printed). */
  spaced?: boolean;
}

/** A number a table prints (in ASCII digits): digits, thousands separators, decimals. */
const NUMBER = /^-?[0-9]+(?:[,，][0-9]{3})*(?:[.．][0-9]+)?/;
/**
 * What follows a number in a sentence, never in a table cell: a measure word or date part (in
 * simplified characters: the next character is compared simplified), a closing bracket or quote.
 */
const PROSE_AFTER = /^[”’」』年月日时分秒号条件项个次人家位份篇期场批元万亿%‰倍天周届层户名所座页起宗例余多张块册通〕】\]）)》>:：\/A-Za-z]/;
/** What precedes a number in a sentence: an ordinal, an opening bracket or quote, a Latin word. */
const PROSE_BEFORE = /[“‘「『第〔【\[（(《<A-Za-z@.．:：\/+＋#]$/;
/** A row's numbering (1. 2、 3．) glued to the values before it: its digit belongs to the label. */
const NUMBERING_AFTER = /^[.．、](?![0-9])/;
/** Ends a sentence or clause outside parentheses (an ASCII comma is too often a label's 、). */
const CLAUSE_END = /[，。；！？;!?]/;
const OPEN = '（(';
const CLOSE = '）)';
/** A parenthesis that does not close within this many characters is a stray one. */
const MAX_PAREN_CHARS = 80;
/** A single CJK character between spaces is a letter-spaced header word (指 标 名 称). */
const SINGLE_CJK = /^[\u3400-\u9fff]$/;
/**
 * A section heading at the start of a piece of text, glued to what follows it (一、总体情况2022年…):
 * the numbering, then up to 30 characters ending in a word a section title ends in. Greedy, so
 * 五、存在的主要问题及改进情况 ends at 情况, not at 问题.
 */
const SECTION_HEAD = new RegExp(`^[一二三四五六七八九十]{1,2}[、.．][^，。；;\\s0-9（(]{2,30}(?:${sectionHeadingEndings.join('|')})`);
/** Where a section heading may start inside prose: after a sentence, a colon or a bracket. */
const HEADING_START = /(?<=^|[\s：:。；;！？）)])[一二三四五六七八九十]{1,2}[、.．]/g;
/**
 * A table region needs this many numbers, or one glued run as long as the widest row a form prints
 * (表四's one line of 15 cells) after labels of some length: less is a figure in prose (邮编350400).
 */
const MIN_REGION_VALUES = 3;
const MIN_REGION_LABEL_CHARS = 8;

/** Is the number at `start` (ending at `end`) a table value, given the text around it? */
function isTableNumber(line: string, start: number, end: number): boolean {
  const before = line.slice(Math.max(0, start - 1), start);
  // Layout text puts a space between digits and CJK (2023 年): the word after it still counts.
  const after = line.slice(end).replace(/^ /, '').slice(0, 1);
  if (PROSE_BEFORE.test(before) || PROSE_AFTER.test(after && toSimplified(after))) return false;
  // A date, time or phone number: digits joined by a dash, slash or colon to more digits
  // (2022-01-13, 0591—24315110, 08:38).
  if (/^[-−—–/:][0-9]/.test(line.slice(end, end + 2))) return false;
  return !/[0-9][-−—–]$/.test(line.slice(Math.max(0, start - 2), start));
}

/** Length of the closing-parenthesis-bounded group opening at `i`, or 0 for a stray parenthesis. */
function parenLength(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < Math.min(s.length, i + MAX_PAREN_CHARS); j++) {
    if (OPEN.includes(s[j])) depth++;
    else if (CLOSE.includes(s[j]) && --depth === 0) return j - i + 1;
  }
  return 0;
}

/** Cuts text (no table numbers in it) at clause ends outside parentheses; the end stays with its clause. */
function clauses(text: string): Atom[] {
  const out: Atom[] = [];
  let startAt = 0;
  for (let i = 0; i < text.length; i++) {
    if (OPEN.includes(text[i])) {
      const n = parenLength(text, i);
      if (n > 0) { i += n - 1; continue; }
    }
    const sentenceDot = text[i] === '.' && (i + 1 === text.length || /\s/.test(text[i + 1])) && !/[0-9]/.test(text[i - 1] ?? '');
    if (CLAUSE_END.test(text[i]) || sentenceDot) {
      out.push({ kind: 'prose', text: text.slice(startAt, i + 1) });
      startAt = i + 1;
    }
  }
  if (startAt < text.length) out.push({ kind: 'label', text: text.slice(startAt) });
  return out;
}

/**
 * One whitespace-free chunk: text and table numbers, the numbering of a row kept with its label.
 * Decisions are made on the chunk with ASCII digits (`ascii`, same length); the atoms keep the
 * printed characters.
 */
function chunkAtoms(chunk: string, next: string): Atom[] {
  const ascii = asciiDigits(chunk);
  // The next chunk's first character decides for a number at the chunk's end (2023 年).
  const context = `${ascii} ${next.slice(0, 1)}`;
  const atoms: Atom[] = [];
  let text = '';
  const flushText = () => {
    if (text) atoms.push(...clauses(text));
    text = '';
  };
  let i = 0;
  while (i < chunk.length) {
    const m = /[0-9]/.test(ascii[i]) || (ascii[i] === '-' && /[0-9]/.test(ascii[i + 1] ?? '') && i === 0)
      ? NUMBER.exec(ascii.slice(i))
      : null;
    if (!m) { text += chunk[i++]; continue; }
    let length = m[0].length;
    // A negative value glued to the one before it (行政许可281-2649): one atom, split by the tokens.
    const signed = /[0-9]/.test(ascii[i - 1] ?? '') ? null : signedGlue(ascii.slice(i));
    if (signed) length = signed.length;
    if (NUMBERING_AFTER.test(ascii.slice(i + length)) && !/[.．]/.test(m[0])) {
      // 00000002.其他… : the last digit numbers the next row; a short run alone is all numbering.
      const alone = i === 0 || !/[0-9]/.test(ascii[i - 1]);
      if ((length <= 2 && alone && text === '') || length === 1) { text += chunk.slice(i, i + length); i += length; continue; }
      length--;
    }
    if (!isTableNumber(context, i, i + length)) { text += chunk.slice(i, i + length); i += length; continue; }
    flushText();
    atoms.push({ kind: 'value', text: chunk.slice(i, i + length) });
    i += length;
  }
  flushText();
  return atoms;
}

/**
 * The atoms of a flattened line. Chunks are cut at white space, except a numbering standing alone
 * (`4. 网上申请数`) and letter-spaced header words (`指 标 名 称`), which are joined up.
 */
export function atomize(line: string): Atom[] {
  const chunks = line.split(/\s+/).filter(Boolean);
  const joined: string[] = [];
  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k];
    if (SINGLE_CJK.test(c) && SINGLE_CJK.test(chunks[k + 1] ?? '')) {
      let word = c;
      while (SINGLE_CJK.test(chunks[k + 1] ?? '')) word += chunks[++k];
      joined.push(word);
      continue;
    }
    const prev = joined.at(-1);
    if (prev !== undefined && /^[0-9]{1,2}[.．、]$/.test(prev) && !/^[0-9]/.test(c)) joined[joined.length - 1] = prev + c;
    else joined.push(c);
  }
  return joined.flatMap((c, k) => chunkAtoms(c, joined[k + 1] ?? '').map((a, i) => (i === 0 ? { ...a, spaced: true } : a)));
}

/** A line of markup text (a sentence or heading of a text file). */
export function textLine(text: string, heading?: number): LayoutLine {
  return { kind: 'line', text, page: 1, bbox: null, confidence: 1, source: 'markup', ...(heading ? { heading } : {}) };
}

/** Prose as lines: a line per sentence, and a section heading glued to its text cut onto its own. */
function proseLines(text: string): LayoutLine[] {
  const out: LayoutLine[] = [];
  for (const sentence of text.split(/(?<=[。！？；;!?])\s*/)) {
    let from = 0;
    for (const m of sentence.matchAll(HEADING_START)) {
      if (m.index < from) continue;
      const head = SECTION_HEAD.exec(sentence.slice(m.index));
      if (!head) continue;
      const before = sentence.slice(from, m.index).trim();
      if (before) out.push(textLine(before));
      out.push(textLine(head[0], 2));
      from = m.index + head[0].length;
    }
    const rest = sentence.slice(from).trim();
    if (rest) out.push(textLine(rest));
  }
  return out;
}

/** A table region as a stream grid: one cell per atom, a new row where a label follows a number. */
function regionGrid(atoms: Atom[]): LayoutGrid {
  const cells: LayoutCell[] = [];
  let row = 0;
  let col = 0;
  let cols = 0;
  atoms.forEach((a, i) => {
    if (i > 0 && a.kind === 'label' && atoms[i - 1].kind === 'value') { row++; col = 0; }
    cells.push({ row, col, rowSpan: 1, colSpan: 1, text: a.text, bbox: null, page: 1, confidence: 1 });
    cols = Math.max(cols, ++col);
  });
  return { kind: 'grid', page: 1, bbox: null, rows: row + 1, cols, cells, source: 'markup', structure: 'stream' };
}

/**
 * The blocks of a flattened line, or null when it holds no table region (it is then prose as it
 * stands). A label that opens with a section heading (二、主动公开政府信息情况第二十条…) gives the
 * heading its own line, so the report's sections are found as in any other format.
 */
export function flatLineBlocks(text: string): LayoutBlock[] | null {
  const atoms = atomize(text);
  const blocks: LayoutBlock[] = [];
  let prose = '';
  let region: Atom[] = [];
  let found = false;
  const addProse = (a: Atom) => { prose += (a.spaced && prose ? ' ' : '') + a.text; };
  const flushProse = () => {
    if (prose) blocks.push(...proseLines(prose));
    prose = '';
  };
  const closeRegion = () => {
    const values = region.filter((a) => a.kind === 'value');
    const longest = Math.max(0, ...values.map((v) => v.text.length));
    const labelChars = region.reduce((n, a) => n + (a.kind === 'label' ? a.text.length : 0), 0);
    if (values.length >= MIN_REGION_VALUES || (longest >= widestPrintedRow && labelChars >= MIN_REGION_LABEL_CHARS)) {
      flushProse();
      blocks.push(regionGrid(region));
      found = true;
    } else {
      for (const a of region) addProse(a);
    }
    region = [];
  };
  for (const a of atoms) {
    if (a.kind === 'prose') {
      closeRegion();
      addProse(a);
      continue;
    }
    const head = a.kind === 'label' ? SECTION_HEAD.exec(a.text) : null;
    if (head) {
      closeRegion();
      flushProse();
      blocks.push(textLine(head[0], 2));
      const rest = a.text.slice(head[0].length);
      if (rest) region.push({ kind: 'label', text: rest, spaced: false });
      continue;
    }
    region.push(a);
  }
  closeRegion();
  flushProse();
  return found ? blocks : null;
}
