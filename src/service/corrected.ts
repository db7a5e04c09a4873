/** A stored result as served after manual corrections: corrected cells are certain and say so. */
import { recheck } from '../check/recheck.js';
import type { Report } from '../model/report.js';
import type { Correction } from '../store/corrections.js';

export function applyCorrections(report: Report, corrections: Correction[], threshold: number): Report {
  if (!corrections.length) return report;
  const cells = new Map(report.tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));
  for (const c of corrections) {
    const cell = cells.get(c.key);
    if (!cell) continue;
    cell.value = c.newValue;
    cell.state = c.newState;
    cell.text = c.newValue === null ? '' : String(c.newValue);
    cell.confidence = 1;
    cell.evidence = { ...cell.evidence, source: 'manual' };
    cell.alternatives = [];
  }
  recheck(report, threshold);
  return report;
}
