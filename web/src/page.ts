/**
 * The page image with every canonical cell outlined at its evidence box, coloured like the table
 * cell; scrolls and zooms to the current cell.
 */
import type { CellKey } from '../../src/model/report.js';
import { api, type PageImage } from './api.js';
import { fill, h } from './dom.js';
import type { Review } from './review.js';

const MIN_ZOOM = 0.2;
const MAX_ZOOM = 4;
export const ZOOM_STEP = 1.25;

export class PageView {
  private images = new Map<number, PageImage | null>();
  private page = 1;
  private zoom = 0;
  /** The zoom follows the pane's width (on opening, and after 适合宽度) until the reviewer zooms. */
  private fitted = true;
  private boxes = new Map<CellKey, HTMLDivElement>();
  private review: Review | null = null;
  private readonly scroller: HTMLDivElement;
  private readonly canvas: HTMLDivElement;
  private readonly pageLabel: HTMLSpanElement;
  private readonly zoomLabel: HTMLSpanElement;
  /** Whether the loaded result has page images at all. */
  private available = false;

  constructor(root: HTMLElement, private readonly pick: (key: CellKey) => void) {
    this.pageLabel = h('span', { class: 'page-no' });
    this.zoomLabel = h('span', { class: 'zoom-no' });
    const btn = (label: string, title: string, on: () => void) => h('button', { type: 'button', class: 'tool', title, tabindex: -1, onclick: on }, label);
    const toolbar = h('div', { class: 'page-toolbar' },
      btn('‹', '上一页', () => void this.show(this.page - 1)),
      this.pageLabel,
      btn('›', '下一页', () => void this.show(this.page + 1)),
      h('span', { class: 'spacer' }),
      btn('−', '缩小 ([ 或 Ctrl+滚轮)', () => this.zoomBy(1 / ZOOM_STEP)),
      this.zoomLabel,
      btn('+', '放大 (] 或 Ctrl+滚轮)', () => this.zoomBy(ZOOM_STEP)),
      btn('适合宽度', '按窗格宽度显示 (\\)', () => this.fit()));
    this.canvas = h('div', { class: 'page-canvas' });
    this.scroller = h('div', { class: 'page-scroll' }, this.canvas);
    fill(root, toolbar, this.scroller);
    this.canvas.addEventListener('click', (e) => {
      const key = (e.target as HTMLElement).closest<HTMLElement>('.box')?.dataset.key;
      if (key) this.pick(key);
    });
    // Ctrl+wheel (and a touchpad's pinch, which the browser sends as one) zooms around the pointer; the plain wheel scrolls.
    this.scroller.addEventListener('wheel', (e) => {
      if (!e.ctrlKey || !this.image) return;
      e.preventDefault();
      const r = this.scroller.getBoundingClientRect();
      this.zoomBy(e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    // The pane is hidden while a result loads and changes size with the window (and between the side-by-side
    // and stacked layouts): a fitted page is fitted again, and the current cell brought back into view.
    new ResizeObserver(() => {
      if (!this.fitted || !this.image || this.fitZoom() === null) return;
      this.fit();
      if (this.review?.current) void this.focus(this.review.current);
    }).observe(this.scroller);
  }

  private get pages(): number {
    return Math.max(1, this.review?.report.source.pages ?? 1);
  }

  private get image(): PageImage | null {
    return this.images.get(this.page) ?? null;
  }

  /** Loads the first page the cells point at; false when the result has no page images. */
  async open(review: Review): Promise<boolean> {
    this.clear();
    this.review = review;
    // Markup and text sources (HTML, DOCX, DOC, text) have no pages to show: no need to ask.
    if (!review.resultId || !/^(pdf-|image-)/.test(review.report.source.route)) return (this.available = false);
    const first = [...review.cells.values()].find((c) => c.evidence.page && c.evidence.bbox)?.evidence.page ?? 1;
    const img = await this.fetchPage(first);
    if (this.review !== review) return false;
    this.available = img !== null;
    if (this.available) await this.show(first);
    return this.available;
  }

  clear(): void {
    for (const img of this.images.values()) if (img) URL.revokeObjectURL(img.url);
    this.images.clear();
    this.boxes.clear();
    this.canvas.replaceChildren();
    this.review = null;
    this.available = false;
    this.zoom = 0;
    this.fitted = true;
    this.page = 1;
  }

  private async fetchPage(n: number): Promise<PageImage | null> {
    if (this.images.has(n)) return this.images.get(n)!;
    const id = this.review?.resultId;
    if (!id) return null;
    let img: PageImage | null = null;
    try {
      img = await api.page(id, n);
    } catch {
      img = null;
    }
    this.images.set(n, img);
    return img;
  }

  async show(n: number): Promise<void> {
    const review = this.review;
    if (!review || n < 1 || n > this.pages) return;
    const img = await this.fetchPage(n);
    if (this.review !== review) return;
    this.page = n;
    this.boxes.clear();
    this.pageLabel.textContent = `${n} / ${this.pages}`;
    if (!img) {
      fill(this.canvas, h('p', { class: 'muted note' }, `第 ${n} 页没有图像。`));
      return;
    }
    const boxes: HTMLDivElement[] = [];
    for (const c of review.cells.values()) {
      const bbox = c.evidence.bbox;
      if (c.evidence.page !== n || !bbox) continue;
      const [x0, y0, x1, y1] = bbox.map((v) => v * img.scale);
      const box = h('div', { class: 'box', 'data-key': c.key });
      box.style.left = `${(x0 / img.width) * 100}%`;
      box.style.top = `${(y0 / img.height) * 100}%`;
      box.style.width = `${(Math.max(1, x1 - x0) / img.width) * 100}%`;
      box.style.height = `${(Math.max(1, y1 - y0) / img.height) * 100}%`;
      this.boxes.set(c.key, box);
      boxes.push(box);
    }
    fill(this.canvas, h('img', { src: img.url, alt: `第 ${n} 页`, draggable: 'false' }), boxes);
    if (this.fitted || !this.zoom) this.zoom = this.fitZoom() ?? (this.zoom || 1);
    this.applyZoom();
    this.paint();
  }

  /** The zoom at which the page fills the pane's width; null while the pane is not laid out (hidden). */
  private fitZoom(): number | null {
    const img = this.image;
    const room = this.scroller.clientWidth - 24;
    if (!img || room <= 0) return null;
    return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, room / img.width));
  }

  /** Fits the page to the pane's width, and keeps it fitted as the pane changes size. */
  fit(): void {
    const z = this.fitZoom();
    if (z === null) return;
    this.fitted = true;
    this.zoom = z;
    this.applyZoom();
  }

  /** Zooms by a factor, keeping the point at (x, y) in the pane (its centre by default) where it is. */
  zoomBy(factor: number, x = this.scroller.clientWidth / 2, y = this.scroller.clientHeight / 2): void {
    const img = this.image;
    if (!img) return;
    this.fitted = false;
    const fx = (this.scroller.scrollLeft + x) / (img.width * this.zoom);
    const fy = (this.scroller.scrollTop + y) / (img.height * this.zoom);
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.zoom * factor));
    this.applyZoom();
    this.scroller.scrollLeft = fx * img.width * this.zoom - x;
    this.scroller.scrollTop = fy * img.height * this.zoom - y;
  }

  /** Moves the view over the page by a share of the pane's size. */
  pan(dx: number, dy: number): void {
    this.scroller.scrollBy({ left: dx * this.scroller.clientWidth * 0.2, top: dy * this.scroller.clientHeight * 0.2 });
  }

  private applyZoom(): void {
    const img = this.image;
    if (!img) return;
    this.canvas.style.width = `${img.width * this.zoom}px`;
    this.canvas.style.height = `${img.height * this.zoom}px`;
    this.zoomLabel.textContent = `${Math.round(this.zoom * 100)}%`;
  }

  /** Colours every box like its table cell; marks the current cell and its check peers. */
  paint(peers: Set<CellKey> = new Set()): void {
    const review = this.review;
    if (!review) return;
    for (const [key, box] of this.boxes) {
      const cls = `box c-${review.classOf(key)}${review.current === key ? ' current' : ''}${peers.has(key) ? ' peer' : ''}${review.isEdited(key) ? ' edited' : ''}`;
      if (box.className !== cls) box.className = cls;
    }
  }

  /** Shows the current cell's page and brings its box into view, zooming in when it is too small to read. */
  async focus(key: CellKey): Promise<void> {
    const review = this.review;
    if (!review || !this.available) return;
    const cell = review.cells.get(key);
    const page = cell?.evidence.page;
    if (!cell || !page || !cell.evidence.bbox) return;
    if (page !== this.page || !this.boxes.size) await this.show(page);
    const img = this.image;
    if (!img || this.review !== review) return;
    const [x0, y0, x1, y1] = cell.evidence.bbox.map((v) => v * img.scale);
    const shown = (y1 - y0) * this.zoom;
    if (shown < 14) {
      this.zoom = Math.min(MAX_ZOOM, Math.max(this.fitZoom() ?? MIN_ZOOM, 19 / Math.max(1, y1 - y0)));
      this.fitted = false;
      this.applyZoom();
    }
    const cx = ((x0 + x1) / 2) * this.zoom;
    const cy = ((y0 + y1) / 2) * this.zoom;
    this.scroller.scrollTo({ left: cx - this.scroller.clientWidth / 2, top: cy - this.scroller.clientHeight / 2 });
  }
}
