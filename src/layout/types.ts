/**
 * The one layout representation every extractor produces and the reconstruction reads.
 * Geometry is in page units: points for PDF (origin top-left), pixels for images, null for markup.
 */

/** [x0, y0, x1, y1] in page units, origin at the top-left corner of the page. */
export type BBox = [number, number, number, number];

/** Where a piece of text came from; decides how far its characters can be trusted. */
export type TextSource = 'markup' | 'text-layer' | 'ocr';

export interface LayoutLine {
  kind: 'line';
  text: string;
  page: number;
  bbox: BBox | null;
  /** Probability that the characters are what the document prints (1 for markup). */
  confidence: number;
  source: TextSource;
  /** Heading level when the source marks it (HTML h1..h6, DOCX heading styles). */
  heading?: number;
}

export interface LayoutCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  bbox: BBox | null;
  /** Page of the cell itself: a merged table can run over several pages. */
  page: number;
  confidence: number;
  /** Marked header cell (<th>, bold header row) when the source says so. */
  header?: boolean;
}

export interface LayoutGrid {
  kind: 'grid';
  page: number;
  bbox: BBox | null;
  rows: number;
  cols: number;
  /** One entry per origin cell; spanned positions are not repeated. */
  cells: LayoutCell[];
  source: TextSource;
  /**
   * How the grid was found. `ruled`/`markup` grids have reliable columns; `delimited` rows
   * (pipes, tabs) keep their cell order but not their column positions; `stream` holds one
   * cell per line with no row structure at all.
   */
  structure: 'markup' | 'ruled' | 'aligned' | 'delimited' | 'stream';
  /** Index of the grid on the previous page this one continues, after merging. */
  continuedFrom?: number | null;
}

export type LayoutBlock = LayoutLine | LayoutGrid;

export interface LayoutWarning {
  code: string;
  message: string;
  page?: number;
}

export interface LayoutPageInfo {
  page: number;
  width: number | null;
  height: number | null;
  /** How the page's text was obtained. */
  source: TextSource;
}

/** A field a file declares about the report beside its body (a crawler export's header), as printed. */
export interface DeclaredField {
  name: string;
  value: string;
}

/** A whole document after extraction: blocks in reading order. */
export interface LayoutDocument {
  pages: LayoutPageInfo[];
  blocks: LayoutBlock[];
  /** Title from document metadata (<title>, PDF info), when present. */
  metaTitle?: string;
  declared?: DeclaredField[];
  warnings: LayoutWarning[];
  ocr?: { engine: string; languages: string[]; pages: number[] } | null;
  ocrMs?: number;
}
