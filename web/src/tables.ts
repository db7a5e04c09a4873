/** The canonical tables as the official forms, one <td> per canonical cell, updated in place. */
import type { CellKey, CheckResult } from '../../src/model/report.js';
import { templates } from '../../src/templates/forms.js';
import { cellTitle as formCellTitle, rowTitle as formRowTitle, type PlacedCell } from '../../src/templates/wording.js';
import { fill, h, pct } from './dom.js';
import type { FormBlock, GridCell } from './layout.js';
import type { Review } from './review.js';

const SOURCE: Record<string, string> = {
  markup: '标记文本', 'text-layer': 'PDF 文字层', ocr: 'OCR 识别', prose: '正文', manual: '人工校正',
};

export function sourceLabel(source: string): string {
  return SOURCE[source] ?? source;
}

export function displayValue(state: string, value: number | null): string {
  if (state === 'number' && value !== null) return String(value);
  if (state === 'missing') return '—';
  if (state === 'illegible') return '?';
  return '';
}

/** A value as the card and the history show it: a blank cell reads （空）, not nothing. */
export function shownValue(state: string, value: number | null): string {
  return displayValue(state, value) || '（空）';
}

function placed(review: Review, key: CellKey): PlacedCell | null {
  const c = review.cells.get(key);
  const table = c && review.report.tables.find((t) => t.cells.includes(c));
  return c && table ? { table: table.id, ...c } : null;
}

const formOf = (review: Review) => (review.report.report.template === 'unknown' ? null : templates[review.report.report.template]);

/** A cell named by the form's labels, the row with its group where needed: （六）其他处理 › 3.其他 × 自然人. */
export function cellTitle(review: Review, key: CellKey): string {
  const c = placed(review, key);
  return c ? formCellTitle(formOf(review), c) : key;
}

/** A cell's row as the form names it, with its group where needed. */
export function rowTitle(review: Review, key: CellKey): string {
  const c = placed(review, key);
  return c ? formRowTitle(formOf(review), c) : key;
}

/** A check as the form states it (its id for results stored before checks had a statement). */
export function checkWords(r: CheckResult): string {
  return r.statement || r.id;
}

/** The two sides' numbers: 左边 158 ≠ 右边 156. */
export function checkSides(r: CheckResult): string {
  return `左边 ${r.lhs} ${r.holds ? '=' : '≠'} 右边 ${r.rhs}`;
}

function gridCell(c: GridCell, cells: Map<CellKey, HTMLTableCellElement>): HTMLTableCellElement {
  switch (c.kind) {
    case 'head':
      return h('th', { scope: 'col', rowspan: c.rowSpan > 1 ? c.rowSpan : null, colspan: c.colSpan > 1 ? c.colSpan : null, title: c.title ?? null, class: c.text ? null : 'corner' }, c.text);
    case 'label':
      return h('th', { scope: 'row', class: c.unit ? 'unit' : c.group !== undefined ? `label group g${c.group}${c.rowSpan > 3 ? ' tall' : ''}` : 'label', rowspan: c.rowSpan > 1 ? c.rowSpan : null, colspan: c.colSpan > 1 ? c.colSpan : null, title: c.title ?? null }, c.text);
    case 'pad':
      return h('td', { class: 'pad', colspan: c.colSpan > 1 ? c.colSpan : null });
    case 'value': {
      const td = h('td', { class: 'v', 'data-key': c.key });
      cells.set(c.key, td);
      return td;
    }
  }
}

function block(b: FormBlock, cells: Map<CellKey, HTMLTableCellElement>): HTMLTableElement {
  const rows = b.rows.map((r) => h('tr', null, r.map((c) => gridCell(c, cells))));
  return h('table', { class: `form-table ${b.cls}` },
    b.caption ? h('caption', null, b.caption) : null,
    b.headRows ? h('thead', null, rows.slice(0, b.headRows)) : null,
    h('tbody', null, rows.slice(b.headRows)));
}

/** Renders every form into `root`; returns the value cell of each key. */
export function renderTables(root: HTMLElement, review: Review): Map<CellKey, HTMLTableCellElement> {
  const cells = new Map<CellKey, HTMLTableCellElement>();
  const sections = review.layout.tables.map((t) => {
    const table = review.report.tables.find((x) => x.id === t.id)!;
    return h('section', { class: 'form', id: `form-${t.id}` },
      h('h2', null, t.title, table.page ? h('span', { class: 'page-ref' }, `第 ${table.page} 页`) : null),
      t.found ? null : h('p', { class: 'muted note' }, '文档中没有这张表：表中各格标为“缺失”。'),
      t.blocks.map((b) => block(b, cells)));
  });
  fill(root, sections);
  return cells;
}

/** Brings one cell's look up to date: value, confidence colour, flags, state. */
export function paintCell(td: HTMLTableCellElement, review: Review, key: CellKey, extra: string[] = []): void {
  const cell = review.cells.get(key)!;
  const v = review.valueOf(key);
  const cls = ['v', `c-${review.classOf(key)}`, `s-${v.state}`];
  if (review.isEdited(key)) cls.push('edited');
  if (review.reviewed.has(key)) cls.push('reviewed');
  if (review.current === key) cls.push('current');
  cls.push(...extra);
  const className = cls.join(' ');
  if (td.className !== className) td.className = className;
  if (!td.querySelector('input')) {
    const text = displayValue(v.state, v.value);
    if (td.textContent !== text) td.textContent = text;
  }
  const failing = review.failingByCell.get(key) ?? [];
  const title = [
    cellTitle(review, key),
    `${key}`,
    `置信度 ${pct(review.confidenceOf(key))} · ${sourceLabel(review.isEdited(key) ? 'manual' : cell.evidence.source)}${cell.text && cell.text !== String(v.value) ? ` · 原文“${cell.text}”` : ''}`,
    ...failing.map((r) => `✗ ${checkWords(r)}（${checkSides(r)}）`),
  ].join('\n');
  if (td.title !== title) td.title = title;
}
