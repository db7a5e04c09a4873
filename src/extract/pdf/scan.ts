/**
 * One pass over a page's operator list (pdf.js 5): ruling lines, text glyphs and image placements.
 *
 * Text is positioned here rather than taken from getTextContent: that call loses vertical text drawn
 * under a flipped text matrix (WPS writes `三、本年度办理结果` down a narrow cell that way and pdf.js
 * keeps only `三、本`) and costs a second parse of the content stream. The positioning follows pdf.js's
 * own canvas `showText`: text matrix, Td/TD/T* moves, font size, character and word spacing, horizontal
 * scaling, rise and vertical metrics.
 */
import { apply, IDENTITY, multiply, type Matrix } from './geometry.js';
import { joinSegments } from './rules.js';
import { TextCollector } from './text-runs.js';
import type { TextItem } from '../../layout/text-items.js';
import type { Rule } from '../../layout/rule-grid.js';
import type { Fill } from './types.js';

export type OpsTable = Record<string, number>;

/** What the scan needs from a pdf.js font object (FontFaceObject). */
export interface FontInfo {
  vertical?: boolean;
  fontMatrix?: number[];
  ascent?: number;
  descent?: number;
  defaultVMetrics?: number[];
  isType3Font?: boolean;
}

interface Glyph {
  unicode?: string;
  width?: number;
  vmetric?: number[] | null;
  isSpace?: boolean;
}

const DRAW_MOVE = 0;
const DRAW_LINE = 1;
const DRAW_CURVE = 2;
const DRAW_CLOSE = 3;

/** A filled rectangle thinner than this (points) is a rule, not a shaded cell. */
const THIN = 2.5;
/** Points by which a segment may deviate from horizontal/vertical. */
const AXIS_TOL = 0.6;

interface State {
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

function isWhite(color: unknown): boolean {
  if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return false;
  const r = parseInt(color.slice(1, 3), 16);
  const g = parseInt(color.slice(3, 5), 16);
  const b = parseInt(color.slice(5, 7), 16);
  return r >= 235 && g >= 235 && b >= 235;
}

/** Luminance (0 black … 1 white) of a pdf.js `#rrggbb` colour; anything else counts as black. */
function luminance(color: unknown): number {
  if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color)) return 0;
  const r = parseInt(color.slice(1, 3), 16);
  const g = parseInt(color.slice(3, 5), 16);
  const b = parseInt(color.slice(5, 7), 16);
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

function toMatrix(m: unknown): Matrix | null {
  if (!m || (!Array.isArray(m) && !ArrayBuffer.isView(m))) return null;
  const a = Array.from(m as ArrayLike<number>);
  return a.length >= 6 && a.every((v) => Number.isFinite(v)) ? (a.slice(0, 6) as Matrix) : null;
}

/** What a page scan collects besides text: rule pieces, shading, and the counts the verdict uses. */
interface Marks {
  hs: Rule[];
  vs: Rule[];
  fills: Fill[];
  imageArea: number;
  curveFills: number;
  invisibleGlyphs: number;
}

/** A stroked straight segment along an axis is a ruling line piece. */
function addSeg(marks: Marks, x0: number, y0: number, x1: number, y1: number): void {
  if (Math.abs(y1 - y0) <= AXIS_TOL && Math.abs(x1 - x0) > AXIS_TOL) {
    marks.hs.push({ at: (y0 + y1) / 2, from: Math.min(x0, x1), to: Math.max(x0, x1) });
  } else if (Math.abs(x1 - x0) <= AXIS_TOL && Math.abs(y1 - y0) > AXIS_TOL) {
    marks.vs.push({ at: (x0 + x1) / 2, from: Math.min(y0, y1), to: Math.max(y0, y1) });
  }
}

/** How a text run's glyph space maps to the page, from the text state (pdf.js canvas `showText`). */
interface RunFrame {
  /** Glyph space (y up) → page points. */
  base: Matrix;
  vertical: boolean;
  /** Text space units per glyph width unit (font size × font matrix). */
  was: number;
  /** 1 when glyphs stand on +y in glyph space, -1 when the font size is negative. */
  up: number;
  asc: number;
  desc: number;
  /** The glyph's height on the page, and the unit direction the pen advances in. */
  size: number;
  dx: number;
  dy: number;
}

function runFrame(st: State, font: FontInfo, viewport: Matrix): RunFrame {
  const fontSize = st.fontSize;
  const fm = font.fontMatrix && font.fontMatrix.length >= 4 ? font.fontMatrix : [0.001, 0, 0, 0.001];
  const vertical = !!font.vertical && !font.isType3Font;
  const asc = Math.min(Math.max(typeof font.ascent === 'number' && font.ascent > 0 ? font.ascent : 0.8, 0.5), 1.1);
  const desc = Math.min(Math.max(typeof font.descent === 'number' && font.descent < 0 ? font.descent : -0.2, -0.5), 0);
  // Glyph space (y up): page ← viewport ← ctm ← text matrix ← translate(x, y + rise) ← scale(hScale·dir, 1).
  const base = multiply(multiply(multiply(viewport, st.ctm), st.textMatrix), [st.hScale * st.fontDirection, 0, 0, 1, st.x, st.y + st.rise]);
  const up = st.fontDirection > 0 ? 1 : -1;
  const size = Math.hypot(base[2] * fontSize * up, base[3] * fontSize * up);
  const advVec = vertical ? [-base[2], -base[3]] : [base[0], base[1]];
  const advLen = Math.hypot(advVec[0], advVec[1]) || 1;
  return { base, vertical, was: fontSize * fm[0], up, asc, desc, size, dx: advVec[0] / advLen, dy: advVec[1] / advLen };
}

/**
 * What the glyphs paint: fill (Tr 0, 2, 4, 6) and/or stroke (1, 2, 5, 6). The faintest paint that is
 * drawn stands for the glyph; invisible modes (3, 7) are judged elsewhere and count as solid.
 */
function glyphPaint(st: State): { lum: number; alpha: number } {
  const mode = st.renderMode & 3;
  const fills = mode === 0 || mode === 2;
  const strokes = mode === 1 || mode === 2;
  const ink = (lum: number, a: number) => (1 - lum) * a;
  if (fills && (!strokes || ink(st.fillLum, st.fillAlpha) >= ink(st.strokeLum, st.strokeAlpha))) {
    return { lum: st.fillLum, alpha: st.fillAlpha * st.groupAlpha };
  }
  if (strokes) return { lum: st.strokeLum, alpha: st.strokeAlpha * st.groupAlpha };
  return { lum: 0, alpha: 1 };
}

/** A glyph at pen position `x` along the run, in glyph space: its box, its pen start and end, its advance. */
interface PlacedGlyph {
  box: [number, number, number, number];
  pen: [number, number];
  end: [number, number];
  advance: number;
}

function placeGlyph(glyph: Glyph, x: number, spacing: number, st: State, font: FontInfo, f: RunFrame): PlacedGlyph {
  const width = typeof glyph.width === 'number' ? glyph.width : 0;
  const dir = st.fontDirection;
  if (f.vertical) {
    const vm = glyph.vmetric || font.defaultVMetrics || [-1000, width / 2, 880];
    const vx = -(glyph.vmetric ? vm[1] : width * 0.5) * f.was;
    const vy = vm[2] * f.was;
    const advance = -vm[0] * f.was - spacing * dir;
    const oy = -(x + vy);
    return {
      box: [vx, oy + f.desc * st.fontSize * f.up, vx + width * f.was, oy + f.asc * st.fontSize * f.up],
      pen: [0, -x],
      end: [0, -(x + advance)],
      advance,
    };
  }
  const advance = width * f.was + spacing * dir;
  return {
    box: [x, f.desc * st.fontSize * f.up, x + width * f.was, f.asc * st.fontSize * f.up],
    pen: [x, 0],
    end: [x + advance, 0],
    advance,
  };
}

/** Shows a text run: each glyph positioned in page points and handed to the run builder. */
function showText(st: State, glyphs: unknown[], viewport: Matrix, text: TextCollector, marks: Marks): void {
  const font = st.font;
  if (!font || st.fontSize === 0) return;
  const f = runFrame(st, font, viewport);
  const { lum, alpha } = glyphPaint(st);
  // A TJ number moves the pen against the writing direction in horizontal text, along it in vertical.
  const spacingDir = f.vertical ? 1 : -1;
  let x = 0;
  for (const g of glyphs) {
    if (typeof g === 'number') {
      // TJ adjustment: kerning or a word space; the run builder judges the resulting gap.
      x += (spacingDir * g * st.fontSize) / 1000;
      continue;
    }
    const glyph = g as Glyph;
    if (!glyph) continue;
    const uni = typeof glyph.unicode === 'string' ? glyph.unicode : '';
    // isSpace only says the code is 32 (word spacing applies); subset fonts map code 32 to 人 and such.
    const blank = uni === '' ? !!glyph.isSpace : /^\s+$/.test(uni);
    const placed = placeGlyph(glyph, x, (glyph.isSpace ? st.wordSpacing : 0) + st.charSpacing, st, font, f);
    x += placed.advance;
    const p0 = apply(f.base, placed.pen[0], placed.pen[1]);
    const p1 = apply(f.base, placed.end[0], placed.end[1]);
    if (blank) {
      if (Math.hypot(p1[0] - p0[0], p1[1] - p0[1]) > 0.6 * f.size) text.gap();
      else text.space(p1[0], p1[1]);
      continue;
    }
    if (st.renderMode === 3 || st.renderMode === 7) marks.invisibleGlyphs++;
    const [bx0, by0, bx1, by1] = placed.box;
    const c1 = apply(f.base, bx0, by0);
    const c2 = apply(f.base, bx1, by0);
    const c3 = apply(f.base, bx0, by1);
    const c4 = apply(f.base, bx1, by1);
    text.glyph({
      text: uni === '' ? '\ufffd' : uni,
      x0: Math.min(c1[0], c2[0], c3[0], c4[0]),
      x1: Math.max(c1[0], c2[0], c3[0], c4[0]),
      y0: Math.min(c1[1], c2[1], c3[1], c4[1]),
      y1: Math.max(c1[1], c2[1], c3[1], c4[1]),
      penX: p0[0],
      penY: p0[1],
      endX: p1[0],
      endY: p1[1],
      dx: f.dx,
      dy: f.dy,
      size: f.size,
      lum,
      alpha,
    });
  }
  if (f.vertical) st.y -= x;
  else st.x += x * st.hScale * st.fontDirection;
}

type Subpath = { pts: [number, number][]; closed: boolean; curved: boolean };

/** A pdf.js path buffer as subpaths in page points (a curve keeps only its end point and marks its subpath curved). */
function tracePath(buf: ArrayLike<number>, m: Matrix): Subpath[] {
  const subpaths: Subpath[] = [];
  let cur: Subpath | null = null;
  for (let k = 0; k < buf.length; ) {
    const op = buf[k++];
    if (op === DRAW_MOVE) {
      cur = { pts: [apply(m, buf[k], buf[k + 1])], closed: false, curved: false };
      subpaths.push(cur);
      k += 2;
    } else if (op === DRAW_LINE) {
      if (!cur) {
        cur = { pts: [], closed: false, curved: false };
        subpaths.push(cur);
      }
      cur.pts.push(apply(m, buf[k], buf[k + 1]));
      k += 2;
    } else if (op === DRAW_CURVE) {
      if (cur) {
        cur.curved = true;
        cur.pts.push(apply(m, buf[k + 4], buf[k + 5]));
      }
      k += 6;
    } else if (op === DRAW_CLOSE) {
      if (cur) cur.closed = true;
    } else break;
  }
  return subpaths;
}

/** Stroked straight edges and filled thin rectangles become rule pieces, other dark rectangles shading; filled curves are counted. */
function paintPath(subpaths: Subpath[], stroke: boolean, fill: boolean, st: State, marks: Marks): void {
  if (stroke && !st.strokeWhite) {
    for (const sp of subpaths) {
      if (sp.curved) continue;
      const p = sp.pts;
      for (let j = 1; j < p.length; j++) addSeg(marks, p[j - 1][0], p[j - 1][1], p[j][0], p[j][1]);
      if (sp.closed && p.length > 2) addSeg(marks, p[p.length - 1][0], p[p.length - 1][1], p[0][0], p[0][1]);
    }
  }
  if (fill) {
    for (const sp of subpaths) {
      if (sp.curved) {
        marks.curveFills++;
        continue;
      }
      if (st.fillWhite) continue;
      const p = sp.pts;
      if (p.length < 2 || p.length > 5) continue;
      const xs = p.map((q) => q[0]);
      const ys = p.map((q) => q[1]);
      const x0 = Math.min(...xs);
      const x1 = Math.max(...xs);
      const y0 = Math.min(...ys);
      const y1 = Math.max(...ys);
      const onCorners = p.every((q) => (Math.abs(q[0] - x0) < 0.05 || Math.abs(q[0] - x1) < 0.05) && (Math.abs(q[1] - y0) < 0.05 || Math.abs(q[1] - y1) < 0.05));
      if (!onCorners) continue;
      const w = x1 - x0;
      const h = y1 - y0;
      if (h <= THIN && w > h) marks.hs.push({ at: (y0 + y1) / 2, from: x0, to: x1 });
      else if (w <= THIN && h > w) marks.vs.push({ at: (x0 + x1) / 2, from: y0, to: y1 });
      else if (h > THIN && w > THIN && st.fillAlpha >= 0.5 && st.fillLum < 0.6 && marks.fills.length < 2000) marks.fills.push({ x0, y0, x1, y1, lum: st.fillLum });
    }
  }
}

/**
 * `viewport` maps PDF user space to top-left page points; `fontOf` resolves a font id from `setFont`.
 */
export function scanPage(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>, OPS: OpsTable, viewport: Matrix, fontOf: (id: string) => FontInfo | null): PageScan {
  const marks: Marks = { hs: [], vs: [], fills: [], imageArea: 0, curveFills: 0, invisibleGlyphs: 0 };
  const text = new TextCollector();
  let st: State = {
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
  const stack: State[] = [];

  const strokeOps = new Set([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const fillOps = new Set([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
  const imageOps = new Set(
    [OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat, OPS.paintInlineImageXObjectGroup, OPS.paintImageMaskXObjectGroup, OPS.paintSolidColorImageMask].filter(
      (x) => x !== undefined,
    ),
  );

  const moveText = (x: number, y: number) => {
    st.x = st.lineX += x;
    st.y = st.lineY += y;
  };


  for (let i = 0, n = fnArray.length; i < n; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    switch (fn) {
      case OPS.save:
        stack.push(st);
        st = { ...st };
        break;
      case OPS.restore:
        st = stack.pop() ?? st;
        break;
      case OPS.transform: {
        const m = toMatrix(args);
        if (m) st.ctm = multiply(st.ctm, m);
        break;
      }
      case OPS.paintFormXObjectBegin: {
        stack.push(st);
        st = { ...st };
        const m = toMatrix(args?.[0]);
        if (m) st.ctm = multiply(st.ctm, m);
        break;
      }
      case OPS.paintFormXObjectEnd:
        st = stack.pop() ?? st;
        break;
      case OPS.beginGroup:
        // A transparency group starts with opaque paint and is composited at the alpha current now.
        stack.push(st);
        st = { ...st, groupAlpha: st.groupAlpha * st.fillAlpha, fillAlpha: 1, strokeAlpha: 1 };
        break;
      case OPS.endGroup:
        st = stack.pop() ?? st;
        break;
      case OPS.setStrokeRGBColor:
        st.strokeWhite = isWhite(args?.[0]);
        st.strokeLum = luminance(args?.[0]);
        break;
      case OPS.setFillRGBColor:
        st.fillWhite = isWhite(args?.[0]);
        st.fillLum = luminance(args?.[0]);
        break;
      case OPS.setStrokeColorN:
      case OPS.setStrokeColorSpace:
        st.strokeWhite = false;
        st.strokeLum = 0;
        break;
      case OPS.setFillColorN:
      case OPS.setFillColorSpace:
        st.fillWhite = false;
        st.fillLum = 0;
        break;
      case OPS.setGState: {
        // pdf.js passes the ExtGState as [key, value] pairs; only the opacities matter here.
        const entries = args?.[0];
        if (Array.isArray(entries)) {
          for (const e of entries) {
            if (!Array.isArray(e) || typeof e[1] !== 'number' || !Number.isFinite(e[1])) continue;
            if (e[0] === 'ca') st.fillAlpha = Math.min(1, Math.max(0, e[1]));
            else if (e[0] === 'CA') st.strokeAlpha = Math.min(1, Math.max(0, e[1]));
          }
        }
        break;
      }
      // Text state.
      case OPS.beginText:
        st.textMatrix = IDENTITY;
        st.x = st.y = st.lineX = st.lineY = 0;
        text.gap();
        break;
      case OPS.endText:
        text.gap();
        break;
      case OPS.setFont: {
        const id = args?.[0];
        let size = typeof args?.[1] === 'number' ? (args[1] as number) : 0;
        st.font = typeof id === 'string' ? fontOf(id) : null;
        st.fontDirection = size < 0 ? -1 : 1;
        if (size < 0) size = -size;
        st.fontSize = size;
        break;
      }
      case OPS.setCharSpacing:
        if (typeof args?.[0] === 'number') st.charSpacing = args[0] as number;
        break;
      case OPS.setWordSpacing:
        if (typeof args?.[0] === 'number') st.wordSpacing = args[0] as number;
        break;
      case OPS.setHScale:
        if (typeof args?.[0] === 'number') st.hScale = (args[0] as number) / 100;
        break;
      case OPS.setLeading:
        if (typeof args?.[0] === 'number') st.leading = -(args[0] as number);
        break;
      case OPS.setTextRenderingMode:
        if (typeof args?.[0] === 'number') st.renderMode = args[0] as number;
        break;
      case OPS.setTextRise:
        if (typeof args?.[0] === 'number') st.rise = args[0] as number;
        break;
      case OPS.setTextMatrix: {
        const m = toMatrix(args?.[0]);
        if (m) st.textMatrix = m;
        st.x = st.y = st.lineX = st.lineY = 0;
        break;
      }
      case OPS.moveText:
        if (args && typeof args[0] === 'number' && typeof args[1] === 'number') moveText(args[0], args[1]);
        break;
      case OPS.setLeadingMoveText:
        if (args && typeof args[0] === 'number' && typeof args[1] === 'number') {
          st.leading = args[1];
          moveText(args[0], args[1]);
        }
        break;
      case OPS.nextLine:
        moveText(0, st.leading);
        break;
      case OPS.showText:
        if (Array.isArray(args?.[0])) showText(st, args[0] as unknown[], viewport, text, marks);
        break;
      case OPS.showSpacedText:
        if (Array.isArray(args?.[0])) showText(st, args[0] as unknown[], viewport, text, marks);
        break;
      case OPS.constructPath: {
        if (!args) break;
        const paint = args[0] as number;
        const buf = (args[1] as unknown[] | undefined)?.[0] as ArrayLike<number> | null | undefined;
        if (!buf || paint === OPS.endPath) break;
        const stroke = strokeOps.has(paint);
        const fill = fillOps.has(paint);
        if (!stroke && !fill) break;
        paintPath(tracePath(buf, multiply(viewport, st.ctm)), stroke, fill, st, marks);
        break;
      }
      default:
        if (imageOps.has(fn)) {
          const m = multiply(viewport, st.ctm);
          const c = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
          const xs = c.map((q) => q[0]);
          const ys = c.map((q) => q[1]);
          marks.imageArea += (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
        }
    }
  }
  text.flush();
  return {
    items: text.items,
    hLines: joinSegments(marks.hs),
    vLines: joinSegments(marks.vs),
    imageArea: marks.imageArea,
    curveFills: marks.curveFills,
    invisibleGlyphs: marks.invisibleGlyphs,
    fills: marks.fills,
  };
}
