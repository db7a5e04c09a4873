/**
 * The list of stored results, a page at a time from the service (newest first, "more" for the next
 * page), searched and optionally only those with cells to review, both by the service; the pages
 * loaded are sortable by any column, and narrowed by the search words at once, as the service will
 * (agency, file name, year). The counts above it are the service's, over every result.
 */
import type { ResultEntry, ResultList as ResultPage } from '../../src/api/wire.js';
import { fill, formatTime, h, pct } from './dom.js';
import { storedThreshold } from './state.js';

type Col = keyof Pick<ResultEntry, 'agency' | 'year' | 'template' | 'confidence' | 'checksFailed' | 'queued' | 'version' | 'filename' | 'created'>;

const COLUMNS: { key: Col; label: string; numeric?: boolean; title?: string }[] = [
  { key: 'agency', label: '机关' },
  { key: 'year', label: '年度', numeric: true },
  { key: 'template', label: '模板' },
  { key: 'confidence', label: '置信度', numeric: true },
  { key: 'checksFailed', label: '未通过检查', numeric: true },
  { key: 'queued', label: '待复核', numeric: true, title: '复核队列中的单元格（低置信度或在不成立的检查中），每次保存后更新' },
  { key: 'version', label: '复核', title: '已保存的版本：每次保存加一' },
  { key: 'filename', label: '文件' },
  { key: 'created', label: '转换时间' },
];

export const TEMPLATE_NAMES: Record<string, string> = {
  gov2021: '2021 版', gov2019: '2019 版', legacy: '2019 年前', unknown: '未识别',
};

/** How far a result's review has come, as the list says it. */
function reviewState(r: Pick<ResultEntry, 'queued' | 'version'>): string {
  if (r.version === 0) return r.queued ? '未复核' : '无需复核';
  return r.queued ? `第 ${r.version} 版 · 未完成` : `第 ${r.version} 版 · 已复核`;
}

export class ResultList {
  private items: ResultEntry[] = [];
  private next: string | null = null;
  private counts: ResultPage['counts'] | null = null;
  private sort: { key: Col; dir: 1 | -1 } = { key: 'created', dir: -1 };
  private words: string[] = [];

  constructor(private readonly root: HTMLElement, private readonly countsEl: HTMLElement, private readonly more: HTMLButtonElement) {}

  /** The first page (`append` false) or the next one. */
  set(page: ResultPage, append: boolean): void {
    this.items = append ? [...this.items, ...page.results] : page.results;
    this.next = page.nextCursor;
    this.counts = page.counts;
    this.render();
  }

  /** Narrows the rows loaded while the service is asked. */
  search(q: string): void {
    this.words = q.toLowerCase().split(/\s+/).filter(Boolean);
    this.render();
  }

  /** The cursor of the page after those loaded, or null when all are. */
  get cursor(): string | null {
    return this.next;
  }

  private rows(): ResultEntry[] {
    const { key, dir } = this.sort;
    const val = (r: ResultEntry) => r[key];
    // The haystack the service searches (src/store/results.ts).
    const hay = (r: ResultEntry) => `${r.agency ?? ''} ${r.filename} ${r.year ?? ''}`.toLowerCase();
    return this.items
      .filter((r) => this.words.every((w) => hay(r).includes(w)))
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
    const c = this.counts;
    this.countsEl.textContent = c ? `共 ${c.results} 份 · 待复核 ${c.needsReview} 份${this.items.length < c.results ? ` · 已载入 ${this.items.length} 份` : ''}` : '';
    this.countsEl.dataset.needsReview = String(c?.needsReview ?? '');
    this.more.hidden = !this.next;
    const rows = this.rows();
    if (!this.items.length) {
      fill(this.root, h('p', { class: 'muted empty' }, c?.results ? '没有符合条件的结果。' : '还没有转换结果：先上传一份年报。'));
      return;
    }
    const head = h('tr', null, COLUMNS.map((col) => {
      const active = this.sort.key === col.key;
      return h('th', { scope: 'col', title: col.title, 'aria-sort': active ? (this.sort.dir === 1 ? 'ascending' : 'descending') : 'none', class: `col-${col.key}${col.numeric ? ' num' : ''}` },
        h('button', {
          type: 'button', class: 'sort', 'data-col': col.key,
          onclick: () => {
            this.sort = active ? { key: col.key, dir: this.sort.dir === 1 ? -1 : 1 } : { key: col.key, dir: col.numeric || col.key === 'created' ? -1 : 1 };
            this.render();
            this.root.querySelector<HTMLButtonElement>(`button[data-col="${col.key}"]`)?.focus();
          },
        }, col.label, h('span', { class: 'arrow' }, active ? (this.sort.dir === 1 ? '▲' : '▼') : '')));
    }));
    // As Review.classOf colours a cell: under the reviewer's threshold is low.
    const threshold = storedThreshold();
    const body = rows.map((r) => h('tr', { 'data-id': r.id, 'data-queued': r.queued },
      h('td', null, h('a', { href: `#/results/${encodeURIComponent(r.id)}` }, r.agency || '（未识别机关）')),
      h('td', { class: 'num' }, r.year ?? '—'),
      h('td', null, TEMPLATE_NAMES[r.template] ?? r.template),
      h('td', { class: `num ${r.confidence >= 0.99 ? 'c-good' : r.confidence >= threshold ? '' : 'c-low'}` }, pct(r.confidence)),
      h('td', { class: `num ${r.checksFailed ? 'c-failed' : ''}` }, r.checksFailed),
      h('td', { class: `num ${r.queued ? 'c-low' : 'c-good'}`, 'data-col': 'queued' }, r.queued),
      h('td', { class: `review-state ${r.queued ? '' : 'c-good'}`, 'data-col': 'version' }, reviewState(r)),
      h('td', { class: 'file col-filename', title: r.filename }, r.filename),
      h('td', { class: 'time' }, formatTime(r.created))));
    fill(this.root, h('table', { class: 'results' }, h('thead', null, head), h('tbody', null, body)));
  }
}
