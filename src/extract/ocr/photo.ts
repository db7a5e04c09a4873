/**
 * Photographed pages: a page on a desk, seen a few degrees off square, lit unevenly. Its table's rules
 * converge (deskew, which turns, cannot straighten them) and the light falling off to one corner darkens
 * the paper there past the ink threshold. Before the grid is read:
 *
 * - **The page's quadrilateral** is found on a small copy: the largest bright region where the image's
 *   border is mostly dark (a desk), its four edges fitted as lines and intersected.
 * - **It is warped to a rectangle** by the homography that maps the rectangle's corners onto the
 *   quadrilateral's, sampling the grey page bilinearly (sharp has no perspective warp).
 * - **The illumination is flattened**: the paper's brightness is estimated per block (a high percentile,
 *   widened and smoothed over neighbouring blocks, so ink does not count), and the page is divided by it.
 *   Only when it varies: an evenly lit scan is left as it is.
 */
import type { LayoutWarning } from '../../layout/types.js';
import { stretchContrast } from './contrast.js';
import { histQuantile, otsu, shrinkGray, type Gray } from './raster.js';

/** A 3 × 3 projective transform, row-major: (x, y) ↦ ((h0 x + h1 y + h2) / w, (h3 x + h4 y + h5) / w), w = h6 x + h7 y + h8. */
export type Homography = [number, number, number, number, number, number, number, number, number];

export type Point = [number, number];

/** Corners of a quadrilateral: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

export function applyHomography(h: Homography, x: number, y: number): Point {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

/** The homography mapping each `from` point onto the `to` point of the same index (four pairs). */
export function homography(from: readonly Point[], to: readonly Point[]): Homography {
  // Eight equations in h0..h7 (h8 = 1), solved by Gaussian elimination with partial pivoting.
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i];
    const [u, v] = to[i];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    if (Math.abs(a[p][c]) < 1e-12) throw new Error('degenerate quadrilateral');
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      if (f !== 0) for (let k = c; k < 9; k++) a[r][k] -= f * a[c][k];
    }
  }
  const h = a.map((row, i) => row[8] / row[i]);
  return [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1];
}

/** Composition: first `b`, then `a`. */
export function composeHomography(a: Homography, b: Homography): Homography {
  const m: number[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m.push(a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c]);
  return m as Homography;
}

/**
 * The `width` × `height` raster whose pixel (u, v) is `g` sampled bilinearly at `h`(u, v) (pixel
 * centres); outside `g`, white.
 */
export function warpGray(g: Gray, h: Homography, width: number, height: number): Gray {
  const out = new Uint8Array(width * height);
  const src = g.data;
  const W = g.width;
  const H = g.height;
  for (let v = 0; v < height; v++) {
    const cy = v + 0.5;
    let xn = h[1] * cy + h[2] + h[0] * 0.5;
    let yn = h[4] * cy + h[5] + h[3] * 0.5;
    let wn = h[7] * cy + h[8] + h[6] * 0.5;
    const row = v * width;
    for (let u = 0; u < width; u++) {
      const x = xn / wn - 0.5;
      const y = yn / wn - 0.5;
      xn += h[0];
      yn += h[3];
      wn += h[6];
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 < 0 || y0 < 0 || x0 >= W - 1 || y0 >= H - 1) {
        out[row + u] = 255;
        continue;
      }
      const fx = x - x0;
      const fy = y - y0;
      const i = y0 * W + x0;
      const top = src[i] + (src[i + 1] - src[i]) * fx;
      const bottom = src[i + W] + (src[i + W + 1] - src[i + W]) * fx;
      out[row + u] = top + (bottom - top) * fy + 0.5;
    }
  }
  return { data: out, width, height };
}

/** The long side of the copy the page is looked for on. */
const ANALYSIS = 600;
/** Share of the image's border that must be dark (a desk, a scanner lid) for a page to be looked for. */
const DARK_BORDER = 0.6;

/** Least-squares line a·t + b through points (t, s). */
function fitLine(pts: Point[]): { a: number; b: number } | null {
  if (pts.length < 8) return null;
  let st = 0;
  let ss = 0;
  let stt = 0;
  let sts = 0;
  for (const [t, s] of pts) {
    st += t;
    ss += s;
    stt += t * t;
    sts += t * s;
  }
  const n = pts.length;
  const d = n * stt - st * st;
  if (Math.abs(d) < 1e-9) return null;
  const a = (n * sts - st * ss) / d;
  return { a, b: (ss - a * st) / n };
}

/** Fits again without the points farther than `tol` from the first fit (a page's dog-ear, a finger). */
function robustLine(pts: Point[], tol: number): { a: number; b: number } | null {
  const first = fitLine(pts);
  if (!first) return null;
  const kept = pts.filter(([t, s]) => Math.abs(first.a * t + first.b - s) <= tol);
  return kept.length >= pts.length * 0.5 ? fitLine(kept) ?? first : first;
}

/**
 * The quadrilateral of a page lying on something darker, in `g`'s pixels; null when the image's border is
 * not mostly dark (an ordinary scan) or no page-like region is found.
 */
export function findPageQuad(g: Gray): Quad | null {
  const f = Math.max(1, Math.round(Math.max(g.width, g.height) / ANALYSIS));
  const s = shrinkGray(g, f);
  const { width: w, height: h, data } = s;
  if (w < 50 || h < 50) return null;
  const t = otsu(s);
  // The border: is it mostly darker than the threshold?
  let dark = 0;
  let ring = 0;
  const m = Math.max(1, Math.round(Math.min(w, h) * 0.01));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x >= m && x < w - m && y >= m && y < h - m) continue;
      ring++;
      if (data[y * w + x] < t) dark++;
    }
  }
  if (dark < DARK_BORDER * ring) return null;
  // The largest 4-connected region of bright pixels.
  const label = new Int32Array(w * h).fill(-1);
  const stack = new Int32Array(w * h);
  let best = -1;
  let bestSize = 0;
  for (let i = 0; i < w * h; i++) {
    if (label[i] !== -1 || data[i] < t) continue;
    let top = 0;
    let size = 0;
    stack[top++] = i;
    label[i] = i;
    while (top) {
      const k = stack[--top];
      size++;
      const x = k % w;
      const y = (k - x) / w;
      if (x > 0 && label[k - 1] === -1 && data[k - 1] >= t) { label[k - 1] = i; stack[top++] = k - 1; }
      if (x < w - 1 && label[k + 1] === -1 && data[k + 1] >= t) { label[k + 1] = i; stack[top++] = k + 1; }
      if (y > 0 && label[k - w] === -1 && data[k - w] >= t) { label[k - w] = i; stack[top++] = k - w; }
      if (y < h - 1 && label[k + w] === -1 && data[k + w] >= t) { label[k + w] = i; stack[top++] = k + w; }
    }
    if (size > bestSize) {
      bestSize = size;
      best = i;
    }
  }
  if (best < 0 || bestSize < 0.2 * w * h || bestSize > 0.97 * w * h) return null;
  // Outline of the region: first and last pixel of each row and column.
  const left: Point[] = [];
  const right: Point[] = [];
  const topE: Point[] = [];
  const bottom: Point[] = [];
  for (let y = 0; y < h; y++) {
    let a = -1;
    let b = -1;
    for (let x = 0; x < w; x++) if (label[y * w + x] === best) { if (a < 0) a = x; b = x; }
    if (a >= 0) { left.push([y, a]); right.push([y, b]); }
  }
  for (let x = 0; x < w; x++) {
    let a = -1;
    let b = -1;
    for (let y = 0; y < h; y++) if (label[y * w + x] === best) { if (a < 0) a = y; b = y; }
    if (a >= 0) { topE.push([x, a]); bottom.push([x, b]); }
  }
  // Each edge from the middle 70 % of its extent (the corners round off), fitted as a line.
  const middle = (pts: Point[]) => {
    const lo = pts[0][0];
    const hi = pts[pts.length - 1][0];
    const span = hi - lo;
    return pts.filter(([t]) => t >= lo + 0.15 * span && t <= hi - 0.15 * span);
  };
  const tol = 3;
  const L = robustLine(middle(left), tol); // x = a·y + b
  const R = robustLine(middle(right), tol);
  const T = robustLine(middle(topE), tol); // y = a·x + b
  const B = robustLine(middle(bottom), tol);
  if (!L || !R || !T || !B) return null;
  // Intersect y = T.a x + T.b with x = L.a y + L.b, and so on.
  const meet = (hz: { a: number; b: number }, vt: { a: number; b: number }): Point => {
    const y = (hz.a * vt.b + hz.b) / (1 - hz.a * vt.a);
    return [vt.a * y + vt.b, y];
  };
  const small: Quad = [meet(T, L), meet(T, R), meet(B, R), meet(B, L)];
  const rough = small.map(([x, y]) => [(x + 0.5) * f, (y + 0.5) * f] as Point) as Quad;
  if (!plausible(rough, g)) return null;
  // One threshold cuts into the page where its light falls off: each edge is placed again on the full
  // image, at the strongest step from desk to paper across it.
  const quad = refine(g, rough, 2 * f + 2);
  return quad && plausible(quad, g) ? quad : rough;
}

/** The edges of `q` moved to the strongest brightness step within `reach` pixels across them. */
function refine(g: Gray, q: Quad, reach: number): Quad | null {
  const at = (x: number, y: number) => {
    const xi = Math.min(g.width - 1, Math.max(0, Math.round(x)));
    const yi = Math.min(g.height - 1, Math.max(0, Math.round(y)));
    return g.data[yi * g.width + xi];
  };
  const lines: { p: Point; d: Point }[] = [];
  for (let i = 0; i < 4; i++) {
    const a = q[i];
    const b = q[(i + 1) % 4];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const d: Point = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
    // The corners go clockwise: the page lies to the right of each edge's direction.
    const n: Point = [-d[1], d[0]];
    const pts: Point[] = [];
    for (let k = 0; k <= 60; k++) {
      const t = 0.15 + (0.7 * k) / 60;
      const cx = a[0] + (b[0] - a[0]) * t;
      const cy = a[1] + (b[1] - a[1]) * t;
      let best = 0;
      let bestOff = NaN;
      for (let o = -reach; o <= reach; o++) {
        // Paper (inside) minus desk (outside), each the mean of three pixels.
        const inner = at(cx + n[0] * (o + 1), cy + n[1] * (o + 1)) + at(cx + n[0] * (o + 2), cy + n[1] * (o + 2)) + at(cx + n[0] * (o + 3), cy + n[1] * (o + 3));
        const outer = at(cx + n[0] * o, cy + n[1] * o) + at(cx + n[0] * (o - 1), cy + n[1] * (o - 1)) + at(cx + n[0] * (o - 2), cy + n[1] * (o - 2));
        const step = inner - outer;
        if (step > best) {
          best = step;
          bestOff = o + 0.5;
        }
      }
      if (best >= 3 * 24 && !Number.isNaN(bestOff)) pts.push([cx + n[0] * bestOff, cy + n[1] * bestOff]);
    }
    if (pts.length < 20) return null;
    // A line through the points: along the edge's main axis.
    const horizontal = Math.abs(d[0]) >= Math.abs(d[1]);
    const fit = robustLine(pts.map(([x, y]) => (horizontal ? [x, y] : [y, x]) as Point), 2);
    if (!fit) return null;
    lines.push(horizontal ? { p: [0, fit.b], d: [1, fit.a] } : { p: [fit.b, 0], d: [fit.a, 1] });
  }
  const cross = (l1: { p: Point; d: Point }, l2: { p: Point; d: Point }): Point | null => {
    const den = l1.d[0] * l2.d[1] - l1.d[1] * l2.d[0];
    if (Math.abs(den) < 1e-9) return null;
    const t = ((l2.p[0] - l1.p[0]) * l2.d[1] - (l2.p[1] - l1.p[1]) * l2.d[0]) / den;
    return [l1.p[0] + l1.d[0] * t, l1.p[1] + l1.d[1] * t];
  };
  // Edge i runs from corner i to corner i + 1: corner i is where edges i − 1 and i meet.
  const out: Point[] = [];
  for (let i = 0; i < 4; i++) {
    const c = cross(lines[(i + 3) % 4], lines[i]);
    if (!c) return null;
    out.push(c);
  }
  return out as Quad;
}

/** Convex, its corners near right angles, and a good part of the image. */
function plausible(q: Quad, g: Gray): boolean {
  let area = 0;
  for (let i = 0; i < 4; i++) {
    const [x0, y0] = q[i];
    const [x1, y1] = q[(i + 1) % 4];
    area += x0 * y1 - x1 * y0;
  }
  area /= 2;
  if (!(area > 0.2 * g.width * g.height)) return false;
  for (let i = 0; i < 4; i++) {
    const p = q[(i + 3) % 4];
    const c = q[i];
    const n = q[(i + 1) % 4];
    const a = [p[0] - c[0], p[1] - c[1]];
    const b = [n[0] - c[0], n[1] - c[1]];
    const cos = (a[0] * b[0] + a[1] * b[1]) / (Math.hypot(a[0], a[1]) * Math.hypot(b[0], b[1]));
    if (!(Math.abs(cos) < 0.35)) return false;
  }
  return q.every(([x, y]) => x > -0.05 * g.width && x < 1.05 * g.width && y > -0.05 * g.height && y < 1.05 * g.height);
}

/** Lengths of a quadrilateral's sides: the wider of top and bottom, the taller of left and right. */
export function quadSize(q: Quad): { width: number; height: number } {
  const d = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  return { width: Math.max(d(q[0], q[1]), d(q[3], q[2])), height: Math.max(d(q[0], q[3]), d(q[1], q[2])) };
}

/**
 * The last steps before reading, for image files and rendered PDF pages alike: the lighting evened out
 * (a photo, or smoothly uneven light) and the contrast stretched, in place. Returns whether the
 * lighting was evened out.
 */
export function evenOut(g: Gray, photo: boolean): boolean {
  const flattened = flattenIllumination(g, photo);
  stretchContrast(g);
  return flattened;
}

/** The warnings for a page squared up as a photo and for one whose lighting was evened out. */
export function photoWarnings(page: number, squaredUp: boolean, flattened: boolean): LayoutWarning[] {
  const out: LayoutWarning[] = [];
  if (squaredUp) out.push({ code: 'OCR_PHOTO', page, message: `Page ${page} is a photograph: the page was found and squared up before reading.` });
  if (flattened) out.push({ code: 'OCR_UNEVEN_LIGHT', page, message: `Page ${page} is lit unevenly; the paper's brightness was evened out before reading.` });
  return out;
}

/** Block side for the illumination estimate, as a share of the page's short side. */
const BLOCK_SHARE = 0.03;

/**
 * Uneven light is smooth: on a page not found as a photo, the paper levels must fit a quadratic surface
 * to within this share (RMS) of their spread. Grey shading (a shaded table, a sidebar, a form's
 * background) makes steps no quadratic follows, and an evenly lit scan with shading is left alone.
 */
const SMOOTH_RESIDUAL = 0.12;

/**
 * Divides the page by its paper brightness, in place, when that varies by more than about 12 % over
 * the page, and the page is a photo (`photo`) or the variation is smooth (lighting, not shading).
 * Returns whether it did.
 */
export function flattenIllumination(g: Gray, photo: boolean): boolean {
  const { width: W, height: H, data } = g;
  const B = Math.max(16, Math.round(Math.min(W, H) * BLOCK_SHARE));
  const bw = Math.ceil(W / B);
  const bh = Math.ceil(H / B);
  // Paper level per block: the 90th percentile of a sample of its pixels.
  const level = new Float64Array(bw * bh);
  const hist = new Uint32Array(256);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      hist.fill(0);
      let n = 0;
      const y1 = Math.min(H, (by + 1) * B);
      const x1 = Math.min(W, (bx + 1) * B);
      for (let y = by * B; y < y1; y += 2) {
        for (let x = bx * B, i = y * W + x; x < x1; x += 2, i += 2) {
          hist[data[i]]++;
          n++;
        }
      }
      level[by * bw + bx] = histQuantile(hist, n, 0.9);
    }
  }
  // A block that is mostly ink (a black box, a dense line) is as bright as its brightest neighbours;
  // then the levels are smoothed.
  let paper = widen(level, bw, bh, 1);
  for (let k = 0; k < 3; k++) paper = smooth(paper, bw, bh);
  const sorted = Float64Array.from(paper).sort();
  const lo = sorted[Math.floor(sorted.length * 0.05)];
  const hi = sorted[Math.floor(sorted.length * 0.95)];
  if (hi <= 0 || (hi - lo) / hi < 0.12) return false;
  if (!photo && quadraticResidual(paper, bw, bh) > SMOOTH_RESIDUAL * (hi - lo)) return false;
  // Divide, interpolating the block levels between block centres.
  const row = new Float64Array(W);
  for (let y = 0; y < H; y++) {
    const fy = Math.min(bh - 1, Math.max(0, (y + 0.5) / B - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(bh - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(bw - 1, Math.max(0, (x + 0.5) / B - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(bw - 1, x0 + 1);
      const wx = fx - x0;
      const a = paper[y0 * bw + x0] + (paper[y0 * bw + x1] - paper[y0 * bw + x0]) * wx;
      const b = paper[y1 * bw + x0] + (paper[y1 * bw + x1] - paper[y1 * bw + x0]) * wx;
      row[x] = Math.max(8, a + (b - a) * wy);
    }
    const base = y * W;
    for (let x = 0; x < W; x++) {
      const v = (data[base + x] * 255) / row[x];
      data[base + x] = v >= 255 ? 255 : v;
    }
  }
  return true;
}

/** RMS residual of the least-squares quadratic surface (1, x, y, x², xy, y²) through a grid of values. */
export function quadraticResidual(v: Float64Array, w: number, h: number): number {
  const terms = (x: number, y: number) => [1, x, y, x * x, x * y, y * y];
  const A = Array.from({ length: 6 }, () => new Float64Array(7));
  const at = (i: number) => {
    const x = w > 1 ? (2 * (i % w)) / (w - 1) - 1 : 0;
    const y = h > 1 ? (2 * Math.floor(i / w)) / (h - 1) - 1 : 0;
    return terms(x, y);
  };
  for (let i = 0; i < v.length; i++) {
    const t = at(i);
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) A[r][c] += t[r] * t[c];
      A[r][6] += t[r] * v[i];
    }
  }
  // Gaussian elimination with partial pivoting; a singular column (a one-block-wide grid) gets 0.
  const coef = new Float64Array(6);
  for (let c = 0; c < 6; c++) {
    let p = c;
    for (let r = c + 1; r < 6; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    if (Math.abs(A[c][c]) < 1e-9) continue;
    for (let r = 0; r < 6; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k < 7; k++) A[r][k] -= f * A[c][k];
    }
  }
  for (let c = 0; c < 6; c++) coef[c] = Math.abs(A[c][c]) < 1e-9 ? 0 : A[c][6] / A[c][c];
  let ss = 0;
  for (let i = 0; i < v.length; i++) {
    const t = at(i);
    let f = 0;
    for (let k = 0; k < 6; k++) f += coef[k] * t[k];
    ss += (v[i] - f) ** 2;
  }
  return Math.sqrt(ss / Math.max(1, v.length));
}

function widen(v: Float64Array, w: number, h: number, k: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = 0;
      for (let dy = -k; dy <= k; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -k; dx <= k; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w && v[yy * w + xx] > m) m = v[yy * w + xx];
        }
      }
      out[y * w + x] = m;
    }
  }
  return out;
}

function smooth(v: Float64Array, w: number, h: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          s += v[yy * w + xx];
          n++;
        }
      }
      out[y * w + x] = s / n;
    }
  }
  return out;
}

/** A4's short side in inches, and its proportions. */
const A4_SHORT = 8.27;
const A4_RATIO = 11.69 / 8.27;

export interface Rectified {
  image: Gray;
  /** Maps the rectified raster's pixels to the input's. */
  warp: Homography;
  /** Resolution of the rectified raster, taking the page as A4 when it is shaped like one. */
  dpi: number | null;
}

/**
 * The page of a photograph as an upright rectangle: found, warped, at `targetDpi` when the page is
 * A4-shaped (its size otherwise). Null when there is no page on a darker background.
 */
export function rectifyPage(g: Gray, targetDpi: number): Rectified | null {
  const quad = findPageQuad(g);
  if (!quad) return null;
  const size = quadSize(quad);
  const short = Math.min(size.width, size.height);
  const ratio = Math.max(size.width, size.height) / short;
  let width = size.width;
  let height = size.height;
  let dpi: number | null = null;
  if (Math.abs(ratio - A4_RATIO) / A4_RATIO < 0.08) {
    const k = (A4_SHORT * targetDpi) / short;
    width *= k;
    height *= k;
    dpi = targetDpi;
  }
  width = Math.max(1, Math.round(width));
  height = Math.max(1, Math.round(height));
  const warp = homography([[0, 0], [width, 0], [width, height], [0, height]], quad);
  return { image: warpGray(g, warp, width, height), warp, dpi };
}
