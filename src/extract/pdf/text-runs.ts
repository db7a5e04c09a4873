/**
 * Text runs from glyphs. Glyphs arrive one by one with their box and pen positions in top-left page
 * points; consecutive glyphs that continue each other (same direction and size, pen where the last one
 * ended) form one run. White space ends a run (the line builder re-inserts spaces from the gaps).
 * Run text is NFKC-normalised (Chrome PDFs give Kangxi radicals U+2F00–U+2FDF for 一 二 人 自 …).
 */
import { normalizeText } from './normalize.js';
import type { TextItem } from '../../layout/text-items.js';

/** A text item while it is being built: its direction and where the pen stands after it. */
interface Run extends TextItem {
  dx: number;
  dy: number;
  endX: number;
  endY: number;
}

export interface GlyphBox {
  text: string;
  /** Box corners' extent in page points. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Pen position before and after the glyph, page points. */
  penX: number;
  penY: number;
  endX: number;
  endY: number;
  /** Unit advance direction in page points. */
  dx: number;
  dy: number;
  /** Font height in page points. */
  size: number;
  /** Paint luminance (0 black … 1 white) and opacity. */
  lum: number;
  alpha: number;
}

export class TextCollector {
  readonly items: TextItem[] = [];
  private run: Run | null = null;

  /** A break in the text flow (a wide space, a jump, a new text object). */
  gap(): void {
    this.flush();
  }

  /** An ordinary space glyph: kept inside the current run, whose pen moves on. */
  space(endX: number, endY: number): void {
    const r = this.run;
    if (!r) return;
    if (!r.text.endsWith(' ')) r.text += ' ';
    r.endX = endX;
    r.endY = endY;
  }

  glyph(g: GlyphBox): void {
    const r = this.run;
    if (r) {
      const sameDir = Math.abs(r.dx - g.dx) < 0.02 && Math.abs(r.dy - g.dy) < 0.02;
      const sameSize = Math.abs(r.size - g.size) <= 0.2 * Math.max(r.size, g.size);
      // A run never mixes paints: a faint watermark glyph must not join the text it happens to continue.
      const samePaint = Math.abs(r.lum! - g.lum) < 0.15 && Math.abs(r.alpha! - g.alpha) < 0.15;
      const ox = g.penX - r.endX;
      const oy = g.penY - r.endY;
      const along = ox * g.dx + oy * g.dy;
      const across = Math.abs(-ox * g.dy + oy * g.dx);
      if (sameDir && sameSize && samePaint && across < 0.2 * g.size && along > -0.3 * g.size && along < 0.15 * g.size) {
        r.text += g.text;
        r.x0 = Math.min(r.x0, g.x0);
        r.y0 = Math.min(r.y0, g.y0);
        r.x1 = Math.max(r.x1, g.x1);
        r.y1 = Math.max(r.y1, g.y1);
        r.endX = g.endX;
        r.endY = g.endY;
        return;
      }
      this.flush();
    }
    this.run = {
      text: g.text, x0: g.x0, y0: g.y0, x1: g.x1, y1: g.y1, size: g.size, dx: g.dx, dy: g.dy, endX: g.endX, endY: g.endY,
      angle: directionDegrees(g.dx, g.dy), lum: g.lum, alpha: g.alpha,
    };
  }

  flush(): void {
    const r = this.run;
    this.run = null;
    if (!r) return;
    const text = normalizeText(r.text).replace(/\s+/g, ' ').trim();
    if (!text) return;
    this.items.push({ text, x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1, size: r.size, angle: r.angle, lum: r.lum, alpha: r.alpha });
  }
}

/** Degrees clockwise from left-to-right, in [0, 360), for a unit direction in top-left page points. */
export function directionDegrees(dx: number, dy: number): number {
  const d = (Math.atan2(dy, dx) * 180) / Math.PI;
  return Math.round(((d % 360) + 360) % 360 * 100) / 100;
}
