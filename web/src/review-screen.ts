/**
 * Which view shows, and the review view's two panes: the forms, one <td> per cell, and the page
 * image with the cells outlined. Both are repainted whenever the state changes.
 */
import type { CorrectionEntry } from '../../src/api/wire.js';
import type { CellKey } from '../../src/model/report.js';
import { byId } from './dom.js';
import { PageView } from './page.js';
import type { Review } from './review.js';
import { SourceView } from './source-view.js';
import type { State } from './state.js';
import { paintCell, renderTables } from './tables.js';

const ROUTE_NAMES: Record<string, string> = {
  text: '纯文本', html: 'HTML', docx: 'Word', doc: 'Word', 'pdf-text': 'PDF', 'pdf-ocr': '扫描 PDF', 'pdf-mixed': 'PDF', 'image-ocr': '图像',
};

interface ScreenHooks {
  /** A cell picked on the page image. */
  pick(key: CellKey): void;
  /** Called before the screen changes: an edit in progress is dropped. */
  leave(): void;
}

export class ReviewScreen {
  private readonly openView = byId('open-view');
  private readonly reviewView = byId('review-view');
  private readonly tables = byId('tables');
  private readonly noImage = byId('no-image-note');
  private readonly sourcePane = byId('source-pane');
  /** The printed table around the current cell, for sources without page images. */
  private readonly sourceView: SourceView;
  /** The page image; its keys are wired by main.ts beside the review keys. */
  readonly pageView: PageView;
  private cells = new Map<CellKey, HTMLTableCellElement>();

  constructor(private readonly state: State, private readonly hooks: ScreenHooks) {
    this.pageView = new PageView(byId('page-pane'), (key) => hooks.pick(key));
    this.sourceView = new SourceView(this.sourcePane, (key) => hooks.pick(key));
    state.on((change) => {
      if (change === 'view') this.showOpenView();
      if (change === 'opened') this.showReviewView();
      if (change === 'opened' || change === 'changed' || change === 'hover') this.paint();
    });
  }

  /** The forms' cell of a key. */
  cell(key: CellKey): HTMLTableCellElement | undefined {
    return this.cells.get(key);
  }

  /** While a result is fetched: the pointer says so, and the old one's page-image flag is gone. */
  loading(on: boolean): void {
    if (!on) {
      delete document.body.dataset.loading;
      return;
    }
    document.body.dataset.loading = 'true';
    delete this.reviewView.dataset.pageImages;
  }

  /** The open view; the review stays loaded behind it. */
  leaveReview(): void {
    this.hooks.leave();
    this.state.showOpen();
  }

  /** Puts a review on screen, at its first cell to review; the page image follows when it has come. */
  async show(next: Review, history: CorrectionEntry[], generation: number): Promise<void> {
    this.hooks.leave();
    next.current = next.nextUnreviewed() ?? next.layout.order.find((k) => next.cells.get(k)!.state !== 'missing') ?? null;
    this.state.open(next, history);
    // Page images: PDF and image sources have them; HTML, DOCX and text do not.
    this.reviewView.classList.add('no-image');
    this.reviewView.classList.remove('has-source');
    this.sourcePane.hidden = true;
    delete this.reviewView.dataset.pageImages;
    this.noImage.hidden = true;
    const hasImages = await this.pageView.open(next);
    if (!this.state.isLatest(generation) || this.state.review !== next) return;
    this.reviewView.classList.toggle('no-image', !hasImages);
    this.reviewView.dataset.pageImages = String(hasImages);
    if (!hasImages) {
      const source = SourceView.has(next);
      this.reviewView.classList.toggle('has-source', source);
      this.sourcePane.hidden = !source;
      this.noImage.hidden = false;
      const instead = source ? '旁边是原文中这一格所在的几行，可以对照。' : '只显示表格。';
      this.noImage.textContent = next.readonly
        ? `从文件打开的结果不带页面图像：${instead}`
        : `${next.report.source.filename} 没有页面图像（${ROUTE_NAMES[next.report.source.route] ?? next.report.source.route}）：${instead}`;
    }
    this.paint();
    if (next.current) this.scrollTo(next.current);
  }

  /** Brings a cell into view in the forms (centred when near an edge) and on the page image. */
  scrollTo(key: CellKey): void {
    const td = this.cells.get(key);
    if (td) {
      const pane = td.closest('.tables-pane')!.getBoundingClientRect();
      const r = td.getBoundingClientRect();
      const margin = 60;
      const inside = r.top >= pane.top + margin && r.bottom <= pane.bottom - margin && r.left >= pane.left && r.right <= pane.right;
      if (!inside) td.scrollIntoView({ block: 'center', inline: 'nearest' });
    }
    void this.pageView.focus(key);
  }

  paint(): void {
    const review = this.state.review;
    if (!review) return;
    const peers = this.state.peers;
    for (const [key, td] of this.cells) paintCell(td, review, key, peers.has(key) && key !== review.current ? ['peer'] : []);
    this.pageView.paint(peers);
    if (!this.sourcePane.hidden) this.sourceView.render(review);
  }

  private showOpenView(): void {
    this.reviewView.hidden = true;
    delete this.reviewView.dataset.pageImages;
    this.openView.hidden = false;
    document.body.dataset.view = 'open';
  }

  private showReviewView(): void {
    this.openView.hidden = true;
    this.reviewView.hidden = false;
    document.body.dataset.view = 'review';
    this.cells = renderTables(this.tables, this.state.review!);
  }
}
