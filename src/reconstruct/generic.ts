/** Every grid of the layout as a generic table: header, row-header and content cells, with its caption. */
import type { LayoutDocument, LayoutGrid } from '../layout/types.js';
import type { GenericCell, GenericTable } from '../model/report.js';
import { isBlankText, parseNumber } from '../normalize/number.js';
import { cleanPrinted } from '../normalize/text.js';

const MAX_CAPTION_CHARS = 60;

function classify(grid: LayoutGrid): GenericCell[] {
  const rowsWithNumbers = new Set(grid.cells.filter((c) => parseNumber(c.text)).map((c) => c.row));
  const firstDataRow = rowsWithNumbers.size ? Math.min(...rowsWithNumbers) : grid.rows;
  return grid.cells.map((c) => {
    const numeric = !!parseNumber(c.text) || isBlankText(c.text);
    const kind: GenericCell['kind'] = c.header || c.row < firstDataRow ? 'columnHeader' : numeric ? 'content' : 'rowHeader';
    return {
      row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan, text: c.text, kind,
      confidence: c.confidence, bbox: c.bbox, ...(c.page !== grid.page ? { page: c.page } : {}),
    };
  });
}

/** Generic tables in document order, and the map from layout block index to table index. */
export function genericTables(doc: LayoutDocument): { tables: GenericTable[]; byBlock: Map<number, number> } {
  const tables: GenericTable[] = [];
  const byBlock = new Map<number, number>();
  doc.blocks.forEach((b, bi) => {
    if (b.kind !== 'grid') return;
    const prev = doc.blocks[bi - 1];
    const caption = prev && prev.kind === 'line' && cleanPrinted(prev.text).length <= MAX_CAPTION_CHARS ? cleanPrinted(prev.text) : null;
    byBlock.set(bi, tables.length);
    tables.push({
      index: tables.length,
      page: b.page,
      bbox: b.bbox,
      rows: b.rows,
      cols: b.cols,
      caption,
      continuedFrom: b.continuedFrom ?? null,
      cells: classify(b),
    });
  });
  return { tables, byBlock };
}
