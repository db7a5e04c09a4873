/**
 * What the screen shows: the review being worked on (its result id, version, threshold and local edits
 * are the Review's), its saved history, and the page's own flags. Every change goes through a method
 * here, which tells the listeners what changed, so no module repaints another module's part itself.
 */
import type { CorrectionEntry, MetaKey } from '../../src/api/wire.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../../src/check/summary.js';
import type { CellKey } from '../../src/model/report.js';
import type { Review } from './review.js';

const THRESHOLD_STORAGE = 'xxgk.reviewThreshold';

/**
 * - `view`: the open view is shown (the last review stays loaded behind it);
 * - `opened`: another review is on screen, in the review view;
 * - `changed`: a value, the current cell or the threshold changed;
 * - `hover`: the pointer went onto or off a check in the checks list (only the highlighting changes,
 *   so that list is not rebuilt under the pointer);
 * - `saving`: a save started or ended.
 */
export type Change = 'view' | 'opened' | 'changed' | 'hover' | 'saving';

export function storedThreshold(): number {
  try {
    const n = Number(localStorage.getItem(THRESHOLD_STORAGE));
    return n > 0 && n <= 1 ? n : DEFAULT_REVIEW_THRESHOLD;
  } catch {
    return DEFAULT_REVIEW_THRESHOLD;
  }
}

export class State {
  private loaded: Review | null = null;
  private shown: 'open' | 'review' = 'open';
  private saved: CorrectionEntry[] = [];
  /** Cells of the check the pointer is over in the checks list. */
  private hovered = new Set<CellKey>();
  private busy = false;
  private latest = 0;
  private readonly listeners: ((change: Change) => void)[] = [];

  on(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: Change): void {
    for (const l of this.listeners) l(change);
  }

  get review(): Review | null {
    return this.loaded;
  }

  get view(): 'open' | 'review' {
    return this.shown;
  }

  /** The saved changes of the review's result, oldest first (none for a file). */
  get history(): CorrectionEntry[] {
    return this.saved;
  }

  get saving(): boolean {
    return this.busy;
  }

  /** Local corrections not saved (or, for a file, not exported) yet. */
  get unsaved(): boolean {
    return !!this.loaded && this.loaded.edits.size + this.loaded.fieldEdits.size > 0;
  }

  /** Cells highlighted together: the check under the pointer, else the failing checks of the current cell. */
  get peers(): Set<CellKey> {
    if (this.hovered.size) return this.hovered;
    const out = new Set<CellKey>();
    const r = this.loaded;
    if (r?.current) for (const check of r.failingByCell.get(r.current) ?? []) for (const k of check.cells) out.add(k);
    return out;
  }

  get hovering(): boolean {
    return this.hovered.size > 0;
  }

  /** Starts opening another result; answers that arrive later for an older one are then dropped. */
  begin(): number {
    return ++this.latest;
  }

  get generation(): number {
    return this.latest;
  }

  isLatest(generation: number): boolean {
    return generation === this.latest;
  }

  open(review: Review, history: CorrectionEntry[]): void {
    this.loaded = review;
    this.saved = history;
    this.hovered = new Set();
    this.shown = 'review';
    this.emit('opened');
  }

  showOpen(): void {
    this.shown = 'open';
    this.emit('view');
  }

  select(key: CellKey): void {
    if (!this.loaded) return;
    this.loaded.current = key;
    this.emit('changed');
  }

  setValue(key: CellKey, value: number | null): void {
    if (!this.loaded) return;
    this.loaded.setValue(key, value);
    this.emit('changed');
  }

  accept(key: CellKey): void {
    if (!this.loaded) return;
    this.loaded.accept(key);
    this.emit('changed');
  }

  setField(key: MetaKey, value: string | number | null): void {
    if (!this.loaded) return;
    this.loaded.setField(key, value);
    this.emit('changed');
  }

  hover(cells: CellKey[]): void {
    this.hovered = new Set(cells);
    this.emit('hover');
  }

  /** A new review threshold, kept in the browser for the next result too. */
  setThreshold(n: number): void {
    if (!(n > 0 && n <= 1) || !this.loaded) return;
    this.loaded.threshold = n;
    try {
      localStorage.setItem(THRESHOLD_STORAGE, String(n));
    } catch {
      /* not kept */
    }
    this.emit('changed');
  }

  setSaving(saving: boolean): void {
    if (this.busy === saving) return;
    this.busy = saving;
    this.emit('saving');
  }
}
