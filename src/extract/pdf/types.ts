/** Internal shapes shared by the PDF extractor's stages (not part of the layout contract). */
import type { LayoutGrid, LayoutLine } from '../../layout/types.js';

/** A text run from the text layer, in page points with the origin at the top-left corner. */
export interface TextItem {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Font height in points. */
  size: number;
  /** Direction the text advances in, degrees clockwise from left-to-right on the page (text layer only). */
  angle?: number;
  /** Luminance of the paint (0 black … 1 white) and its opacity (ExtGState `ca` / `CA`), text layer only. */
  lum?: number;
  alpha?: number;
}

/** A filled rectangle that is not a rule: a shaded cell or a banner light text may stand on. */
export interface Fill {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  lum: number;
}

/** A horizontal ruling line (after joining collinear pieces). */
export interface HLine {
  y: number;
  x0: number;
  x1: number;
}

/** A vertical ruling line (after joining collinear pieces). */
export interface VLine {
  x: number;
  y0: number;
  y1: number;
}

/** Everything read from one page before layout analysis. */
export interface PageContent {
  page: number;
  width: number;
  height: number;
  items: TextItem[];
  hLines: HLine[];
  vLines: VLine[];
  /** Share of the page area covered by painted images (0..1, overlaps counted twice, capped at 1). */
  imageCoverage: number;
  /** Paths filled with curves: many of them and no text means text drawn as outlines. */
  curveFills: number;
  /** Glyphs drawn invisibly (Tr 3 or 7): over a page-sized image, another program's OCR of a scan. */
  invisibleGlyphs: number;
  /** The pdf.js ids of the fonts the page sets (each one parsed and cached by pdf.js). */
  fontIds: string[];
  /** Text left out as page furniture: drawn at an angle to the page's text, or too faint to be read. */
  watermark: { glyphs: number; text: string } | null;
}

/** A visual line of text: items that share a baseline band, left to right. */
export interface VisualLine {
  items: TextItem[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
  /** Median font size of the items. */
  size: number;
}

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

