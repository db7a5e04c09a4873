/**
 * Ruling lines: joining collinear pieces. Chrome draws every cell edge separately and WPS overshoots
 * line ends, so pieces on (nearly) the same line that touch or nearly touch become one line.
 * (The pieces themselves come from scan.ts: stroked straight segments and thin filled rectangles.)
 */
import type { Rule } from '../../layout/rule-grid.js';

/** Collinear pieces closer than this (points) along the line are joined. */
const JOIN_GAP = 2.5;
/** Pieces whose positions differ by less than this (points) are the same line. */
const SAME_LINE = 1.2;

export function joinSegments(segs: readonly Rule[]): Rule[] {
  if (segs.length === 0) return [];
  const sorted = [...segs].sort((p, q) => p.at - q.at || p.from - q.from);
  const out: Rule[] = [];
  let group: Rule[] = [];
  let groupSum = 0;
  const flush = () => {
    if (group.length === 0) return;
    const a = groupSum / group.length;
    group.sort((p, q) => p.from - q.from);
    let cur: Rule = { at: a, from: group[0].from, to: group[0].to };
    for (let i = 1; i < group.length; i++) {
      const g = group[i];
      if (g.from <= cur.to + JOIN_GAP) cur.to = Math.max(cur.to, g.to);
      else {
        out.push(cur);
        cur = { at: a, from: g.from, to: g.to };
      }
    }
    out.push(cur);
    group = [];
    groupSum = 0;
  };
  for (const s of sorted) {
    if (group.length > 0 && s.at - groupSum / group.length > SAME_LINE) flush();
    group.push(s);
    groupSum += s.at;
  }
  flush();
  return out.filter((s) => s.to - s.from >= 2);
}
