/**
 * Which result is open, by the location hash: #/ the open view with the results list,
 * #/results/<id> a stored result, #/file a JSON file opened from disk (read-only). Leaving unsaved
 * edits asks first.
 */
import { isMetaKey, type CorrectionChange } from '../../src/api/wire.js';
import { MODEL_ID, type Report } from '../../src/model/report.js';
import { api } from './api.js';
import { banner, errorText, hideBanner } from './banner.js';
import { correctable } from '../../src/check/queue.js';
import { byId, fill, h } from './dom.js';
import { ResultList } from './results.js';
import { Review } from './review.js';
import type { ReviewScreen } from './review-screen.js';
import { storedThreshold, type State } from './state.js';

/** Results per page of the list. */
const PAGE = 100;

export class Opening {
  readonly list: ResultList;
  private readonly listRoot = byId('result-list');
  private readonly onlyNeeding = byId<HTMLInputElement>('filter-review');
  private readonly search = byId<HTMLInputElement>('result-search');
  /** Lists asked for: an answer to an older ask (a word typed since) is dropped. */
  private asked = 0;
  /** The hash of what is on screen, to go back to when leaving it is cancelled. */
  private shownHash = '';

  constructor(private readonly state: State, private readonly screen: ReviewScreen) {
    this.list = new ResultList(this.listRoot, byId('result-counts'), byId<HTMLButtonElement>('btn-more'));
    this.onlyNeeding.addEventListener('change', () => void this.loadList());
    // The service searches every result, not only the pages loaded: asked again once typing pauses.
    let typing: ReturnType<typeof setTimeout> | undefined;
    this.search.addEventListener('input', () => {
      this.list.search(this.search.value);
      clearTimeout(typing);
      typing = setTimeout(() => void this.loadList(), 250);
    });
    byId('btn-more').addEventListener('click', () => void this.loadList(true));
  }

  async route(): Promise<void> {
    const state = this.state;
    if (location.hash !== this.shownHash && state.unsaved
      && !confirm(state.review?.readonly ? '这份文件的修改还没有导出。离开并放弃这些修改吗？' : '这份结果还有未保存的修改。离开并放弃这些修改吗？')) {
      window.history.replaceState(null, '', this.shownHash || '#/');
      return;
    }
    this.shownHash = location.hash;
    const m = /^#\/results\/([^/?#]+)/.exec(location.hash);
    if (m) return this.openResult(decodeURIComponent(m[1]));
    if (location.hash === '#/file' && state.review?.readonly) return;
    this.showOpenView();
  }

  showOpenView(): void {
    this.screen.leaveReview();
    void this.loadList();
  }

  /** The first page of the list, or with `more` the page after those loaded. */
  async loadList(more = false): Promise<void> {
    const ask = ++this.asked;
    try {
      const page = await api.results({ limit: PAGE, needsReview: this.onlyNeeding.checked, q: this.search.value, cursor: more ? this.list.cursor : null });
      if (ask === this.asked) this.list.set(page, more);
    } catch (err) {
      fill(this.listRoot, h('p', { class: 'error-text' }, `无法读取结果列表：${errorText(err)}`));
    }
  }

  /** Opens a stored result; `keep` lays local edits (cells' and fields') over it (after a refused save). */
  async openResult(id: string, keep?: CorrectionChange[]): Promise<void> {
    const generation = this.state.begin();
    this.screen.loading(true);
    try {
      // The version first: a save made between the two reads then conflicts instead of being lost.
      const history = await api.corrections(id);
      const report = await api.report(id);
      if (!this.state.isLatest(generation)) return;
      const next = new Review(report, id, history.version, storedThreshold());
      if (keep) {
        for (const c of keep) if (isMetaKey(c.key)) next.setField(c.key, c.value);
        next.setValues(keep.flatMap((c) => {
          const cell = next.cells.get(c.key);
          return cell && correctable(cell, next.report.warnings) && typeof c.value !== 'string' ? [[c.key, c.value] as const] : [];
        }));
      }
      await this.screen.show(next, history.corrections, generation);
    } catch (err) {
      if (!this.state.isLatest(generation)) return;
      banner('error', `无法打开结果 ${id}：${errorText(err)}`);
      this.showOpenView();
    } finally {
      if (this.state.isLatest(generation)) this.screen.loading(false);
    }
  }

  /** Opens a result JSON exported by the batch command: reviewed and exported here, never saved. */
  async openFile(file: File): Promise<void> {
    try {
      const data = JSON.parse(await file.text()) as Report;
      if (data?.model !== MODEL_ID || !Array.isArray(data.tables)) throw new Error(`不是 ${MODEL_ID} 结果文件`);
      const generation = this.state.begin();
      hideBanner();
      this.shownHash = '#/file';
      location.hash = '#/file';
      await this.screen.show(new Review(data, null, null, storedThreshold()), [], generation);
      banner('info', `已打开 ${file.name}：本地校对，可导出 JSON 或 CSV，不能保存回服务。`);
    } catch (err) {
      banner('error', `无法打开 ${file.name}：${(err as Error).message}`);
    }
  }
}
