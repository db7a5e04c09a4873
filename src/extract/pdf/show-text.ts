/**
 * Text showing (Tj, TJ): each glyph of a run positioned in page points, following pdf.js's canvas
 * `showText`: text matrix, font size, character and word spacing, horizontal scaling, rise and
 * vertical metrics.
 */
import { apply, multiply, type Matrix } from './geometry.js';
import type { FontInfo, Marks, State } from './scan-state.js';
import type { TextCollector } from './text-runs.js';

interface Glyph {
  unicode?: string;
  width?: number;
  vmetric?: number[] | null;
  isSpace?: boolean;
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
export function showText(st: State, glyphs: unknown[], viewport: Matrix, text: TextCollector, marks: Marks): void {
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
