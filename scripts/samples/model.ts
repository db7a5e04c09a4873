/**
 * The small document model the sample generator renders: a page (breadcrumb, metadata box, article
 * blocks, footer) whose article holds headings, paragraphs and tables with merged cells.
 */

export type { Expected } from '../../src/eval/expected.js';

export type CellRole = 'header' | 'label' | 'value';

export interface Cell {
  /** Cell text; "\n" is rendered as a line break inside the cell. */
  text: string;
  role: CellRole;
  colspan?: number;
  rowspan?: number;
  /** Canonical key of a value cell (not rendered; used by the checks). */
  key?: string;
}

export interface TableModel {
  /** Canonical table id, or "meta" for the page's metadata box. */
  id: string;
  rows: Cell[][];
  /** Relative column widths in percent (rendered as a <colgroup>; LibreOffice sizes the DOCX grid from it). */
  widths?: number[];
}

export type Block =
  | { kind: 'h1' | 'h2' | 'p'; text: string }
  | { kind: 'table'; table: TableModel };

export interface Page {
  lang: string;
  title: string;
  /** 当前位置 label and the breadcrumb path. */
  location: string;
  breadcrumb: string[];
  /** The 【字体：大 中 小】 打印本页 关闭窗口 tool line: [字体, 大, 中, 小, 打印本页, 关闭窗口]. */
  tools: string[];
  /** The 索引号 / 发布机构 / 发布日期 box, as label → value rows of a 2-column table. */
  meta: [string, string][];
  blocks: Block[];
  footer: string[];
}

/** Apply a text mapping to every piece of visible text of a page (title, prose, tables, chrome). */
export function mapPageText(page: Page, fn: (s: string) => string): Page {
  const mapTable = (t: TableModel): TableModel => ({
    id: t.id,
    widths: t.widths,
    rows: t.rows.map((r) => r.map((c) => ({ ...c, text: fn(c.text) }))),
  });
  return {
    lang: page.lang,
    title: fn(page.title),
    location: fn(page.location),
    breadcrumb: page.breadcrumb.map(fn),
    tools: page.tools.map(fn),
    meta: page.meta.map(([k, v]) => [fn(k), fn(v)] as [string, string]),
    blocks: page.blocks.map((b): Block => (b.kind === 'table' ? { kind: 'table', table: mapTable(b.table) } : { kind: b.kind, text: fn(b.text) })),
    footer: page.footer.map(fn),
  };
}
