/**
 * WordprocessingML (word/document.xml) to the layout: paragraphs become lines, tables become grids
 * with their merged cells (w:gridSpan across, w:vMerge down). The XML is tokenised here: Word and
 * LibreOffice write it well-formed, and this reads only the elements it needs.
 */
import { ConvertError } from '../intake/errors.js';
import type { LayoutBlock, LayoutCell, LayoutGrid } from '../layout/types.js';

const TOKEN = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|([^<]+)/g;
const ENTITY = /&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(ENTITY, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(parseInt(e[1] === 'x' || e[1] === 'X' ? e.slice(2) : e.slice(1), e[1] === 'x' || e[1] === 'X' ? 16 : 10)) : NAMED[e.toLowerCase()],
  );
}

function attr(attrs: string, name: string): string | null {
  const m = new RegExp(`${name}\\s*=\\s*"([^"]*)"`).exec(attrs);
  return m ? m[1] : null;
}

interface TableBuild {
  cells: LayoutCell[];
  row: number;
  col: number;
  /** For each grid column, the origin cell currently open downwards (for w:vMerge continue). */
  above: (LayoutCell | null)[];
  cell: LayoutCell | null;
  span: number;
  vMerge: 'restart' | 'continue' | null;
  text: string[];
  cols: number;
}

export function layoutFromDocumentXml(xml: string, maxDepth: number): LayoutBlock[] {
  const blocks: LayoutBlock[] = [];
  const tables: TableBuild[] = [];
  let paragraph: string[] | null = null;
  let inText = false;
  let depth = 0;
  const sink = () => (tables.length ? tables[tables.length - 1].text : null);

  for (const m of xml.matchAll(TOKEN)) {
    const [, close, name, attrs = '', selfClose, text] = m;
    if (text !== undefined) {
      if (inText && paragraph) paragraph.push(decode(text));
      continue;
    }
    if (!name) continue;
    if (!close && !selfClose && ++depth > maxDepth) {
      throw new ConvertError('DOCX_TOO_DEEP', 422, `The Word document nests elements more than ${maxDepth} deep (XXGK_MAX_HTML_DEPTH).`);
    }
    if (close) depth--;
    const t = tables[tables.length - 1];
    switch (name) {
      case 'w:p':
        if (!close && !selfClose) paragraph = [];
        else if (close && paragraph) {
          const line = paragraph.join('');
          const into = sink();
          if (into) into.push(line);
          else if (line.trim()) blocks.push({ kind: 'line', text: line.replace(/\s+/g, ' ').trim(), page: 1, bbox: null, confidence: 1, source: 'markup' });
          paragraph = null;
        }
        break;
      case 'w:t':
        inText = !close && !selfClose;
        break;
      case 'w:tab':
        if (paragraph && !close) paragraph.push('\t');
        break;
      case 'w:br':
      case 'w:cr':
        if (paragraph && !close) paragraph.push('\n');
        break;
      case 'w:tbl':
        if (!close) tables.push({ cells: [], row: -1, col: 0, above: [], cell: null, span: 1, vMerge: null, text: [], cols: 0 });
        else if (t) {
          tables.pop();
          const rows = t.row + 1;
          if (t.cells.length) {
            const grid: LayoutGrid = { kind: 'grid', page: 1, bbox: null, rows, cols: t.cols, cells: t.cells, source: 'markup', structure: 'markup' };
            blocks.push(grid);
          }
        }
        break;
      case 'w:tr':
        if (t && !close) { t.row++; t.col = 0; }
        break;
      case 'w:gridBefore':
        if (t) t.col += Number(attr(attrs, 'w:val') ?? 0);
        break;
      case 'w:tc':
        if (!t) break;
        if (!close) { t.span = 1; t.vMerge = null; t.text = []; }
        else {
          const text = t.text.join('\n').replace(/[ \t\u00a0\u3000]+/g, ' ').replace(/ *\n[ \n]*/g, '\n').trim();
          const origin = t.above[t.col];
          if (t.vMerge === 'continue' && origin) {
            origin.rowSpan = t.row - origin.row + 1;
          } else {
            const cell: LayoutCell = { row: t.row, col: t.col, rowSpan: 1, colSpan: t.span, text, bbox: null, page: 1, confidence: 1 };
            t.cells.push(cell);
            for (let c = t.col; c < t.col + t.span; c++) t.above[c] = cell;
          }
          t.col += t.span;
          t.cols = Math.max(t.cols, t.col);
        }
        break;
      case 'w:gridSpan':
        if (t) t.span = Math.max(1, Math.min(1000, Number(attr(attrs, 'w:val') ?? 1) || 1));
        break;
      case 'w:vMerge':
        if (t) t.vMerge = attr(attrs, 'w:val') === 'restart' ? 'restart' : 'continue';
        break;
    }
  }
  return blocks;
}
