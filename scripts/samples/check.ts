/**
 * Checks on the generated samples: every expected cell is printed exactly once in the page model,
 * and the DOCX (read back with mammoth) keeps every table cell, its text and its colspan/rowspan.
 */
import mammoth from 'mammoth';
import { parse } from 'parse5';
import type { Expected, Page } from './model.js';

/** Every key of the expected JSON is a value cell of the page, with the printed text; nothing else is. */
export function checkCoverage(page: Page, exp: Expected): number {
  const seen = new Map<string, string>();
  for (const b of page.blocks) {
    if (b.kind !== 'table') continue;
    for (const r of b.table.rows)
      for (const c of r) {
        if (!c.key) continue;
        if (seen.has(c.key)) throw new Error(`cell ${c.key} printed twice`);
        seen.set(c.key, c.text);
      }
  }
  for (const [key, value] of Object.entries(exp.cells)) {
    const text = seen.get(key);
    if (text === undefined) throw new Error(`expected cell ${key} is not printed`);
    const want = exp.texts?.[key] ?? (value === null ? '' : String(value));
    if (text !== want) throw new Error(`cell ${key}: printed "${text}", expected "${want}"`);
  }
  for (const key of seen.keys()) if (!(key in exp.cells)) throw new Error(`cell ${key} printed but not expected`);
  return seen.size;
}

interface Node {
  nodeName: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
}

export interface GridCell {
  text: string;
  colspan: number;
  rowspan: number;
  paragraphs: number;
  emptyParagraphs: number;
}
export type Grid = GridCell[][];

function textOf(n: Node): string {
  if (n.nodeName === '#text') return n.value ?? '';
  if (n.nodeName === 'br') return '\n';
  const inner = (n.childNodes ?? []).map(textOf).join('');
  return n.nodeName === 'p' ? inner + '\n' : inner;
}

function find(n: Node, name: string, out: Node[] = [], inside = false): Node[] {
  for (const c of n.childNodes ?? []) {
    if (c.nodeName === name && !inside) {
      out.push(c);
      find(c, name, out, true); // no nested tables expected; do not descend into them twice
    } else find(c, name, out, inside);
  }
  return out;
}

/** The tables of an HTML string as grids of cells (text normalised: trimmed, blank lines dropped). */
export function tablesOf(html: string): Grid[] {
  const doc = parse(html) as unknown as Node;
  return find(doc, 'table').map((t) =>
    find(t, 'tr').map((tr) =>
      (tr.childNodes ?? [])
        .filter((c) => c.nodeName === 'td' || c.nodeName === 'th')
        .map((c) => {
          const attr = (k: string) => Number(c.attrs?.find((a) => a.name === k)?.value ?? '1');
          const ps = find(c, 'p');
          return {
            text: textOf(c)
              .split('\n')
              .map((s) => s.trim())
              .filter(Boolean)
              .join('\n'),
            colspan: attr('colspan'),
            rowspan: attr('rowspan'),
            paragraphs: ps.length,
            emptyParagraphs: ps.filter((p) => textOf(p).trim() === '').length,
          };
        }),
    ),
  );
}

export interface DocxReport {
  tables: { cells: number; spans: number; mismatches: string[] }[];
  emptyParagraphs: number;
  multiParagraphCells: number;
  messages: string[];
  ok: boolean;
}

/** Compare the tables of the source HTML with the tables mammoth reads from the DOCX. */
export async function checkDocx(sourceHtml: string, docx: Buffer): Promise<DocxReport> {
  const res = await mammoth.convertToHtml({ buffer: docx });
  const want = tablesOf(sourceHtml);
  const got = tablesOf(res.value);
  const tables: DocxReport['tables'] = [];
  let emptyParagraphs = 0;
  let multiParagraphCells = 0;
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const w = want[i] ?? [];
    const g = got[i] ?? [];
    const mismatches: string[] = [];
    if (w.length !== g.length) mismatches.push(`rows ${g.length} ≠ ${w.length}`);
    let cells = 0;
    let spans = 0;
    g.forEach((row, r) =>
      row.forEach((c, k) => {
        cells++;
        if (c.colspan > 1 || c.rowspan > 1) spans++;
        emptyParagraphs += c.emptyParagraphs;
        if (c.paragraphs > 1) multiParagraphCells++;
        const e = w[r]?.[k];
        if (!e) mismatches.push(`extra cell [${r},${k}] "${c.text}"`);
        else if (e.text !== c.text || e.colspan !== c.colspan || e.rowspan !== c.rowspan)
          mismatches.push(`[${r},${k}] "${c.text}" ${c.colspan}×${c.rowspan} ≠ "${e.text}" ${e.colspan}×${e.rowspan}`);
      }),
    );
    w.forEach((row, r) => {
      if ((g[r]?.length ?? 0) < row.length) mismatches.push(`row ${r}: ${g[r]?.length ?? 0} cells ≠ ${row.length}`);
    });
    tables.push({ cells, spans, mismatches });
  }
  return {
    tables,
    emptyParagraphs,
    multiParagraphCells,
    messages: [...new Set(res.messages.map((m) => `${m.type}: ${m.message}`))],
    ok: want.length === got.length && tables.every((t) => t.mismatches.length === 0),
  };
}
