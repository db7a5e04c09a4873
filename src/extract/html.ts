/**
 * HTML pages: decoded by BOM, HTTP header, <meta> or detection; parsed (never rendered, never run)
 * with parse5; tables become grids with their row and column spans, everything else lines.
 * Tables that hold other tables are page layout, and are read as flow.
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import type { LayoutBlock, LayoutCell, LayoutDocument, LayoutGrid } from '../layout/types.js';
import { buildGrid, type SpanCell } from '../layout/grid.js';
import { decodeText } from './charset.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'select', 'button', 'head']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'caption', 'ul', 'br',
]);
const MAX_SPAN = 1000;
/**
 * Longer runs of text are cut into sentences (and, failing those, at spaces): no printed line is this
 * long, and the reconstruction scans every line several times, which a page body saved on one line
 * (tens of MB) must not cost.
 */
const MAX_LINE_CHARS = 2000;

/** `text` as lines of at most MAX_LINE_CHARS: whole sentences where they are short enough. */
function cutLong(text: string): string[] {
  if (text.length <= MAX_LINE_CHARS) return [text];
  const out: string[] = [];
  for (const sentence of text.split(/(?<=[。！？；!?])\s*/)) {
    let from = 0;
    while (sentence.length - from > MAX_LINE_CHARS) {
      const space = sentence.lastIndexOf(' ', from + MAX_LINE_CHARS);
      const to = space > from ? space : from + MAX_LINE_CHARS;
      out.push(sentence.slice(from, to).trim());
      from = to;
    }
    out.push(sentence.slice(from).trim());
  }
  return out.filter(Boolean);
}

/**
 * parse5 builds a text node a character at a time: a page whose body is one run of text tens of MB long
 * cost seconds of garbage collection in its tokenizer alone. Such runs, when they hold nothing parse5 would
 * change (no markup, character reference, CR or NUL), are set aside before parsing: a placeholder of
 * ordinary characters stands for the run's middle, and the text nodes get the run back.
 */
const LONG_RUN = 65536;
const PLACEHOLDER = /\uFDD0(\d+)\uFDD1/g;
/** Characters of a run kept around its placeholder: a run starting or ending in whitespace still does. */
const RUN_EDGE = 16;

function setAside(text: string): { html: string; runs: string[] } {
  const runs: string[] = [];
  if (text.length < LONG_RUN || text.includes('\uFDD0')) return { html: text, runs };
  let html = '';
  let done = 0;
  // A scan, not a regular expression: a quantified class over tens of MB overflows the regex engine's stack.
  // Runs end at markup (< > &), CR and NUL; one that begins after `<` is the inside of a tag (a long
  // attribute, an inline image's data URI), which is not text and is left alone.
  for (let start = 0, inTag = false, i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x3c;
    if (c !== 0x3c && c !== 0x3e && c !== 0x26 && c !== 0x0d && c !== 0) continue;
    // An edge of only whitespace could be the run's all: parse5 treats whitespace apart (in tables).
    if (!inTag && i - start >= LONG_RUN && /[^ \t\n\f]/.test(text.slice(start, start + RUN_EDGE))) {
      runs.push(text.slice(start + RUN_EDGE, i - RUN_EDGE));
      html += `${text.slice(done, start + RUN_EDGE)}\uFDD0${runs.length - 1}\uFDD1`;
      done = i - RUN_EDGE;
    }
    if (c === 0x3c) inTag = true;
    else if (c === 0x3e) inTag = false;
    start = i + 1;
  }
  return { html: runs.length ? html + text.slice(done) : text, runs };
}

const isElement = (n: Node): n is Element => 'tagName' in n;
const childrenOf = (n: Node): Node[] => ('childNodes' in n ? (n.childNodes as Node[]) : []);
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;

/** Charset named in the first bytes of the page (<meta charset> or http-equiv). */
function metaCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return m ? m[1] : null;
}

/** A text node's text, with the runs set aside before parsing put back. */
function nodeText(n: Node, runs: string[]): string {
  const value = (n as DefaultTreeAdapterMap['textNode']).value;
  return runs.length && value.includes('\uFDD0') ? value.replace(PLACEHOLDER, (_, i: string) => runs[Number(i)]) : value;
}

/** Text of a subtree, with line breaks where blocks and <br> break it. Iterative: pages nest deeply. */
function textOf(root: Node, runs: string[]): string {
  let out = '';
  const stack: Node[] = [...childrenOf(root)].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeName === '#text') out += nodeText(n, runs);
    else if (isElement(n)) {
      if (SKIP.has(n.tagName)) continue;
      if (BLOCK.has(n.tagName)) out += '\n';
      const kids = childrenOf(n);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }
  return out.replace(/[ \t\r\u00a0\u3000]+/g, ' ').replace(/ *\n[ \n]*/g, '\n').trim();
}

function containsTable(el: Element): boolean {
  const stack = [...childrenOf(el)];
  while (stack.length) {
    const n = stack.pop()!;
    if (isElement(n)) {
      if (n.tagName === 'table') return true;
      // A loop, not push(...): a row of 200 000 cells would overflow the call's argument stack.
      for (const c of childrenOf(n)) stack.push(c);
    }
  }
  return false;
}

/** Rows of a table element (through thead/tbody/tfoot, not into nested tables). */
function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of childrenOf(table)) {
    if (!isElement(child)) continue;
    if (child.tagName === 'tr') rows.push(child);
    else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) {
      for (const r of childrenOf(child)) if (isElement(r) && r.tagName === 'tr') rows.push(r);
    }
  }
  return rows;
}

function span(el: Element, name: string): number {
  const n = parseInt(attr(el, name) ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_SPAN) : 1;
}

function tableGrid(table: Element, runs: string[]): LayoutGrid | null {
  const rows = rowsOf(table).map((tr) =>
    childrenOf(tr).filter((c): c is Element => isElement(c) && (c.tagName === 'td' || c.tagName === 'th')).map((td) => ({
      text: textOf(td, runs),
      rowSpan: span(td, 'rowspan'),
      colSpan: span(td, 'colspan'),
      header: td.tagName === 'th',
    }) satisfies SpanCell),
  );
  if (!rows.some((r) => r.length)) return null;
  const { cells, rows: nRows, cols } = buildGrid(rows);
  const layoutCells: LayoutCell[] = cells.map((c) => ({ ...c, bbox: null, page: 1, confidence: 1 }));
  return { kind: 'grid', page: 1, bbox: null, rows: nRows, cols, cells: layoutCells, source: 'markup', structure: 'markup' };
}

const HEADING = /^h([1-6])$/;
/**
 * Whitespace runs that fold to one space: only those it changes (a lone space is left alone), since
 * String.replace builds its result out of every match: a 49 MB line took 2.5 s of CPU, nearly all GC.
 */
const SPACES = /[ \t\r\n\u00a0\u3000]{2,}|[\t\r\n\u00a0\u3000]/g;

export function extractHtml(bytes: Uint8Array, declaredCharset: string | null | undefined, limits: Limits): LayoutDocument {
  const decoded = decodeText(bytes, declaredCharset ?? metaCharset(bytes));
  const { html, runs } = setAside(decoded.text);
  const document = parse(html);
  const blocks: LayoutBlock[] = [];
  let title: string | undefined;
  let line = '';
  let heading: number | undefined;
  const flush = () => {
    const text = line.replace(SPACES, ' ').trim();
    if (text) for (const piece of cutLong(text)) blocks.push({ kind: 'line', text: piece, page: 1, bbox: null, confidence: 1, source: 'markup', ...(heading ? { heading } : {}) });
    line = '';
  };

  // Iterative walk: entering and leaving elements, so nesting depth costs no stack.
  const stack: { node: Node; leave: boolean; depth: number }[] = [{ node: document, leave: false, depth: 0 }];
  while (stack.length) {
    const { node, leave, depth } = stack.pop()!;
    if (depth > limits.maxHtmlDepth) {
      throw new ConvertError('HTML_TOO_DEEP', 422, `The HTML nests elements more than ${limits.maxHtmlDepth} deep (XXGK_MAX_HTML_DEPTH); it is not a report page.`);
    }
    if (node.nodeName === '#text') { line += nodeText(node, runs); continue; }
    if (!isElement(node)) {
      if (!leave) for (const c of [...childrenOf(node)].reverse()) stack.push({ node: c, leave: false, depth: depth + 1 });
      continue;
    }
    const tag = node.tagName;
    const h = HEADING.exec(tag);
    if (leave) {
      if (BLOCK.has(tag)) flush();
      if (h) heading = undefined;
      continue;
    }
    if (tag === 'title' && title === undefined) { title = textOf(node, runs); continue; }
    if (SKIP.has(tag)) continue;
    if (BLOCK.has(tag)) flush();
    if (tag === 'table' && !containsTable(node)) {
      const grid = tableGrid(node, runs);
      if (grid) blocks.push(grid);
      continue;
    }
    if (h) heading = Number(h[1]);
    stack.push({ node, leave: true, depth });
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], leave: false, depth: depth + 1 });
  }
  flush();
  const warnings = decoded.invalid > 0
    ? [{ code: 'INVALID_BYTES', message: `${decoded.invalid} byte sequence(s) were not valid ${decoded.encoding} and were replaced.` }]
    : [];
  return { pages: [{ page: 1, width: null, height: null, source: 'markup' }], blocks, metaTitle: title, warnings };
}
