/** The list of stored results: sortable by any column, searchable. */
import type { ResultEntry } from '../../src/api/wire.js';
import { fill, formatTime, h, pct } from './dom.js';
import { storedThreshold } from './state.js';

type Col = keyof Pick<ResultEntry, 'agency' | 'year' | 'template' | 'confidence' | 'checksFailed' | 'lowConfidence' | 'filename' | 'created'>;

const COLUMNS: { key: Col; label: string; numeric?: boolean }[] = [
  { key: 'agency', label: '机关' },
  { key: 'year', label: '年度', numeric: true },
  { key: 'template', label: '模板' },
  { key: 'confidence', label: '置信度', numeric: true },
  { key: 'checksFailed', label: '未通过检查', numeric: true },
  { key: 'lowConfidence', label: '待复核', numeric: true },
  { key: 'filename', label: '文件' },
  { key: 'created', label: '转换时间' },
];

export const TEMPLATE_NAMES: Record<string, string> = {
  gov2021: '2021 版', gov2019: '2019 版', legacy: '2019 年前', unknown: '未识别',
};

export class ResultList {
  private items: ResultEntry[] = [];
  private sort: { key: Col; dir: 1 | -1 } = { key: 'created', dir: -1 };
  private query = '';

  constructor(private readonly root: HTMLElement) {}

  set(items: ResultEntry[]): void {
    this.items = items;
    this.render();
  }

  search(q: string): void {
    this.query = q.trim().toLowerCase();
    this.render();
  }

  private rows(): ResultEntry[] {
    const q = this.query;
    const words = q.split(/\s+/).filter(Boolean);
    const hay = (r: ResultEntry) => [r.agency ?? '', r.year ?? '', r.template, TEMPLATE_NAMES[r.template] ?? '', r.filename, r.id].join(' ').toLowerCase();
    const { key, dir } = this.sort;
    const val = (r: ResultEntry) => r[key];
    return this.items
      .filter((r) => words.every((w) => hay(r).includes(w)))
      .sort((a, b) => {
        const x = val(a);
        const y = val(b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN')) * dir;
      });
  }

  render(): void {
    const rows = this.rows();
    if (!this.items.length) {
      fill(this.root, h('p', { class: 'muted empty' }, '还没有转换结果：先上传一份年报。'));
      return;
    }
    const head = h('tr', null, COLUMNS.map((c) => {
      const active = this.sort.key === c.key;
      return h('th', { scope: 'col', 'aria-sort': active ? (this.sort.dir === 1 ? 'ascending' : 'descending') : 'none', class: c.numeric ? 'num' : null },
        h('button', {
          type: 'button', class: 'sort', 'data-col': c.key,
          onclick: () => {
            this.sort = active ? { key: c.key, dir: this.sort.dir === 1 ? -1 : 1 } : { key: c.key, dir: c.numeric || c.key === 'created' ? -1 : 1 };
            this.render();
            this.root.querySelector<HTMLButtonElement>(`button[data-col="${c.key}"]`)?.focus();
          },
        }, c.label, h('span', { class: 'arrow' }, active ? (this.sort.dir === 1 ? '▲' : '▼') : '')));
    }));
    // As Review.classOf colours a cell: under the reviewer's threshold is low.
    const threshold = storedThreshold();
    const body = rows.map((r) => h('tr', { 'data-id': r.id },
      h('td', null, h('a', { href: `#/results/${encodeURIComponent(r.id)}` }, r.agency || '（未识别机关）')),
      h('td', { class: 'num' }, r.year ?? '—'),
      h('td', null, TEMPLATE_NAMES[r.template] ?? r.template),
      h('td', { class: `num ${r.confidence >= 0.99 ? 'c-good' : r.confidence >= threshold ? '' : 'c-low'}` }, pct(r.confidence)),
      h('td', { class: `num ${r.checksFailed ? 'c-failed' : ''}` }, r.checksFailed),
      h('td', { class: 'num' }, r.lowConfidence),
      h('td', { class: 'file', title: r.filename }, r.filename),
      h('td', { class: 'time' }, formatTime(r.created))));
    fill(this.root,
      h('table', { class: 'results' }, h('thead', null, head), h('tbody', null, body)),
      rows.length ? null : h('p', { class: 'muted empty' }, '没有符合搜索条件的结果。'));
  }
}
