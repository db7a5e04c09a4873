/** Grouping text items into visual lines and joining them into text, in reading order. */
import { median } from './stats.js';
import type { TextItem, VisualLine } from './text-items.js';

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;
const LATIN_END = /[A-Za-z]$/;
const LATIN_START = /^[A-Za-z]/;

function vOverlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.min(a1, b1) - Math.max(a0, b0);
}

/** Groups items into lines. Items are compared with the last few lines only (they arrive sorted by centre). */
export function groupLines(items: readonly TextItem[]): VisualLine[] {
  const sorted = [...items].sort((p, q) => (p.y0 + p.y1) / 2 - (q.y0 + q.y1) / 2 || p.x0 - q.x0);
  const lines: { items: TextItem[]; y0: number; y1: number; h: number }[] = [];
  for (const it of sorted) {
    const h = it.y1 - it.y0;
    let best = -1;
    let bestOv = 0;
    for (let k = lines.length - 1; k >= 0 && k >= lines.length - 4; k--) {
      const ln = lines[k];
      const ov = vOverlap(it.y0, it.y1, ln.y0, ln.y1);
      const need = 0.5 * Math.min(h, ln.h);
      if (ov >= need && ov > bestOv) {
        // Refuse a line that already has an item covering the same horizontal span (stacked text).
        const clash = ln.items.some((o) => Math.min(o.x1, it.x1) - Math.max(o.x0, it.x0) > 0.5 * Math.min(o.x1 - o.x0, it.x1 - it.x0) && o.text !== it.text);
        if (!clash) {
          best = k;
          bestOv = ov;
        }
      }
    }
    if (best < 0) lines.push({ items: [it], y0: it.y0, y1: it.y1, h });
    else {
      const ln = lines[best];
      ln.items.push(it);
      // The band follows the line's core, not its tallest outlier.
      ln.y0 = Math.min(ln.y0, it.y0);
      ln.y1 = Math.max(ln.y1, it.y1);
      ln.h = median(ln.items.map((o) => o.y1 - o.y0));
    }
  }
  const out = lines.map((ln) => makeLine(ln.items));
  out.sort((p, q) => p.y0 - q.y0 || p.x0 - q.x0);
  return out;
}

export function makeLine(items: TextItem[]): VisualLine {
  const its = dedupe([...items].sort((p, q) => p.x0 - q.x0));
  return {
    items: its,
    x0: Math.min(...its.map((i) => i.x0)),
    y0: Math.min(...its.map((i) => i.y0)),
    x1: Math.max(...its.map((i) => i.x1)),
    y1: Math.max(...its.map((i) => i.y1)),
    text: joinItems(its),
    size: median(its.map((i) => i.size)),
  };
}

/** Drops an item drawn twice at (nearly) the same place: fake bold and shadow text. */
function dedupe(items: TextItem[]): TextItem[] {
  const out: TextItem[] = [];
  for (const it of items) {
    const dup = out.slice(-3).some((o) => {
      if (o.text !== it.text) return false;
      const ow = Math.min(o.x1, it.x1) - Math.max(o.x0, it.x0);
      return ow > 0.7 * Math.min(o.x1 - o.x0, it.x1 - it.x0) && Math.abs(o.y0 - it.y0) < 0.3 * it.size;
    });
    if (!dup) out.push(it);
  }
  return out;
}

/**
 * Joins items of one line left to right: a gap over 0.2 em becomes one space, except between CJK
 * characters (letter-spaced Chinese such as `总 计` is read as `总计`; a gap of 2 em or more still counts).
 */
export function joinItems(items: readonly TextItem[]): string {
  let s = '';
  let prev: TextItem | null = null;
  for (const it of items) {
    if (prev) {
      const gap = it.x0 - prev.x1;
      const size = Math.min(prev.size, it.size) || 1;
      const a = s.slice(-1);
      const b = it.text[0];
      const bothCjk = CJK.test(a) && CJK.test(b);
      if (gap > 0.2 * size && !(bothCjk && gap < 2 * size)) s += ' ';
    }
    s += it.text;
    prev = it;
  }
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Joins the lines of one cell in reading order. Chinese text wraps without a space (`商业企` + `业`),
 * so lines are joined directly; only two Latin words meeting at a wrap get a space.
 */
export function joinCellLines(lines: readonly VisualLine[]): string {
  let s = '';
  for (const ln of lines) {
    const t = ln.text;
    if (!t) continue;
    if (s && LATIN_END.test(s) && LATIN_START.test(t)) s += ' ';
    s += t;
  }
  return s;
}
