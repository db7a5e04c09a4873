/**
 * Plain text: reports flattened by crawlers and converters. Tables come as pipe rows, tab-separated
 * rows, `pdftotext -layout` columns, or one cell per line; this finds the table regions and turns
 * them into grids, and keeps everything else as lines.
 */
import type { LayoutBlock, LayoutCell, LayoutDocument, LayoutGrid } from '../layout/types.js';
import { isPageFooter, parseNumber } from '../normalize/number.js';
import { sectionHeadingEndings } from '../templates/forms.js';
import { decodeText } from './charset.js';
import { splitCrawlHeader } from './crawl-header.js';
import { atomize, flatLineBlocks, textLine as line } from './flat-text.js';

/** `atoms`: a short line cut into cells by `atomize` (single spaces or glue): cells, but no columns. */
type LineKind = 'blank' | 'separator' | 'rowEnd' | 'row' | 'atoms' | 'cell' | 'prose';

interface ClassifiedLine {
  kind: LineKind;
  text: string;
  cells: string[];
}

const MARKDOWN_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const SECTION_HEADING = new RegExp(`^[一二三四五六七八九十]{1,2}[、.．]\\s*\\S.*(${sectionHeadingEndings.join('|')})$`);
const MAX_CELL_CHARS = 60;
const MAX_HEADER_CELL_CHARS = 30;

function splitPipes(line: string): string[] {
  let t = line.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|') && !t.endsWith('||')) t = t.slice(0, -1);
  return t.split('|').map((c) => c.trim());
}

function classify(raw: string): ClassifiedLine {
  const text = raw.replace(/\u00a0/g, ' ').replace(/[^\S\t]+$/, '');
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'blank', text: '', cells: [] };
  if (/^\|+$/.test(trimmed)) return { kind: 'rowEnd', text: trimmed, cells: [] };
  if (MARKDOWN_SEPARATOR.test(trimmed)) return { kind: 'separator', text: trimmed, cells: [] };
  if (trimmed.includes('|')) {
    const cells = splitPipes(trimmed);
    const filled = cells.filter((c) => c !== '');
    if (filled.length >= 2) return { kind: 'row', text: trimmed, cells };
    if (filled.length === 1) return { kind: 'cell', text: filled[0], cells: [filled[0]] };
  }
  if (text.includes('\t')) {
    // Every tab is a column boundary: empty fields, trailing ones too, are the row's blank cells.
    // Leading white space is indentation (a Word export's tab-indented paragraph), not cells.
    const cells = text.replace(/^\s+/, '').split('\t').map((c) => c.trim());
    if (cells.filter((c) => c !== '').length >= 2 || cells.length >= 3) return { kind: 'row', text: trimmed, cells };
  }
  if (/\S {2,}\S/.test(trimmed)) {
    const cells = trimmed.split(/ {2,}/).map((c) => c.trim());
    // Layout columns: a row of short cells with at least one number among them, or a header row of
    // short cells none of which ends a sentence (a layout header line is often wider than any cell).
    const header = cells.every((c) => c.length <= MAX_HEADER_CELL_CHARS && !/[。；;，,]$/.test(c));
    if ((cells.some((c) => parseNumber(c)) && cells.every((c) => c.length <= MAX_CELL_CHARS)) || header) {
      return { kind: 'row', text: trimmed, cells };
    }
  }
  const isProse = trimmed.length > MAX_CELL_CHARS || /[。；]$/.test(trimmed) || SECTION_HEADING.test(trimmed);
  if (!isProse && !isPageFooter(trimmed)) {
    // A short line of cells separated by single spaces or glued (规章 0 0 0, 行政规范性文件303).
    const atoms = atomize(trimmed);
    if (atoms.length >= 2 && atoms.some((a) => a.kind === 'value') && atoms.some((a) => a.kind === 'label') && !atoms.some((a) => a.kind === 'prose')) {
      return { kind: 'atoms', text: trimmed, cells: atoms.map((a) => a.text) };
    }
  }
  return { kind: isProse ? 'prose' : 'cell', text: trimmed, cells: [trimmed] };
}

function numericCount(lines: ClassifiedLine[]): number {
  let n = 0;
  for (const l of lines) for (const c of l.cells) if (parseNumber(c)) n++;
  return n;
}

/**
 * One region of table-like lines becomes one grid. Delimited lines are rows as they stand; runs of
 * single cells are cut into rows where a label follows a number (the best a flat stream allows).
 */
function buildGrid(lines: ClassifiedLine[]): LayoutGrid {
  const rows: string[][] = [];
  let stream: string[] | null = null;
  let delimitedRows = 0;
  const flush = () => {
    if (stream && stream.length) rows.push(stream);
    stream = null;
  };
  for (const l of lines) {
    if (l.kind === 'row' || l.kind === 'atoms') {
      flush();
      rows.push(l.cells.filter((c) => !isPageFooter(c)));
      if (l.kind === 'row') delimitedRows++;
    } else if (l.kind === 'rowEnd') {
      flush();
    } else if (l.kind === 'cell') {
      if (isPageFooter(l.text)) continue;
      const isNum = !!parseNumber(l.text);
      const current: string[] | null = stream;
      if (current && !isNum && current.length > 0 && parseNumber(current[current.length - 1])) flush();
      (stream ??= []).push(l.text);
    }
  }
  flush();
  const cells: LayoutCell[] = [];
  let cols = 0;
  rows.forEach((r, row) => {
    cols = Math.max(cols, r.length);
    r.forEach((text, col) =>
      cells.push({ row, col, rowSpan: 1, colSpan: 1, text, bbox: null, page: 1, confidence: 1 }),
    );
  });
  return {
    kind: 'grid',
    page: 1,
    bbox: null,
    rows: rows.length,
    cols,
    cells,
    source: 'markup',
    structure: delimitedRows * 2 >= rows.length ? 'delimited' : 'stream',
  };
}

export function layoutFromText(text: string): LayoutDocument {
  const { declared, body } = splitCrawlHeader(text.split(/\r\n|\r|\n/));
  const classified = body.map(classify);
  const blocks: LayoutBlock[] = [];
  let region: ClassifiedLine[] = [];
  const closeRegion = () => {
    // Blank lines inside a region are dropped; a region needs numbers to be a table.
    const content = region.filter((l) => l.kind !== 'blank');
    const tableLike = content.filter((l) => l.kind !== 'separator' && l.kind !== 'rowEnd');
    // …or, printed all empty, rows delimited into several cells (a tab or pipe table of blanks).
    const delimited = tableLike.filter((l) => l.kind === 'row' && l.cells.filter((c) => c !== '').length >= 2 && l.cells.length >= 3).length;
    if (tableLike.length >= 2 && (numericCount(tableLike) >= 3 || delimited >= 3)) {
      blocks.push(buildGrid(content));
    } else {
      for (const l of tableLike) blocks.push(line(l.text));
    }
    region = [];
  };
  for (const l of classified) {
    if (l.kind === 'prose') {
      closeRegion();
      // A long line may be a whole page body flattened onto it, tables and all.
      const flat = l.text.length > MAX_CELL_CHARS ? flatLineBlocks(l.text) : null;
      if (flat) blocks.push(...flat);
      else blocks.push(line(l.text, SECTION_HEADING.test(l.text) ? 2 : undefined));
    } else {
      region.push(l);
    }
  }
  closeRegion();
  return {
    pages: [{ page: 1, width: null, height: null, source: 'markup' }],
    blocks,
    warnings: [],
    ...(declared ? { declared } : {}),
  };
}

export function extractText(bytes: Uint8Array, declaredCharset?: string | null): LayoutDocument {
  const decoded = decodeText(bytes, declaredCharset);
  const doc = layoutFromText(decoded.text.replace(/^#+\s*/gm, ''));
  if (decoded.invalid > 0) {
    doc.warnings.push({
      code: 'INVALID_BYTES',
      message: `${decoded.invalid} byte sequence(s) were not valid ${decoded.encoding} and were replaced.`,
    });
  }
  return doc;
}
