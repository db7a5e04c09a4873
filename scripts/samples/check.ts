/**
 * Checks on the generated samples: every expected cell is printed exactly once in the page model,
 * and the DOCX (read back by the project's own DOCX reader) keeps every table cell, its text and its
 * colspan/rowspan as the project reads them from the HTML.
 */
import { extractDocx } from '../../src/extract/docx.js';
import { extractHtml } from '../../src/extract/html.js';
import { defaultLimits } from '../../src/intake/limits.js';
import type { LayoutGrid } from '../../src/layout/types.js';
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

export interface DocxReport {
  tables: { cells: number; spans: number; mismatches: string[] }[];
  ok: boolean;
}

type Grid = LayoutGrid['cells'];
const gridsOf = (blocks: { kind: string }[]) => blocks.filter((b): b is LayoutGrid => b.kind === 'grid').map((g) => g.cells);
const squash = (t: string) => t.replace(/\s+/g, '');

/** Compare the tables the project reads from the source HTML with those it reads from the DOCX. */
export async function checkDocx(sourceHtml: string, docx: Buffer): Promise<DocxReport> {
  const want: Grid[] = gridsOf(extractHtml(Buffer.from(sourceHtml, 'utf8'), 'utf-8', defaultLimits).blocks);
  const got: Grid[] = gridsOf((await extractDocx(docx, defaultLimits)).blocks);
  const tables: DocxReport['tables'] = [];
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const w = new Map((want[i] ?? []).map((c) => [`${c.row},${c.col}`, c]));
    const g = got[i] ?? [];
    const mismatches: string[] = [];
    for (const c of g) {
      const e = w.get(`${c.row},${c.col}`);
      if (!e) mismatches.push(`extra cell [${c.row},${c.col}] "${c.text}"`);
      else if (squash(e.text) !== squash(c.text) || e.colSpan !== c.colSpan || e.rowSpan !== c.rowSpan)
        mismatches.push(`[${c.row},${c.col}] "${c.text}" ${c.colSpan}×${c.rowSpan} ≠ "${e.text}" ${e.colSpan}×${e.rowSpan}`);
      w.delete(`${c.row},${c.col}`);
    }
    for (const e of w.values()) mismatches.push(`missing cell [${e.row},${e.col}] "${e.text}"`);
    tables.push({ cells: g.length, spans: g.filter((c) => c.colSpan > 1 || c.rowSpan > 1).length, mismatches });
  }
  return { tables, ok: want.length === got.length && tables.every((t) => t.mismatches.length === 0) };
}
