/**
 * Positioned text before layout analysis, shared by the PDF text layer and OCR: both read a page as
 * runs of text with boxes, and group them into lines and tables the same way.
 */

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
