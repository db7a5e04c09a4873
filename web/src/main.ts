/** The correction UI: open a result, review it cell by cell from the keyboard, save, export. */
import './styles.css';
import type { CellKey, CheckResult, Report } from '../../src/model/report.js';
import { MODEL_ID } from '../../src/model/report.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../../src/check/summary.js';
import type { CorrectionEntry as Correction } from '../../src/api/wire.js';
import { api, apiKey, ApiError, setApiKey } from './api.js';
import { byId, download, fill, formatTime, h, pct } from './dom.js';
import { PageView } from './page.js';
import { ResultList, TEMPLATE_NAMES } from './results.js';
import { parseValue, Review, toCsv } from './review.js';
import { displayValue, paintCell, renderTables, sourceLabel } from './tables.js';

const THRESHOLD_STORAGE = 'xxgk.reviewThreshold';

const el = {
  docInfo: byId('doc-info'),
  banner: byId('banner'),
  openView: byId('open-view'),
  reviewView: byId('review-view'),
  pagePane: byId('page-pane'),
  tables: byId('tables'),
  noImage: byId('no-image-note'),
  cellCard: byId('cell-card'),
  queue: byId<HTMLOListElement>('queue'),
  queueCount: byId('queue-count'),
  checks: byId<HTMLUListElement>('checks'),
  checkStatus: byId('check-status'),
  history: byId<HTMLOListElement>('history'),
  threshold: byId<HTMLInputElement>('threshold'),
  save: byId<HTMLButtonElement>('btn-save'),
  json: byId<HTMLButtonElement>('btn-json'),
  csv: byId<HTMLButtonElement>('btn-csv'),
  open: byId<HTMLButtonElement>('btn-open'),
  key: byId<HTMLInputElement>('api-key'),
  upload: byId<HTMLInputElement>('upload-input'),
  uploadStatus: byId('upload-status'),
  jsonInput: byId<HTMLInputElement>('json-input'),
  search: byId<HTMLInputElement>('result-search'),
  refresh: byId<HTMLButtonElement>('btn-refresh'),
  resultList: byId('result-list'),
  dropZone: byId('drop-zone'),
};

let review: Review | null = null;
let cellEls = new Map<CellKey, HTMLTableCellElement>();
let savedChanges: Correction[] = [];
/** Cells of the check the pointer is over in the checks list. */
let hovered: Set<CellKey> = new Set();
let editor: { key: CellKey; input: HTMLInputElement } | null = null;
let saving = false;
/** Bumped whenever another result is opened, so late answers for the old one are dropped. */
let generation = 0;

const pageView = new PageView(el.pagePane, (key) => select(key));
const resultList = new ResultList(el.resultList);

function storedThreshold(): number {
  try {
    const n = Number(localStorage.getItem(THRESHOLD_STORAGE));
    return n > 0 && n <= 1 ? n : DEFAULT_REVIEW_THRESHOLD;
  } catch {
    return DEFAULT_REVIEW_THRESHOLD;
  }
}

// ---------------------------------------------------------------------------------------------
// Messages

function banner(kind: 'info' | 'ok' | 'error', message: string | Node, actions: { label: string; run: () => void }[] = []): void {
  el.banner.className = `banner ${kind}`;
  el.banner.dataset.kind = kind;
  fill(el.banner,
    h('span', { class: 'banner-text' }, message),
    actions.map((a) => h('button', { type: 'button', class: 'btn', onclick: a.run }, a.label)),
    h('button', { type: 'button', class: 'close', title: '关闭', 'aria-label': '关闭', onclick: () => hideBanner() }, '×'));
  el.banner.hidden = false;
}

function hideBanner(): void {
  el.banner.hidden = true;
  el.banner.replaceChildren();
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403) return `${err.message}（在右上角填写 API 密钥）`;
    return err.message;
  }
  return (err as Error)?.message ?? String(err);
}

// ---------------------------------------------------------------------------------------------
// Views and routing

function showOpenView(): void {
  closeEditor(false);
  el.reviewView.hidden = true;
  delete el.reviewView.dataset.pageImages;
  el.openView.hidden = false;
  document.body.dataset.view = 'open';
  setActions();
  fill(el.docInfo);
  void loadResultList();
}

async function loadResultList(): Promise<void> {
  try {
    resultList.set(await api.results());
  } catch (err) {
    fill(el.resultList, h('p', { class: 'error-text' }, `无法读取结果列表：${errorText(err)}`));
  }
}

/** The hash of the result on screen, to go back to when leaving it is cancelled. */
let shownHash = '';

/** Local corrections not saved (or, for a file, not exported) yet. */
function unsaved(): boolean {
  return !!review && review.edits.size > 0;
}

async function route(): Promise<void> {
  if (location.hash !== shownHash && unsaved() && !confirm(review?.readonly ? '这份文件的修改还没有导出。离开并放弃这些修改吗？' : '这份结果还有未保存的修改。离开并放弃这些修改吗？')) {
    window.history.replaceState(null, '', shownHash || '#/');
    return;
  }
  shownHash = location.hash;
  const m = /^#\/results\/([^/?#]+)/.exec(location.hash);
  if (m) return openResult(decodeURIComponent(m[1]));
  if (location.hash === '#/file' && review?.readonly) return;
  showOpenView();
}

async function openResult(id: string, keep?: Map<CellKey, number | null>): Promise<void> {
  const gen = ++generation;
  document.body.dataset.loading = 'true';
  delete el.reviewView.dataset.pageImages;
  try {
    // The version first: a save made between the two reads then conflicts instead of being lost.
    const list = await api.corrections(id);
    const report = await api.report(id);
    if (gen !== generation) return;
    savedChanges = list.corrections;
    const next = new Review(report, id, list.version, storedThreshold());
    if (keep) for (const [k, v] of keep) if (next.cells.has(k) && next.cells.get(k)!.state !== 'missing') next.setValue(k, v);
    await showReview(next, gen);
  } catch (err) {
    if (gen !== generation) return;
    banner('error', `无法打开结果 ${id}：${errorText(err)}`);
    showOpenView();
  } finally {
    if (gen === generation) delete document.body.dataset.loading;
  }
}

async function showReview(next: Review, gen: number): Promise<void> {
  closeEditor(false);
  review = next;
  hovered = new Set();
  el.openView.hidden = true;
  el.reviewView.hidden = false;
  document.body.dataset.view = 'review';
  el.threshold.value = String(next.threshold);
  renderDocInfo();
  cellEls = renderTables(el.tables, next);
  setActions();
  next.current = next.nextUnreviewed() ?? next.layout.order.find((k) => next.cells.get(k)!.state !== 'missing') ?? null;
  refresh();
  // Page images: PDF and image sources have them; HTML, DOCX and text do not.
  el.reviewView.classList.add('no-image');
  delete el.reviewView.dataset.pageImages;
  el.noImage.hidden = true;
  const hasImages = await pageView.open(next);
  if (gen !== generation || review !== next) return;
  el.reviewView.classList.toggle('no-image', !hasImages);
  el.reviewView.dataset.pageImages = String(hasImages);
  if (!hasImages) {
    el.noImage.hidden = false;
    el.noImage.textContent = next.readonly
      ? '从文件打开的结果不带页面图像：只显示表格。'
      : `${next.report.source.filename} 没有页面图像（${routeName(next.report.source.route)}），只显示表格。`;
  }
  refresh();
  if (next.current) scrollToCell(next.current);
}

function routeName(route: string): string {
  return ({ text: '纯文本', html: 'HTML', docx: 'Word', doc: 'Word', 'pdf-text': 'PDF', 'pdf-ocr': '扫描 PDF', 'pdf-mixed': 'PDF', 'image-ocr': '图像' } as Record<string, string>)[route] ?? route;
}

function renderDocInfo(): void {
  if (!review) return fill(el.docInfo);
  const r = review.report;
  fill(el.docInfo,
    h('strong', { class: 'agency' }, r.report.agency ?? '（未识别机关）'),
    h('span', { class: 'chip' }, r.report.year ? `${r.report.year} 年度` : '年度未识别'),
    h('span', { class: 'chip' }, TEMPLATE_NAMES[r.report.template] ?? r.report.template),
    h('span', { class: 'file', title: r.source.filename }, r.source.filename),
    review.readonly ? h('span', { class: 'chip warn', title: '从文件打开：不能保存回服务，只能导出' }, '只读 · 本地文件') : h('span', { class: 'chip', id: 'version-chip', title: '保存修改时以此版本为基础；别人先保存了，你的保存会被拒绝' }, review.version ? `第 ${review.version} 版` : '未经修改'));
}

function setActions(): void {
  const on = !!review && !el.reviewView.hidden;
  el.json.disabled = !on;
  el.csv.disabled = !on;
  const changes = on && review ? review.changes(true) : [];
  el.save.disabled = !on || !review || review.readonly || saving || changes.length === 0;
  el.save.textContent = changes.length ? `保存 (${changes.length})` : '保存';
  el.save.title = review?.readonly ? '从文件打开的结果不能保存回服务：请导出 JSON 或 CSV' : '保存修改 (Ctrl+S)';
}

// ---------------------------------------------------------------------------------------------
// Painting

/** Cells highlighted together: the failing checks of the current cell, or the check under the pointer. */
function peers(): Set<CellKey> {
  if (hovered.size) return hovered;
  const out = new Set<CellKey>();
  if (review?.current) for (const r of review.failingByCell.get(review.current) ?? []) for (const k of r.cells) out.add(k);
  return out;
}

function refresh(): void {
  if (!review) return;
  const p = peers();
  for (const [key, td] of cellEls) paintCell(td, review, key, p.has(key) && key !== review.current ? ['peer'] : []);
  pageView.paint(p);
  renderCellCard();
  renderQueue();
  renderChecks();
  renderHistory();
  setActions();
}

function cellTitle(key: CellKey): string {
  const c = review?.cells.get(key);
  if (!c) return key;
  return `${c.rowLabel || c.row} × ${c.colLabel || c.col}`;
}

function renderCellCard(): void {
  const r = review;
  const key = r?.current;
  if (!r || !key) {
    fill(el.cellCard, h('p', { class: 'muted' }, r && !r.queue().length ? '没有需要复核的单元格。' : '选择一个单元格。'));
    return;
  }
  const cell = r.cells.get(key)!;
  const v = r.valueOf(key);
  const table = r.report.tables.find((t) => t.cells.includes(cell));
  const failing = r.failingByCell.get(key) ?? [];
  const edited = r.isEdited(key);
  const queue = r.queue();
  const at = queue.indexOf(key);
  fill(el.cellCard,
    h('div', { class: 'card-head' },
      h('h3', null, '当前单元格'),
      h('span', { class: 'count' }, at >= 0 ? `队列 ${at + 1} / ${queue.length}` : '不在队列中')),
    h('div', { class: 'crumbs' }, table?.title ?? ''),
    h('div', { class: 'cell-labels' }, h('span', { class: 'row-label' }, cell.rowLabel || cell.row), h('span', { class: 'times' }, '×'), h('span', { class: 'col-label' }, cell.colLabel || cell.col)),
    h('div', { class: 'cell-value-line' },
      h('span', { class: `big-value c-${r.classOf(key)} s-${v.state}`, id: 'current-value' }, displayValue(v.state, v.value) || '（空）'),
      edited ? h('span', { class: 'was' }, `原为 ${displayValue(cell.state, cell.value) || '（空）'}`) : null,
      r.reviewed.has(key) ? h('span', { class: 'tick', title: '已复核' }, '✓ 已复核') : null),
    h('dl', { class: 'facts' },
      h('dt', null, '置信度'), h('dd', null, h('span', { class: `conf c-${r.classOf(key)}` }, pct(r.confidenceOf(key))), confidenceBar(r.confidenceOf(key), r.classOf(key))),
      h('dt', null, '来源'), h('dd', null, `${sourceLabel(edited ? 'manual' : cell.evidence.source)}${cell.evidence.page ? ` · 第 ${cell.evidence.page} 页` : ''}${cell.evidence.ocrConfidence !== undefined ? ` · OCR ${pct(cell.evidence.ocrConfidence)}` : ''}`),
      cell.text && cell.state === 'number' && cell.text !== String(cell.value) ? [h('dt', null, '原文'), h('dd', null, cell.text)] : null,
      h('dt', null, '键'), h('dd', { class: 'mono' }, key)),
    cell.alternatives.length
      ? h('div', { class: 'alts' }, h('span', { class: 'muted' }, '候选值'),
        cell.alternatives.slice(0, 3).map((a, i) => h('button', {
          type: 'button', class: 'alt', tabindex: -1, title: `${a.why}（${pct(a.confidence)}）`, 'data-alt': i + 1,
          onclick: () => pickAlternative(i),
        }, h('kbd', null, `Alt+${i + 1}`), ` ${a.value ?? '（空）'}`, h('span', { class: 'muted' }, ` ${pct(a.confidence)}`))))
      : null,
    failing.length
      ? h('ul', { class: 'cell-checks' }, failing.map((f) => h('li', { class: f.soft ? 'soft' : 'fail' }, `✗ ${checkLabel(f)}`)))
      : cell.flags.some((f) => f.startsWith('check:')) ? h('p', { class: 'ok-text' }, '✓ 相关检查现已成立') : null,
    cell.flags.filter((f) => !f.startsWith('check:')).length ? h('p', { class: 'muted' }, `标记：${cell.flags.filter((f) => !f.startsWith('check:')).join('，')}`) : null);
}

function confidenceBar(confidence: number, cls: string): HTMLElement {
  const fillEl = h('span', { class: `fill c-${cls}` });
  fillEl.style.width = `${Math.round(confidence * 100)}%`;
  return h('span', { class: 'bar' }, fillEl);
}

function checkLabel(r: CheckResult): string {
  return `${r.id}：${r.lhs} ${r.holds ? '=' : '≠'} ${r.rhs}`;
}

function renderQueue(): void {
  const r = review!;
  const queue = r.queue();
  const done = queue.filter((k) => r.reviewed.has(k)).length;
  el.queueCount.textContent = `${done} / ${queue.length} 已复核`;
  el.queue.dataset.size = String(queue.length);
  if (!queue.length) {
    fill(el.queue, h('li', { class: 'muted empty' }, `没有低于 ${r.threshold} 或检查不成立的单元格。`));
    return;
  }
  fill(el.queue, queue.map((k) => {
    const v = r.valueOf(k);
    return h('li', {
      class: `q c-${r.classOf(k)}${k === r.current ? ' current' : ''}${r.reviewed.has(k) ? ' reviewed' : ''}`,
      'data-key': k, title: k,
      onclick: () => select(k),
    },
    h('span', { class: 'q-mark' }, r.reviewed.has(k) ? '✓' : '•'),
    h('span', { class: 'q-label', title: cellTitle(k) }, r.cells.get(k)!.rowLabel || r.cells.get(k)!.row),
    h('span', { class: 'q-col' }, r.cells.get(k)!.colLabel || r.cells.get(k)!.col),
    h('span', { class: 'q-value' }, displayValue(v.state, v.value)));
  }));
  el.queue.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
}

function renderChecks(): void {
  const r = review!;
  const failing = r.failing;
  const hard = r.hardFailing.length;
  el.checkStatus.textContent = r.results.length ? (hard ? `${hard} 项不成立` : `全部 ${r.results.length} 项成立`) : '无';
  el.checkStatus.className = `count ${hard ? 'bad' : 'good'}`;
  el.checkStatus.dataset.failing = String(hard);
  if (!r.results.length) {
    fill(el.checks, h('li', { class: 'muted empty' }, '这份报告的模板没有勾稽检查。'));
    return;
  }
  if (!failing.length) {
    fill(el.checks, h('li', { class: 'ok-text' }, `✓ ${r.results.length} 项勾稽关系全部成立`));
    return;
  }
  fill(el.checks, failing.map((f) => h('li', {
    class: f.soft ? 'soft' : 'fail', 'data-check': f.id, title: f.rule,
    onmouseenter: () => { hovered = new Set(f.cells); refresh(); },
    onmouseleave: () => { hovered = new Set(); refresh(); },
    onclick: () => select(f.cells.find((k) => !r.reviewed.has(k)) ?? f.cells[0]),
  }, h('span', { class: 'check-id' }, `✗ ${f.id}`), h('span', { class: 'check-sides' }, `${f.lhs} ≠ ${f.rhs}`))));
}

function renderHistory(): void {
  const r = review!;
  if (r.readonly) {
    fill(el.history, h('li', { class: 'muted empty' }, '从文件打开：没有保存记录。'));
    return;
  }
  if (!savedChanges.length) {
    fill(el.history, h('li', { class: 'muted empty' }, '还没有人修改过这份结果。'));
    return;
  }
  const shown = (state: string, value: number | null) => displayValue(state, value) || '（空）';
  fill(el.history, [...savedChanges].reverse().map((c) => h('li', { 'data-key': c.key, 'data-version': c.version },
    h('div', { class: 'h-top' }, h('span', { class: 'who' }, c.who), h('time', { datetime: c.at }, formatTime(c.at)), h('span', { class: 'muted' }, `第 ${c.version} 版`)),
    h('div', { class: 'h-cell', title: c.key }, review?.cells.has(c.key) ? cellTitle(c.key) : c.key),
    h('div', { class: 'h-change' },
      c.oldValue === c.newValue && c.oldState === c.newState
        ? h('span', { class: 'muted' }, `确认 ${shown(c.newState, c.newValue)}`)
        : [h('span', { class: 'old' }, shown(c.oldState, c.oldValue)), ' → ', h('span', { class: 'new' }, shown(c.newState, c.newValue))]))));
}

// ---------------------------------------------------------------------------------------------
// Navigation and editing

function scrollToCell(key: CellKey): void {
  const td = cellEls.get(key);
  if (td) {
    // Centre the cell when it is out of view or near an edge; leave the table still otherwise.
    const pane = td.closest('.tables-pane')!.getBoundingClientRect();
    const r = td.getBoundingClientRect();
    const margin = 60;
    const inside = r.top >= pane.top + margin && r.bottom <= pane.bottom - margin && r.left >= pane.left && r.right <= pane.right;
    if (!inside) td.scrollIntoView({ block: 'center', inline: 'nearest' });
  }
  void pageView.focus(key);
}

function select(key: CellKey | null): void {
  if (!review || !key) return;
  if (editor && editor.key !== key && !closeEditor(true)) return;
  review.current = key;
  refresh();
  scrollToCell(key);
}

function startEdit(initial: string): void {
  const r = review;
  const key = r?.current;
  if (!r || !key) return;
  if (r.cells.get(key)!.state === 'missing') {
    banner('info', '这一格在文档中没有印出（缺失），不能修改。');
    return;
  }
  const td = cellEls.get(key);
  if (!td) return;
  closeEditor(false);
  const input = h('input', { class: 'cell-editor', type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', 'aria-label': `修改 ${cellTitle(key)}` });
  input.value = initial;
  td.replaceChildren(input);
  td.classList.add('editing');
  editor = { key, input };
  // Clicking elsewhere keeps what was typed (when it is a number).
  input.addEventListener('blur', () => {
    if (editor?.input === input) closeEditor(true);
  });
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

/** Ends the edit; with commit, stores the typed value. False when what was typed is not a number. */
function closeEditor(commit: boolean): boolean {
  if (!editor) return true;
  const { key, input } = editor;
  if (commit && review) {
    const parsed = parseValue(input.value);
    if (parsed === 'invalid') {
      input.classList.add('invalid');
      input.setCustomValidity('请输入数字');
      banner('error', `“${input.value}”不是数字：请输入数字，或清空表示空白格。Esc 取消。`);
      return false;
    }
    review.setValue(key, parsed);
    if (el.banner.dataset.kind === 'error' && /不是数字/.test(el.banner.textContent ?? '')) hideBanner();
  }
  editor = null;
  const td = cellEls.get(key);
  if (td) {
    td.classList.remove('editing');
    td.replaceChildren();
  }
  if (document.activeElement === input || document.activeElement === document.body) (document.activeElement as HTMLElement | null)?.blur?.();
  refresh();
  return true;
}

function pickAlternative(i: number): void {
  const r = review;
  const key = r?.current;
  if (!r || !key) return;
  const alt = r.cells.get(key)!.alternatives[i];
  if (!alt) return;
  closeEditor(false);
  r.setValue(key, alt.value);
  refresh();
}

function move(dir: 1 | -1): void {
  if (!review) return;
  select(review.step(dir));
}

function accept(): void {
  const r = review;
  if (!r?.current) return;
  r.accept(r.current);
  const next = r.nextUnreviewed();
  if (next && next !== r.current) select(next);
  else refresh();
}

/** Arrow keys: left/right in document order, up/down to the nearest cell above/below in the same table. */
function arrow(key: string): void {
  const r = review;
  if (!r?.current) return;
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const i = r.position.get(r.current)! + (key === 'ArrowRight' ? 1 : -1);
    if (i >= 0 && i < r.layout.order.length) select(r.layout.order[i]);
    return;
  }
  const td = cellEls.get(r.current);
  const table = td?.closest('table');
  if (!td || !table) return;
  const here = td.getBoundingClientRect();
  const cx = here.left + here.width / 2;
  let best: { key: CellKey; d: number } | null = null;
  for (const other of table.querySelectorAll<HTMLTableCellElement>('td.v')) {
    const rect = other.getBoundingClientRect();
    const below = rect.top >= here.bottom - 1;
    const above = rect.bottom <= here.top + 1;
    if ((key === 'ArrowDown' && !below) || (key === 'ArrowUp' && !above)) continue;
    const dy = key === 'ArrowDown' ? rect.top - here.bottom : here.top - rect.bottom;
    const d = dy * 4 + Math.abs(rect.left + rect.width / 2 - cx);
    if (!best || d < best.d) best = { key: other.dataset.key!, d };
  }
  if (best) select(best.key);
}

const NUMBER_KEY = /^[0-9０-９.\-．－]$/;

function onKey(e: KeyboardEvent): void {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
    e.preventDefault();
    if (editor && !closeEditor(true)) return;
    void save();
    return;
  }
  if (!review || el.reviewView.hidden) return;
  const target = e.target as HTMLElement;
  const inEditor = !!editor && target === editor.input;
  if (!inEditor && target.closest('input, textarea, select, [contenteditable="true"]')) return;
  if (e.isComposing) return;

  const altDigit = e.altKey && /^Digit[1-3]$/.test(e.code);
  if (altDigit) {
    e.preventDefault();
    pickAlternative(Number(e.code.slice(-1)) - 1);
    return;
  }
  if (inEditor) {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (closeEditor(true)) {
        const next = review.nextUnreviewed();
        if (next) select(next);
      }
    } else if (e.key === 'Tab') {
      e.preventDefault();
      if (closeEditor(true)) move(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      closeEditor(false);
    }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  switch (e.key) {
    case 'Enter':
      e.preventDefault();
      accept();
      return;
    case 'Tab':
      e.preventDefault();
      move(e.shiftKey ? -1 : 1);
      return;
    case 'F2':
      e.preventDefault();
      if (review.current) {
        const v = review.valueOf(review.current);
        startEdit(v.value === null ? '' : String(v.value));
      }
      return;
    case 'Backspace':
    case 'Delete':
      e.preventDefault();
      startEdit('');
      return;
    case 'Escape':
      if (hovered.size) {
        hovered = new Set();
        refresh();
      }
      hideBanner();
      return;
    case 'ArrowLeft':
    case 'ArrowRight':
    case 'ArrowUp':
    case 'ArrowDown':
      e.preventDefault();
      arrow(e.key);
      return;
  }
  if (NUMBER_KEY.test(e.key)) {
    e.preventDefault();
    startEdit(e.key);
  }
}

// ---------------------------------------------------------------------------------------------
// Save, conflicts, export

async function save(): Promise<void> {
  const r = review;
  if (!r || saving) return;
  if (r.readonly) {
    banner('info', '这份结果是从文件打开的，不能保存回服务：请用“导出 JSON / CSV”。');
    return;
  }
  if (editor && !closeEditor(true)) return;
  const changes = r.changes(true);
  if (!changes.length) {
    banner('info', '没有要保存的修改。');
    return;
  }
  saving = true;
  setActions();
  const gen = generation;
  try {
    const res = await api.save(r.resultId!, r.version!, changes);
    const list = await api.corrections(r.resultId!);
    if (gen !== generation) return;
    savedChanges = list.corrections;
    const next = new Review(res.report, r.resultId, res.version, r.threshold);
    next.current = r.current;
    for (const k of r.reviewed) if (next.cells.has(k)) next.reviewed.add(k);
    saving = false;
    await showReview(next, gen);
    const edits = changes.filter((c) => r.isEdited(c.key)).length;
    banner('ok', `已保存：${edits} 处修改${changes.length > edits ? `，${changes.length - edits} 处确认` : ''}（现为第 ${res.version} 版）。`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) await conflict(r);
    else banner('error', `保存失败：${errorText(err)}`);
  } finally {
    saving = false;
    setActions();
  }
}

/** Someone saved since this version was loaded: say who and when, keep the local edits, never overwrite. */
async function conflict(r: Review): Promise<void> {
  let who = '其他人';
  let at = '';
  let now: number | null = null;
  try {
    const list = await api.corrections(r.resultId!);
    const latest = list.corrections.filter((c) => c.version > (r.version ?? 0)).at(-1) ?? list.corrections.at(-1);
    if (latest) {
      who = latest.who;
      at = formatTime(latest.at);
    }
    now = list.version;
  } catch {
    /* the message still holds */
  }
  const edits = new Map(r.edits);
  banner('error',
    h('span', { class: 'conflict' },
      h('strong', null, '未保存：'),
      `${who}${at ? ` 在 ${at}` : ''} 保存了这份结果（你载入的是第 ${r.version} 版${now !== null ? `，现在是第 ${now} 版` : ''}）。`,
      '你的修改没有写入，也不会覆盖对方的修改 —— 请重新载入。'),
    [
      { label: '重新载入并保留我的修改', run: () => { hideBanner(); void openResult(r.resultId!, edits); } },
      { label: '重新载入', run: () => { hideBanner(); void openResult(r.resultId!); } },
    ]);
  el.banner.dataset.conflict = 'true';
}

function exportJson(): void {
  if (!review) return;
  const report = review.corrected();
  download(`${baseName(report)}.json`, JSON.stringify(report, null, 2) + '\n', 'application/json');
}

function exportCsv(): void {
  if (!review) return;
  const report = review.corrected();
  download(`${baseName(report)}.csv`, toCsv(report), 'text/csv;charset=utf-8');
}

function baseName(report: Report): string {
  return (report.source.filename || report.id).replace(/\.[^.]+$/, '').replace(/[\\/:*?"<>|]+/g, '_') + '.corrected';
}

// ---------------------------------------------------------------------------------------------
// Opening: upload, list, exported JSON

async function upload(file: File): Promise<void> {
  const status = el.uploadStatus;
  const progress = h('progress', { max: 1 });
  const text = h('span', null, `上传 ${file.name}…`);
  fill(status, text, progress);
  status.dataset.state = 'uploading';
  try {
    let job = await api.submit(file);
    const started = Date.now();
    while (job.status === 'queued' || job.status === 'running') {
      const { pagesDone, pagesTotal } = job.progress;
      text.textContent = job.status === 'queued' ? `${file.name}：排队中…` : `${file.name}：转换中${pagesTotal ? ` · 第 ${pagesDone} / ${pagesTotal} 页` : '…'}`;
      if (pagesTotal) {
        progress.max = pagesTotal;
        progress.value = pagesDone;
      } else {
        progress.removeAttribute('value');
      }
      status.dataset.state = job.status;
      await new Promise((resolve) => setTimeout(resolve, Date.now() - started < 5000 ? 300 : 1000));
      job = await api.job(job.id);
    }
    status.dataset.state = job.status;
    if (job.status === 'succeeded' && job.resultId) {
      fill(status, h('span', { class: 'ok-text' }, `✓ ${file.name} 已转换`));
      location.hash = `#/results/${encodeURIComponent(job.resultId)}`;
    } else if (job.status === 'failed') {
      fill(status, h('span', { class: 'error-text' }, `✗ 转换失败：${job.error?.message ?? '未知错误'}`));
    } else {
      fill(status, h('span', { class: 'error-text' }, '转换已取消。'));
    }
  } catch (err) {
    status.dataset.state = 'failed';
    fill(status, h('span', { class: 'error-text' }, `✗ ${errorText(err)}`));
  }
}

async function openJsonFile(file: File): Promise<void> {
  try {
    const data = JSON.parse(await file.text()) as Report;
    if (data?.model !== MODEL_ID || !Array.isArray(data.tables)) throw new Error(`不是 ${MODEL_ID} 结果文件`);
    savedChanges = [];
    generation++;
    hideBanner();
    shownHash = '#/file';
    location.hash = '#/file';
    await showReview(new Review(data, null, null, storedThreshold()), generation);
    banner('info', `已打开 ${file.name}：本地校对，可导出 JSON 或 CSV，不能保存回服务。`);
  } catch (err) {
    banner('error', `无法打开 ${file.name}：${(err as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring

byId<HTMLFormElement>('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  el.key.dispatchEvent(new Event('change'));
});
el.key.value = apiKey();
el.key.addEventListener('change', () => {
  setApiKey(el.key.value.trim());
  hideBanner();
  void route();
});
el.open.addEventListener('click', () => {
  if (location.hash === '#/' || location.hash === '') showOpenView();
  else location.hash = '#/';
});
el.save.addEventListener('click', () => void save());
el.json.addEventListener('click', exportJson);
el.csv.addEventListener('click', exportCsv);
el.refresh.addEventListener('click', () => void loadResultList());
el.search.addEventListener('input', () => resultList.search(el.search.value));
el.upload.addEventListener('change', () => {
  const file = el.upload.files?.[0];
  el.upload.value = '';
  if (file) void upload(file);
});
el.jsonInput.addEventListener('change', () => {
  const file = el.jsonInput.files?.[0];
  el.jsonInput.value = '';
  if (file) void openJsonFile(file);
});
el.dropZone.addEventListener('dragover', (e) => {
  e.preventDefault();
  el.dropZone.classList.add('drag');
});
el.dropZone.addEventListener('dragleave', () => el.dropZone.classList.remove('drag'));
el.dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  el.dropZone.classList.remove('drag');
  const file = e.dataTransfer?.files?.[0];
  if (!file) return;
  if (/\.json$/i.test(file.name)) void openJsonFile(file);
  else void upload(file);
});
el.threshold.addEventListener('change', () => {
  const n = Number(el.threshold.value);
  if (!(n > 0 && n <= 1) || !review) return;
  review.threshold = n;
  try {
    localStorage.setItem(THRESHOLD_STORAGE, String(n));
  } catch {
    /* not kept */
  }
  refresh();
});
el.tables.addEventListener('click', (e) => {
  const td = (e.target as HTMLElement).closest<HTMLTableCellElement>('td.v');
  if (td?.dataset.key && !td.classList.contains('editing')) select(td.dataset.key);
});
el.tables.addEventListener('dblclick', (e) => {
  const td = (e.target as HTMLElement).closest<HTMLTableCellElement>('td.v');
  if (!td?.dataset.key || !review) return;
  select(td.dataset.key);
  const v = review.valueOf(td.dataset.key);
  startEdit(v.value === null ? '' : String(v.value));
});
document.addEventListener('keydown', onKey);
window.addEventListener('hashchange', () => void route());
window.addEventListener('beforeunload', (e) => {
  if (unsaved()) e.preventDefault();
});

void route();
