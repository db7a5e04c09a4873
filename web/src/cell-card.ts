/** The side card about the current cell: labels, value as loaded and as edited, confidence, source, alternatives, checks. */
import type { CellKey } from '../../src/model/report.js';
import { byId, fill, h, pct } from './dom.js';
import type { Review } from './review.js';
import type { State } from './state.js';
import { checkSides, checkWords, rowTitle, shownValue, sourceLabel } from './tables.js';

export class CellCard {
  private readonly root = byId('cell-card');

  constructor(private readonly state: State, private readonly pickAlternative: (i: number) => void) {
    state.on((change) => {
      if (change === 'opened' || change === 'changed') this.render();
    });
  }

  private render(): void {
    const r = this.state.review;
    const key = r?.current;
    if (!r || !key) {
      fill(this.root, h('p', { class: 'muted' }, r && !r.queue().length ? '没有需要复核的单元格。' : '选择一个单元格。'));
      return;
    }
    const cell = r.cells.get(key)!;
    const v = r.valueOf(key);
    const table = r.report.tables.find((t) => t.cells.includes(cell));
    const failing = r.failingByCell.get(key) ?? [];
    const edited = r.isEdited(key);
    const queue = r.queue();
    const at = queue.indexOf(key);
    fill(this.root,
      h('div', { class: 'card-head' },
        h('h3', null, '当前单元格'),
        h('span', { class: 'count' }, at >= 0 ? `队列 ${at + 1} / ${queue.length}` : '不在队列中')),
      h('div', { class: 'crumbs' }, table?.title ?? ''),
      h('div', { class: 'cell-labels' }, h('span', { class: 'row-label' }, rowTitle(r, key)), h('span', { class: 'times' }, '×'), h('span', { class: 'col-label' }, cell.colLabel || cell.col)),
      h('div', { class: 'cell-value-line' },
        h('span', { class: `big-value c-${r.classOf(key)} s-${v.state}`, id: 'current-value' }, shownValue(v.state, v.value)),
        edited ? h('span', { class: 'was' }, `原为 ${shownValue(cell.state, cell.value)}`) : null,
        r.reviewed.has(key) ? h('span', { class: 'tick', title: '已复核' }, '✓ 已复核') : null),
      h('dl', { class: 'facts' },
        h('dt', null, '置信度'), h('dd', null, h('span', { class: `conf c-${r.classOf(key)}` }, pct(r.confidenceOf(key))), confidenceBar(r, key)),
        h('dt', null, '来源'), h('dd', null, `${sourceLabel(edited ? 'manual' : cell.evidence.source)}${cell.evidence.page ? ` · 第 ${cell.evidence.page} 页` : ''}${cell.evidence.ocrConfidence !== undefined ? ` · OCR ${pct(cell.evidence.ocrConfidence)}` : ''}`),
        cell.text && cell.state === 'number' && cell.text !== String(cell.value) ? [h('dt', null, '原文'), h('dd', null, cell.text)] : null,
        h('dt', null, '键'), h('dd', { class: 'mono' }, key)),
      cell.alternatives.length
        ? h('div', { class: 'alts' }, h('span', { class: 'muted' }, '候选值'),
          cell.alternatives.slice(0, 3).map((a, i) => h('button', {
            type: 'button', class: 'alt', tabindex: -1, title: `${a.why}（${pct(a.confidence)}）`, 'data-alt': i + 1,
            onclick: () => this.pickAlternative(i),
          }, h('kbd', null, `Alt+${i + 1}`), ` ${a.value ?? '（空）'}`, h('span', { class: 'muted' }, ` ${pct(a.confidence)}`))))
        : null,
      failing.length
        ? h('ul', { class: 'cell-checks' }, failing.map((f) => h('li', { class: f.soft ? 'soft' : 'fail', 'data-check': f.id, title: f.id },
          h('div', { class: 'check-words' }, `✗ ${checkWords(f)}`), h('div', { class: 'check-sides' }, checkSides(f)))))
        : cell.flags.length ? h('p', { class: 'ok-text' }, '✓ 相关检查现已成立') : null);
  }
}

function confidenceBar(r: Review, key: CellKey): HTMLElement {
  const fillEl = h('span', { class: `fill c-${r.classOf(key)}` });
  fillEl.style.width = `${Math.round(r.confidenceOf(key) * 100)}%`;
  return h('span', { class: 'bar' }, fillEl);
}
