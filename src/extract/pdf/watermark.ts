/**
 * Watermarks and other text that is page furniture although it is real text: 仅供参考 or 内部资料 stamped
 * grey at 45° and tiled over every page, or level with the page but faint (a light grey fill, or a low
 * opacity from an ExtGState). Left in, its glyphs fall into the table's text lines: glued onto labels
 * (the row is not found) and onto numbers (the cell is no number). They are dropped before any line is
 * built:
 *
 * - **At an angle**: text advancing more than ANGLE_TOL off the page's text direction and off its
 *   perpendicular (vertical text in a narrow cell is the page's own). The page's direction is the
 *   axes, unless nearly all of its text shares one other direction (a page drawn turned by a few
 *   degrees), then that one.
 * - **Faint**: paint whose contrast with white paper, (1 − luminance) × opacity, is under FAINT, unless
 *   it stands on a darker filled box (white text on a dark header row is not faint). Only when the page
 *   has text of its own beside it: a page printed all in light grey is kept as it is. Faint text must
 *   also look like a watermark, set larger than WATERMARK_SIZE × the page's median glyph size: light
 *   colours in body size (gold #ffc000, yellow, a grey note) are the page's own.
 */
import type { TextItem } from '../../layout/text-items.js';
import type { Fill } from './types.js';

/** Degrees off the page's text direction (and its perpendicular) beyond which text is at an angle. */
const ANGLE_TOL = 8;
/** Contrast with white under which text is faint: #b3b3b3 at full opacity, black at 30 %. */
const FAINT = 0.3;
/**
 * Faint text is a watermark only when its glyphs are larger than this times the page's median size
 * (a 14 pt light-grey DRAFT over 10 pt body text is one; 10 pt gold text is the page's own).
 */
const WATERMARK_SIZE = 1.3;
/** Text that is not furniture the page must hold before faint or angled text is dropped (characters). */
const MIN_OWN_TEXT = 20;

export interface Furniture {
  items: TextItem[];
  /** Characters dropped, and a sample of their text for the warning. */
  dropped: { glyphs: number; text: string } | null;
}

const weight = (it: TextItem) => it.text.replace(/\s+/g, '').length;

/** Distance in degrees from `a` to the nearest of ref, ref ± 90, ref + 180. */
function offAxis(a: number, ref: number): number {
  const d = (((a - ref) % 90) + 90) % 90;
  return Math.min(d, 90 - d);
}

/** The page's text direction, modulo 90°: 0 for the axes, or the one off-axis direction nearly all text shares. */
export function pageDirection(items: readonly TextItem[]): number {
  let total = 0;
  let axis = 0;
  const bins = new Map<number, number>();
  for (const it of items) {
    const w = weight(it);
    total += w;
    const a = it.angle ?? 0;
    if (offAxis(a, 0) <= ANGLE_TOL) axis += w;
    else {
      const b = Math.round((((a % 90) + 90) % 90) / 2) * 2;
      bins.set(b, (bins.get(b) ?? 0) + w);
    }
  }
  if (axis >= Math.min(MIN_OWN_TEXT, 0.3 * total)) return 0;
  let best = 0;
  let bestW = 0;
  for (const [b, w] of bins) {
    if (w > bestW) {
      best = b;
      bestW = w;
    }
  }
  // Neighbouring bins belong to the same direction (angles near a bin edge).
  const near = [...bins].filter(([b]) => offAxis(b, best) <= ANGLE_TOL).reduce((s, [, w]) => s + w, 0);
  return near >= 0.6 * total ? best : 0;
}

function contrast(it: TextItem): number {
  return (1 - (it.lum ?? 0)) * (it.alpha ?? 1);
}

/** Whether a faint item stands on a filled box dark enough for it to be readable. */
function onDarkFill(it: TextItem, fills: readonly Fill[]): boolean {
  const cx = (it.x0 + it.x1) / 2;
  const cy = (it.y0 + it.y1) / 2;
  const lum = it.lum ?? 0;
  const alpha = it.alpha ?? 1;
  return fills.some((f) => cx >= f.x0 && cx <= f.x1 && cy >= f.y0 && cy <= f.y1 && (lum - f.lum) * alpha >= 0.4);
}

/** The page's median glyph size, each item weighted by its characters. */
function medianSize(items: readonly TextItem[]): number {
  const sized = items.map((it) => [it.size, weight(it)] as const).filter(([, w]) => w > 0).sort((a, b) => a[0] - b[0]);
  const total = sized.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  for (const [size, w] of sized) if ((acc += w) >= total / 2) return size;
  return 0;
}

/** Splits a page's text items into the page's own text and furniture drawn at an angle or faintly. */
export function dropWatermarks(items: TextItem[], fills: readonly Fill[] = []): Furniture {
  if (!items.some((it) => (it.angle !== undefined && offAxis(it.angle, 0) > ANGLE_TOL) || contrast(it) < FAINT)) {
    return { items, dropped: null };
  }
  const ref = pageDirection(items);
  const angled = (it: TextItem) => it.angle !== undefined && offAxis(it.angle, ref) > ANGLE_TOL;
  const big = WATERMARK_SIZE * medianSize(items);
  const faint = (it: TextItem) => contrast(it) < FAINT && it.size > big && !onDarkFill(it, fills);
  const own = items.filter((it) => !angled(it) && !faint(it));
  const ownChars = own.reduce((s, it) => s + weight(it), 0);
  const straight = items.filter((it) => !angled(it));
  const straightChars = straight.reduce((s, it) => s + weight(it), 0);
  // Faint text is furniture only beside text that is not; angled text always is.
  const kept = ownChars >= Math.min(MIN_OWN_TEXT, 0.3 * straightChars) ? own : straight;
  if (kept.length === items.length) return { items, dropped: null };
  const keptSet = new Set(kept);
  const gone = items.filter((it) => !keptSet.has(it));
  const glyphs = gone.reduce((s, it) => s + weight(it), 0);
  // The most frequent dropped run names the watermark in the warning.
  const counts = new Map<string, number>();
  for (const it of gone) counts.set(it.text, (counts.get(it.text) ?? 0) + weight(it));
  const text = [...counts].sort((a, b) => b[1] - a[1])[0][0].slice(0, 40);
  return { items: kept, dropped: { glyphs, text } };
}
