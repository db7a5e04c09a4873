/**
 * The review queue's rule, one for the review UI and the service's results list: a printed cell under
 * the review threshold that no reviewer has set, or a printed cell of a failing check. A cell whose doubt
 * came only from a check leaves the queue as soon as that check holds.
 */
import type { CanonicalTable, CellKey, CheckResult, Report } from '../model/report.js';

function select(tables: CanonicalTable[], checks: CheckResult[], low: (confidence: number) => boolean): Set<CellKey> {
  const failing = new Set(checks.filter((c) => !c.holds).flatMap((c) => c.cells));
  const out = new Set<CellKey>();
  for (const t of tables) {
    for (const c of t.cells) {
      if (c.state === 'missing') continue;
      if ((low(c.confidence) && c.evidence.source !== 'manual') || failing.has(c.key)) out.add(c.key);
    }
  }
  return out;
}

export function queuedCells(tables: CanonicalTable[], checks: CheckResult[], threshold: number): Set<CellKey> {
  return select(tables, checks, (confidence) => confidence < threshold);
}

/**
 * How many cells a report queues at the threshold its summary was made with (the service's), which the
 * store does not know: the summary counted the `lowConfidence` least confident printed cells, so every
 * cell as confident as the last of those is under the threshold too, and no other.
 */
export function queuedBySummary(report: Report): number {
  const printed = report.tables.flatMap((t) => t.cells).filter((c) => c.state !== 'missing');
  const low = Math.min(report.summary.lowConfidence, printed.length);
  const cutoff = low > 0 ? printed.map((c) => c.confidence).sort((a, b) => a - b)[low - 1] : -Infinity;
  return select(report.tables, report.checks, (confidence) => confidence <= cutoff).size;
}
