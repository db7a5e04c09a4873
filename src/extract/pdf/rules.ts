/**
 * Ruling lines: joining collinear pieces. Chrome draws every cell edge separately and WPS overshoots
 * line ends, so pieces on (nearly) the same line that touch or nearly touch become one line.
 * (The pieces themselves come from scan.ts: stroked straight segments and thin filled rectangles.)
 */

/** A piece of a horizontal (a = y) or vertical (a = x) line from s0 to s1. */
export interface RawSeg {
  a: number;
  s0: number;
  s1: number;
}

/** Collinear pieces closer than this (points) along the line are joined. */
const JOIN_GAP = 2.5;
/** Pieces whose positions differ by less than this (points) are the same line. */
const SAME_LINE = 1.2;

export function joinSegments(segs: readonly RawSeg[]): RawSeg[] {
  if (segs.length === 0) return [];
  const sorted = [...segs].sort((p, q) => p.a - q.a || p.s0 - q.s0);
  const out: RawSeg[] = [];
  let group: RawSeg[] = [];
  let groupSum = 0;
  const flush = () => {
    if (group.length === 0) return;
    const a = groupSum / group.length;
    group.sort((p, q) => p.s0 - q.s0);
    let cur: RawSeg = { a, s0: group[0].s0, s1: group[0].s1 };
    for (let i = 1; i < group.length; i++) {
      const g = group[i];
      if (g.s0 <= cur.s1 + JOIN_GAP) cur.s1 = Math.max(cur.s1, g.s1);
      else {
        out.push(cur);
        cur = { a, s0: g.s0, s1: g.s1 };
      }
    }
    out.push(cur);
    group = [];
    groupSum = 0;
  };
  for (const s of sorted) {
    if (group.length > 0 && s.a - groupSum / group.length > SAME_LINE) flush();
    group.push(s);
    groupSum += s.a;
  }
  flush();
  return out.filter((s) => s.s1 - s.s0 >= 2);
}
