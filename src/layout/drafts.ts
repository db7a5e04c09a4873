/** Blocks of a page under construction, before grids continued across pages are merged. */
import type { LayoutGrid, LayoutLine } from './types.js';

/** A grid under construction: the layout grid plus its column boundaries, for cross-page merging. */
export interface GridDraft {
  grid: LayoutGrid;
  /** Column boundaries in page points (cols + 1 values). */
  xs: number[];
  /** Page the last part of this grid is on. */
  lastPage: number;
  /** Column boundaries of the last part (for matching a further continuation). */
  lastXs: number[];
}

export type DraftBlock = LayoutLine | GridDraft;
