/**
 * PDF extractor: text layer and ruling lines from pdf.js → LayoutDocument.
 *
 * Per page: text items (NFKC, top-left page points), ruled tables (grid.ts), furniture (furniture.ts),
 * borderless tables (borderless.ts) and the remaining text as one LayoutLine per visual line. Pages whose
 * text layer fails the verdict (verdict.ts) are rendered and read by OCR (render.ts), with `source: 'ocr'`
 * and a PAGE_OCR warning saying why. Text and OCR pages then go through the same merge of tables
 * continued over page breaks (merge-pages.ts documents the convention). pdf.js is always destroyed.
 */
import { ConvertError } from '../../intake/errors.js';
import type { Limits } from '../../intake/limits.js';
import type { LayoutBlock, LayoutDocument, LayoutLine, LayoutPageInfo, LayoutWarning } from '../../layout/types.js';
import { findAlignedTables } from '../../layout/borderless.js';
import { findFurniture } from './furniture.js';
import { normalizeText } from './normalize.js';
import { cellIndexAt, fillTable, findRuledTables, tableContains, type RuledTable } from './grid.js';
import { loadPdfJs, openPdf, pageError, type OpenedPdf, type PdfDocument } from './load.js';
import { isGridDraft, mergePages } from '../../layout/merge-pages.js';
import { readPage } from './page-content.js';
import type { OpsTable } from './scan.js';
import { groupLines } from '../../layout/lines.js';
import type { Rule } from '../../layout/rule-grid.js';
import type { DraftBlock, GridDraft } from '../../layout/drafts.js';
import { r2 } from '../../layout/stats.js';
import type { TextItem, VisualLine } from '../../layout/text-items.js';
import { judgePage } from './verdict.js';

export type PdfLimits = Pick<Limits, 'maxPages' | 'maxPixels'> & Partial<Pick<Limits, 'maxPdfStreamBytes'>>;

interface TrustedPage {
  page: number;
  height: number;
  grids: GridDraft[];
  freeLines: VisualLine[];
}

export interface PdfOptions {
  /** Read untrusted pages by OCR (default). Off, they are only reported: the verdict alone. */
  ocr?: boolean;
  /** Fonts pdf.js may hold parsed before its caches are dropped (default FONT_CACHE_LIMIT). */
  fontCacheLimit?: number;
  /** Called as each page is done: a text page when laid out, a scanned page when read by OCR. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * pdf.js keeps every font it parsed until the document is closed. A long report shares a few fonts, but
 * a compilation of reports embeds its own subsets per part (Chrome: a hundred per page), and holding
 * them all grows the heap by about 1.5 MB a page. Past this many distinct fonts since the last drop, the
 * caches are dropped; a font needed again is parsed again, which a one-font-set document never does.
 */
const FONT_CACHE_LIMIT = 256;

/** The document's own title (Info dictionary), when it has one. */
async function metadataTitle(doc: PdfDocument): Promise<string | undefined> {
  try {
    const md = await doc.getMetadata();
    const t = (md.info as { Title?: unknown } | null)?.Title;
    if (typeof t === 'string' && t.trim()) return normalizeText(t).trim();
  } catch {
    /* metadata is optional */
  }
  return undefined;
}

/** Every page's text layer judged (`pages[].source`), and the trusted ones laid out. */
interface TextPages {
  pages: LayoutPageInfo[];
  trusted: TrustedPage[];
  warnings: LayoutWarning[];
}

async function readTextPages(opened: OpenedPdf, withOcr: boolean, fontCacheLimit: number, pageDone: () => void): Promise<TextPages> {
  const { doc } = opened;
  const { OPS } = await loadPdfJs();
  const out: TextPages = { pages: [], trusted: [], warnings: [] };
  let cachedFonts = new Set<string>();
  const watermarked: number[] = [];
  let watermarkText = '';
  for (let p = 1; p <= doc.numPages; p++) {
    let content;
    try {
      content = await readPage(doc, p, OPS as unknown as OpsTable);
    } catch (err) {
      throw pageError(err, p, opened.missingEof);
    }
    for (const id of content.fontIds) cachedFonts.add(id);
    if (cachedFonts.size > fontCacheLimit) {
      await doc.cleanup();
      cachedFonts = new Set();
    }
    if (content.watermark) {
      watermarked.push(p);
      watermarkText ||= content.watermark.text;
    }
    const verdict = judgePage(content);
    out.pages.push({ page: p, width: r2(content.width), height: r2(content.height), source: verdict.trusted ? 'text-layer' : 'ocr' });
    if (!verdict.trusted) {
      out.warnings.push(withOcr
        ? { code: 'PAGE_OCR', page: p, message: `Page ${p}: the text layer cannot be trusted (${verdict.reason}); the page was read by OCR.` }
        : { code: 'PAGE_NEEDS_OCR', page: p, message: `Page ${p}: the text layer cannot be trusted (${verdict.reason}); the page needs OCR.` });
      // Without OCR the page is done here (with OCR it counts once it is read).
      if (!withOcr) pageDone();
      continue;
    }
    out.trusted.push(layoutPage(content.page, content.height, content.items, content.hLines, content.vLines));
    pageDone();
  }
  if (watermarked.length) {
    out.warnings.push({
      code: 'PDF_WATERMARK',
      message: `Text drawn at an angle to the page or too faint to be content (a watermark such as “${watermarkText}”) was left out on ${watermarked.length === 1 ? `page ${watermarked[0]}` : `${watermarked.length} pages`}.`,
    });
  }
  return out;
}

/** A trusted page's blocks in reading order: its ruled grids, borderless tables and the lines left. */
function pageBlocks(t: TrustedPage, lines: VisualLine[]): { page: number; blocks: DraftBlock[] } {
  const aligned = findAlignedTables(lines, t.page);
  const used = new Set<VisualLine>(aligned.flatMap((a) => a.lines));
  const blocks: { top: number; left: number; block: DraftBlock }[] = [];
  for (const g of t.grids) blocks.push({ top: g.grid.bbox![1], left: g.grid.bbox![0], block: g });
  for (const a of aligned) {
    blocks.push({
      top: a.bbox[1],
      left: a.bbox[0],
      block: {
        grid: { kind: 'grid', page: t.page, bbox: a.bbox, rows: a.ys.length - 1, cols: a.xs.length - 1, cells: a.cells, source: 'text-layer', structure: 'aligned', continuedFrom: null },
        xs: a.xs,
        lastXs: a.xs,
        lastPage: t.page,
      },
    });
  }
  for (const ln of lines) {
    if (used.has(ln)) continue;
    const line: LayoutLine = { kind: 'line', text: ln.text, page: t.page, bbox: [r2(ln.x0), r2(ln.y0), r2(ln.x1), r2(ln.y1)], confidence: 1, source: 'text-layer' };
    blocks.push({ top: ln.y0, left: ln.x0, block: line });
  }
  blocks.sort((a, b) => a.top - b.top || a.left - b.left);
  return { page: t.page, blocks: blocks.map((b) => b.block) };
}

export async function extractPdf(bytes: Uint8Array, limits: PdfLimits, options: PdfOptions = {}): Promise<LayoutDocument> {
  const withOcr = options.ocr ?? true;
  const opened = await openPdf(bytes, limits.maxPdfStreamBytes);
  try {
    const { doc } = opened;
    const n = doc.numPages;
    if (!n) throw new ConvertError('PDF_NO_PAGES', 422, 'The PDF has no pages.');
    if (n > limits.maxPages) {
      throw new ConvertError('TOO_MANY_PAGES', 413, `The PDF has ${n} pages; the limit is ${limits.maxPages} (XXGK_MAX_PAGES)`);
    }
    const warnings: LayoutWarning[] = [];
    if (opened.missingEof) {
      warnings.push({ code: 'PDF_REPAIRED', message: 'The PDF does not end with %%EOF (truncated or damaged); it was read as far as possible.' });
    }
    const metaTitle = await metadataTitle(doc);
    let done = 0;
    const pageDone = () => options.onProgress?.(++done, n);
    const text = await readTextPages(opened, withOcr, options.fontCacheLimit ?? FONT_CACHE_LIMIT, pageDone);
    warnings.push(...text.warnings);

    // Furniture (page numbers, running headers) over all trusted pages, then borderless tables and lines.
    const furniture = findFurniture(text.trusted.map((t) => ({ lines: t.freeLines, height: t.height })));
    const perPage = text.trusted.map((t, i) => pageBlocks(t, t.freeLines.filter((_, j) => !furniture[i].has(j))));
    const untrusted = text.pages.filter((p) => p.source === 'ocr').map((p) => p.page);
    let ocr: LayoutDocument['ocr'] = null;
    let ocrMs = 0;
    if (untrusted.length && withOcr) {
      const { ocrPages } = await import('./render.js');
      const read = await ocrPages(doc, untrusted, limits, { onPage: pageDone });
      for (const p of read.pages) {
        perPage.push({ page: p.page, blocks: p.blocks });
        warnings.push(...p.warnings);
      }
      perPage.sort((a, b) => a.page - b.page);
      ocr = { engine: read.engine, languages: read.languages, pages: untrusted };
      ocrMs = read.ms;
    }
    const merged = mergePages(perPage);
    const out: LayoutBlock[] = merged.map((b) => (isGridDraft(b) ? b.grid : b));
    const result: LayoutDocument = { pages: text.pages, blocks: out, warnings, ocr, ocrMs };
    if (metaTitle) result.metaTitle = metaTitle;
    return result;
  } finally {
    await opened.close();
  }
}

/** Ruled tables of one page and the text lines outside them. */
function layoutPage(page: number, height: number, items: TextItem[], hLines: readonly Rule[], vLines: readonly Rule[]): TrustedPage {
  const tables = findRuledTables(hLines, vLines);
  const inTable: TextItem[][] = tables.map(() => []);
  const free: TextItem[] = [];
  for (const it of items) {
    const cx = (it.x0 + it.x1) / 2;
    const cy = (it.y0 + it.y1) / 2;
    const k = tables.findIndex((t) => tableContains(t, cx, cy));
    if (k >= 0) inTable[k].push(it);
    else free.push(it);
  }
  const grids: GridDraft[] = [];
  tables.forEach((t, k) => {
    const cells = fillTable(t, inTable[k], page);
    if (!cells.some((c) => c.text !== '')) {
      return; // a ruled frame with no text is decoration
    }
    if (cells.length <= 4 && maxLinesInCell(t, inTable[k]) > 6) {
      free.push(...inTable[k]); // a frame around prose (a boxed page, a letterhead rule), not a table
      return;
    }
    grids.push({
      grid: {
        kind: 'grid',
        page,
        bbox: [r2(t.bbox[0]), r2(t.bbox[1]), r2(t.bbox[2]), r2(t.bbox[3])],
        rows: t.ys.length - 1,
        cols: t.xs.length - 1,
        cells,
        source: 'text-layer',
        structure: 'ruled',
        continuedFrom: null,
      },
      xs: t.xs,
      lastXs: t.xs,
      lastPage: page,
    });
  });
  return { page, height, grids, freeLines: groupLines(free) };
}

/** The most visual lines of text any single cell of the table holds. */
function maxLinesInCell(t: RuledTable, items: TextItem[]): number {
  const per = new Map<number, TextItem[]>();
  for (const it of items) {
    const k = cellIndexAt(t, (it.x0 + it.x1) / 2, (it.y0 + it.y1) / 2);
    const list = per.get(k);
    if (list) list.push(it);
    else per.set(k, [it]);
  }
  let most = 0;
  for (const list of per.values()) most = Math.max(most, groupLines(list).length);
  return most;
}
