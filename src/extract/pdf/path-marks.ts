/**
 * Path painting (S, f, B … after pdf.js's constructPath): stroked straight edges and filled thin
 * rectangles are ruling-line pieces, other dark filled rectangles shading, filled curves are counted.
 */
import { apply, type Matrix } from './geometry.js';
import type { Marks, State } from './scan-state.js';

/** pdf.js DrawOPS: the codes of a constructPath buffer. */
const DRAW_MOVE = 0;
const DRAW_LINE = 1;
const DRAW_CURVE = 2;
const DRAW_CLOSE = 3;

/** A filled rectangle thinner than this (points) is a rule, not a shaded cell. */
const THIN = 2.5;
/** Points by which a segment may deviate from horizontal/vertical. */
const AXIS_TOL = 0.6;

/** A stroked straight segment along an axis is a ruling line piece. */
function addSeg(marks: Marks, x0: number, y0: number, x1: number, y1: number): void {
  if (Math.abs(y1 - y0) <= AXIS_TOL && Math.abs(x1 - x0) > AXIS_TOL) {
    marks.hs.push({ at: (y0 + y1) / 2, from: Math.min(x0, x1), to: Math.max(x0, x1) });
  } else if (Math.abs(x1 - x0) <= AXIS_TOL && Math.abs(y1 - y0) > AXIS_TOL) {
    marks.vs.push({ at: (x0 + x1) / 2, from: Math.min(y0, y1), to: Math.max(y0, y1) });
  }
}

type Subpath = { pts: [number, number][]; closed: boolean; curved: boolean };

/** A pdf.js path buffer as subpaths in page points (a curve keeps only its end point and marks its subpath curved). */
export function tracePath(buf: ArrayLike<number>, m: Matrix): Subpath[] {
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
export function paintPath(subpaths: Subpath[], stroke: boolean, fill: boolean, st: State, marks: Marks): void {
  if (stroke && !st.strokeWhite) strokeEdges(subpaths, marks);
  if (fill) fillShapes(subpaths, st, marks);
}

/** Each straight edge of a stroked subpath, its closing edge included, may be a rule piece. */
function strokeEdges(subpaths: Subpath[], marks: Marks): void {
  for (const sp of subpaths) {
    if (sp.curved) continue;
    const p = sp.pts;
    for (let j = 1; j < p.length; j++) addSeg(marks, p[j - 1][0], p[j - 1][1], p[j][0], p[j][1]);
    if (sp.closed && p.length > 2) addSeg(marks, p[p.length - 1][0], p[p.length - 1][1], p[0][0], p[0][1]);
  }
}

/** A filled axis-aligned rectangle is a rule piece when thin, shading when dark; a filled curve is counted. */
function fillShapes(subpaths: Subpath[], st: State, marks: Marks): void {
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
