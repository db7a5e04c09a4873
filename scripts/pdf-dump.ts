/**
 * Prints what the PDF extractor sees, for a person to check:
 *   node --import tsx scripts/pdf-dump.ts file.pdf [--json] [--max-pages N]
 * Lines are printed as `p3 L| text`; grids as a header and one row per line, cells separated by ` | `,
 * spans shown as `text⟨r2×c3⟩` (rowSpan × colSpan) and cells continued from another page marked `@p4`.
 */
import { readFile } from 'node:fs/promises';
import { extractPdf } from '../src/extract/pdf/index.js';
import type { LayoutGrid } from '../src/layout/types.js';

function gridRows(g: LayoutGrid): string[] {
  const rows: string[][] = Array.from({ length: g.rows }, () => []);
  for (const c of g.cells) {
    const span = c.rowSpan > 1 || c.colSpan > 1 ? `⟨r${c.rowSpan}×c${c.colSpan}⟩` : '';
    const pg = c.page !== g.page ? `@p${c.page}` : '';
    rows[c.row]?.push(`[${c.col}]${c.text || '·'}${span}${pg}`);
  }
  return rows.map((r, i) => `  ${String(i).padStart(3)}: ${r.join(' | ')}`);
}

async function main() {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: node --import tsx scripts/pdf-dump.ts file.pdf [--json] [--max-pages N]');
    process.exit(2);
  }
  const mp = args.indexOf('--max-pages');
  const maxPages = mp >= 0 ? Number(args[mp + 1]) : 500;
  const bytes = new Uint8Array(await readFile(file));
  const t0 = performance.now();
  const doc = await extractPdf(bytes, { maxPages });
  const ms = performance.now() - t0;
  if (args.includes('--json')) {
    console.log(JSON.stringify(doc, null, 1));
    return;
  }
  console.log(`${file}: ${doc.pages.length} pages in ${ms.toFixed(0)} ms (${((1000 * doc.pages.length) / ms).toFixed(1)} pages/s)`);
  if (doc.metaTitle) console.log(`title: ${doc.metaTitle}`);
  for (const p of doc.pages) console.log(`page ${p.page}: ${p.width}×${p.height} pt, ${p.source}`);
  for (const w of doc.warnings) console.log(`warning ${w.code}${w.page ? ` p${w.page}` : ''}: ${w.message}`);
  doc.blocks.forEach((b, i) => {
    if (b.kind === 'line') {
      console.log(`#${i} p${b.page} L| ${b.text}`);
    } else {
      const pages = [...new Set(b.cells.map((c) => c.page))].join(',');
      console.log(`#${i} p${b.page} GRID ${b.structure} ${b.rows}×${b.cols}, ${b.cells.length} cells, pages ${pages}, bbox ${JSON.stringify(b.bbox)}, continuedFrom ${b.continuedFrom ?? 'null'}`);
      for (const r of gridRows(b)) console.log(r);
    }
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? `${err.name} ${(err as { code?: string }).code ?? ''}: ${err.message}` : err);
  process.exit(1);
});
