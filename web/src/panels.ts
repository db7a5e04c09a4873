/**
 * The panels around the forms: the document line and the action buttons in the top bar, and the
 * review queue with its threshold, the checks (with the service's warnings) and the history in the side column.
 */
import { isMetaKey, type CorrectionEntry, type MetaKey } from '../../src/api/wire.js';
import type { CellKey } from '../../src/model/report.js';
import { byId, fill, formatTime, h } from './dom.js';
import { TEMPLATE_NAMES } from './results.js';
import type { Change, State } from './state.js';
import { cellTitle, checkSides, checkWords, displayValue, rowTitle, shownValue } from './tables.js';
import { warningItems } from './warnings.js';

export class Panels {
  private readonly docInfo = byId('doc-info');
  private readonly save = byId<HTMLButtonElement>('btn-save');
  private readonly json = byId<HTMLButtonElement>('btn-json');
  private readonly csv = byId<HTMLButtonElement>('btn-csv');
  private readonly queue = byId<HTMLOListElement>('queue');
  private readonly queueCount = byId('queue-count');
  private readonly threshold = byId<HTMLInputElement>('threshold');
  private readonly checks = byId<HTMLUListElement>('checks');
  private readonly checkStatus = byId('check-status');
  private readonly history = byId<HTMLOListElement>('history');

  constructor(private readonly state: State, private readonly pick: (key: CellKey) => void, private readonly editFields: () => void) {
    this.threshold.addEventListener('change', () => state.setThreshold(Number(this.threshold.value)));
    state.on((change) => this.update(change));
  }

  private update(change: Change): void {
    if (change === 'view') fill(this.docInfo);
    if (change === 'opened') {
      this.threshold.value = String(this.state.review!.threshold);
      this.renderHistory();
    }
    if (change === 'opened' || change === 'changed') {
      this.renderDocInfo();
      this.renderQueue();
      this.renderChecks();
    }
    this.renderActions();
  }

  private renderDocInfo(): void {
    const review = this.state.review!;
    const r = review.report;
    const edited = (key: MetaKey) => (review.fieldEdits.has(key) ? ' edited' : '');
    const agency = review.field('report.agency');
    const year = review.field('report.year');
    const title = review.field('report.title');
    fill(this.docInfo,
      h('strong', { class: `agency${edited('report.agency')}`, id: 'doc-agency', title: title ? `标题：${title}` : '标题未识别' }, agency ?? '（未识别机关）'),
      h('span', { class: `chip${edited('report.year')}`, id: 'doc-year' }, year ? `${year} 年度` : '年度未识别'),
      review.readonly ? null : h('button', {
        type: 'button', class: `edit-fields${edited('report.title')}`, id: 'btn-fields', title: '修改机关、年度、标题 (M)', 'aria-label': '修改机关、年度、标题',
        onclick: () => this.editFields(),
      }, '✎'),
      h('span', { class: 'chip' }, TEMPLATE_NAMES[r.report.template] ?? r.report.template),
      h('span', { class: 'file', title: r.source.filename }, r.source.filename),
      review.readonly
        ? h('span', { class: 'chip warn', title: '从文件打开：不能保存回服务，只能导出' }, '只读 · 本地文件')
        : h('span', { class: 'chip', id: 'version-chip', title: '保存修改时以此版本为基础；别人先保存了，你的保存会被拒绝' }, review.version ? `第 ${review.version} 版` : '未经修改'));
  }

  private renderActions(): void {
    const review = this.state.view === 'review' ? this.state.review : null;
    this.json.disabled = !review;
    this.csv.disabled = !review;
    const changes = review ? review.changes(true) : [];
    this.save.disabled = !review || review.readonly || this.state.saving || changes.length === 0;
    this.save.textContent = changes.length ? `保存 (${changes.length})` : '保存';
    this.save.title = this.state.review?.readonly ? '从文件打开的结果不能保存回服务：请导出 JSON 或 CSV' : '保存修改 (Ctrl+S)';
  }

  private renderQueue(): void {
    const r = this.state.review!;
    const queue = r.queue();
    const done = queue.filter((k) => r.reviewed.has(k)).length;
    this.queueCount.textContent = `${done} / ${queue.length} 已复核`;
    this.queue.dataset.size = String(queue.length);
    if (!queue.length) {
      fill(this.queue, h('li', { class: 'muted empty' }, `没有低于 ${r.threshold} 或检查不成立的单元格。`));
      return;
    }
    fill(this.queue, queue.map((k) => {
      const v = r.valueOf(k);
      const cell = r.cells.get(k)!;
      return h('li', {
        class: `q c-${r.classOf(k)}${k === r.current ? ' current' : ''}${r.reviewed.has(k) ? ' reviewed' : ''}`,
        'data-key': k, title: k,
        onclick: () => this.pick(k),
      },
      h('span', { class: 'q-mark' }, r.reviewed.has(k) ? '✓' : '•'),
      h('span', { class: 'q-label', title: cellTitle(r, k) }, rowTitle(r, k)),
      h('span', { class: 'q-col' }, cell.colLabel || cell.col),
      h('span', { class: 'q-value' }, displayValue(v.state, v.value)));
    }));
    this.queue.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
  }

  private renderChecks(): void {
    const r = this.state.review!;
    const failing = r.failing;
    const hard = r.hardFailing.length;
    this.checkStatus.textContent = r.results.length ? (hard ? `${hard} 项不成立` : `全部 ${r.results.length} 项成立`) : '无';
    this.checkStatus.className = `count ${hard ? 'bad' : 'good'}`;
    this.checkStatus.dataset.failing = String(hard);
    const warnings = warningItems(r, this.pick);
    if (!r.results.length) {
      fill(this.checks, h('li', { class: 'muted empty' }, '这份报告的模板没有勾稽检查。'), warnings);
      return;
    }
    if (!failing.length) {
      fill(this.checks, h('li', { class: 'ok-text' }, `✓ ${r.results.length} 项勾稽关系全部成立`), warnings);
      return;
    }
    fill(this.checks, failing.map((f) => h('li', {
      class: f.soft ? 'soft' : 'fail', 'data-check': f.id, title: f.rule,
      onmouseenter: () => this.state.hover(f.cells),
      onmouseleave: () => this.state.hover([]),
      onclick: () => this.pick(f.cells.find((k) => !r.reviewed.has(k)) ?? f.cells[0]),
    }, h('span', { class: 'check-id' }, `✗ ${checkWords(f)}`), h('span', { class: 'check-sides' }, checkSides(f)))), warnings);
  }

  private renderHistory(): void {
    const r = this.state.review!;
    const saved = this.state.history;
    if (r.readonly) {
      fill(this.history, h('li', { class: 'muted empty' }, '从文件打开：没有保存记录。'));
      return;
    }
    if (!saved.length) {
      fill(this.history, h('li', { class: 'muted empty' }, '还没有人修改过这份结果。'));
      return;
    }
    fill(this.history, [...saved].reverse().map((c) => {
      const [old, now] = isMetaKey(c.key) ? [fieldText(c.oldText, c.oldValue), fieldText(c.newText, c.newValue)] : [shownValue(c.oldState, c.oldValue), shownValue(c.newState, c.newValue)];
      return h('li', { 'data-key': c.key, 'data-version': c.version },
        h('div', { class: 'h-top' }, h('span', { class: 'who' }, c.who), h('time', { datetime: c.at }, formatTime(c.at)), h('span', { class: 'muted' }, `第 ${c.version} 版`)),
        h('div', { class: 'h-cell', title: c.key }, isMetaKey(c.key) ? FIELD_NAMES[c.key] : cellTitle(r, c.key)),
        h('div', { class: 'h-change' },
          old === now && c.oldState === c.newState
            ? h('span', { class: 'muted' }, `确认 ${now}`)
            : [h('span', { class: 'old' }, old), ' → ', h('span', { class: 'new' }, now)]));
    }));
  }
}

const FIELD_NAMES: Record<MetaKey, string> = { 'report.agency': '报告信息 › 机关', 'report.year': '报告信息 › 年度', 'report.title': '报告信息 › 标题' };

const fieldText = (text: CorrectionEntry['oldText'], value: CorrectionEntry['oldValue']) => text ?? (value === null ? '（无）' : String(value));
