/**
 * In place of the page image, for sources that have none (HTML, DOCX, text): the printed table around
 * the current cell, as the document has it: its column's printed headings, and a few printed rows above
 * and below with the row labels and the values as they stood, the cell's own marked. Reviewers check
 * against this as against the page; a printed value that another cell was read from is picked by a click.
 */
import type { CanonicalCell, CellKey, GenericCell, GenericTable } from '../../src/model/report.js';
import { fill, h } from './dom.js';
import type { Review } from './review.js';

/** Printed rows shown above and below the cell's. */
const AROUND = 3;

const covers = (g: GenericCell, row: number, col: number) => g.row <= row && row < g.row + g.rowSpan && g.col <= col && col < g.col + g.colSpan;

export class SourceView {
  constructor(private readonly root: HTMLElement, private readonly pick: (key: CellKey) => void) {}

  /** Whether a review has printed tables to show (markup sources, and any result read without page images). */
  static has(review: Review): boolean {
    return review.report.genericTables.length > 0;
  }

  render(review: Review): void {
    const key = review.current;
    const cell = key ? review.cells.get(key) : undefined;
    const table = cell ? review.report.tables.find((t) => t.cells.includes(cell)) : undefined;
    const generic = table?.genericTable !== null && table?.genericTable !== undefined ? review.report.genericTables.find((g) => g.index === table.genericTable) : undefined;
    const at = cell?.evidence.genericCell;
    const printed = generic && at ? generic.cells.find((g) => covers(g, at[0], at[1])) : undefined;
    if (!cell || !generic || !at || !printed) {
      fill(this.root, h('div', { class: 'source-head' }, '原文'),
        h('p', { class: 'muted source-none' }, cell ? `这一格（${cell.rowLabel || cell.row} × ${cell.colLabel || cell.col}）在原文的表格中没有找到：${cell.state === 'missing' ? '文档没有印出它。' : '它不是从表格读出的。'}` : '选择一个单元格。'));
      return;
    }
    const [row, col] = at;
    const heads = columnHeadings(generic, row, col);
    fill(this.root,
      h('div', { class: 'source-head' }, '原文', h('span', { class: 'muted' }, ` · 第 ${generic.index + 1} 个表格 · 第 ${row + 1} 行`)),
      heads.length ? h('div', { class: 'source-col' }, h('span', { class: 'muted' }, '列：'), heads.join(' › ')) : null,
      this.grid(review, generic, row, printed));
  }

  /** The printed rows around `row`, spans clipped to them, in a CSS grid as wide as the table. */
  private grid(review: Review, g: GenericTable, row: number, current: GenericCell): HTMLElement {
    const first = Math.max(0, row - AROUND);
    const last = Math.min(g.rows - 1, row + AROUND);
    const byCell = new Map<string, CanonicalCell>();
    const table = review.report.tables.find((t) => t.genericTable === g.index);
    for (const c of table?.cells ?? []) if (c.evidence.genericCell) byCell.set(c.evidence.genericCell.join(','), c);
    const grid = h('div', { class: 'source-grid' });
    grid.style.gridTemplateColumns = `repeat(${g.cols}, minmax(2.6em, auto))`;
    for (const c of g.cells) {
      const top = Math.max(c.row, first);
      const bottom = Math.min(c.row + c.rowSpan - 1, last);
      if (top > bottom) continue;
      const canonical = byCell.get(`${c.row},${c.col}`);
      const el = h('div', {
        class: `src ${c.kind}${c === current ? ' current' : ''}${c.row <= row && row < c.row + c.rowSpan ? ' this-row' : ''}${canonical ? ' read' : ''}`,
        'data-key': canonical?.key, title: canonical ? `${canonical.rowLabel} × ${canonical.colLabel}` : undefined,
        onclick: canonical ? () => this.pick(canonical.key) : undefined,
      }, c.text || '\u00a0');
      el.style.gridRow = `${top - first + 1} / span ${bottom - top + 1}`;
      el.style.gridColumn = `${c.col + 1} / span ${c.colSpan}`;
      grid.append(el);
    }
    return h('div', { class: 'source-scroll' }, grid);
  }
}

/**
 * The printed headings over a column, top down: the header rows right above the cell's row (none when the
 * row right above is not a heading over this column, as in a text source whose headings were not told apart).
 */
function columnHeadings(g: GenericTable, row: number, col: number): string[] {
  const heads = g.cells.filter((c) => c.kind === 'columnHeader' && c.row < row && c.col <= col && col < c.col + c.colSpan);
  const out: GenericCell[] = [];
  for (let r = row - 1; r >= 0; ) {
    const here = heads.filter((c) => covers(c, r, col));
    if (!here.length) break;
    for (const c of here) if (!out.includes(c)) out.push(c);
    r = Math.min(...here.map((c) => c.row)) - 1;
  }
  return out.sort((a, b) => a.row - b.row).map((c) => c.text.trim()).filter(Boolean);
}
