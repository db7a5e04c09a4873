/** Internal shapes shared by the PDF extractor's stages (not part of the layout contract). */
import type { Rule } from '../../layout/rule-grid.js';
import type { TextItem } from '../../layout/text-items.js';

/** A filled rectangle that is not a rule: a shaded cell or a banner light text may stand on. */
export interface Fill {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  lum: number;
}

/** Everything read from one page before layout analysis. */
export interface PageContent {
  page: number;
  width: number;
  height: number;
  items: TextItem[];
  /** Ruling lines, horizontal and vertical, collinear pieces joined. */
  hLines: Rule[];
  vLines: Rule[];
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
