/** What a page's operator scan carries from one operator to the next (the graphics state, what it found so far) and what it gives back. */
import { IDENTITY, type Matrix } from './geometry.js';
import type { Rule } from '../../layout/rule-grid.js';
import type { TextItem } from '../../layout/text-items.js';
import type { Fill } from './types.js';

/** pdf.js's OPS: operator name → code. */
export type OpsTable = Record<string, number>;

/** What a page's scan found. */
export interface PageScan {
  items: TextItem[];
  hLines: Rule[];
  vLines: Rule[];
  imageArea: number;
  curveFills: number;
  /** Glyphs drawn in an invisible rendering mode (the searchable layer a scanner's OCR puts over its image). */
  invisibleGlyphs: number;
  /** Filled rectangles darker than paper (light text on them is not faint). */
  fills: Fill[];
}

/** What the scan needs from a pdf.js font object (FontFaceObject). */
export interface FontInfo {
  vertical?: boolean;
  fontMatrix?: number[];
  ascent?: number;
  descent?: number;
  defaultVMetrics?: number[];
  isType3Font?: boolean;
}

/** The graphics and text state (PDF q/Q saves and restores it whole). */
export interface State {
  ctm: Matrix;
  strokeWhite: boolean;
  fillWhite: boolean;
  /** Paint luminance (0 black … 1 white) and opacity (ExtGState ca / CA), for telling faint text. */
  fillLum: number;
  strokeLum: number;
  fillAlpha: number;
  strokeAlpha: number;
  /** Opacity of the transparency groups being drawn (each is composited with the alpha current at its start). */
  groupAlpha: number;
  font: FontInfo | null;
  fontSize: number;
  fontDirection: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
  /** Tr: 3 (neither fill nor stroke) and 7 (clip only) paint nothing. */
  renderMode: number;
  textMatrix: Matrix;
  x: number;
  y: number;
  lineX: number;
  lineY: number;
}

/** The state at the start of a page. */
export function initialState(): State {
  return {
    ctm: IDENTITY,
    strokeWhite: false,
    fillWhite: false,
    fillLum: 0,
    strokeLum: 0,
    fillAlpha: 1,
    strokeAlpha: 1,
    groupAlpha: 1,
    font: null,
    fontSize: 0,
    fontDirection: 1,
    charSpacing: 0,
    wordSpacing: 0,
    hScale: 1,
    leading: 0,
    rise: 0,
    renderMode: 0,
    textMatrix: IDENTITY,
    x: 0,
    y: 0,
    lineX: 0,
    lineY: 0,
  };
}

/** What a page scan collects besides text: rule pieces, shading, and the counts the verdict uses. */
export interface Marks {
  hs: Rule[];
  vs: Rule[];
  fills: Fill[];
  imageArea: number;
  curveFills: number;
  invisibleGlyphs: number;
}

export function emptyMarks(): Marks {
  return { hs: [], vs: [], fills: [], imageArea: 0, curveFills: 0, invisibleGlyphs: 0 };
}
