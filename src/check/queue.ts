/**
 * The review queue's rule, one for the review UI and the service's results list: a printed cell under
 * the review threshold that no reviewer has set, a printed cell of a failing check, or a cell a warning
 * names (missing ones too: the document prints them, unread) until a reviewer sets it. A cell whose
 * doubt came only from a check leaves the queue as soon as that check holds.
 */
import type { CanonicalCell, CanonicalTable, CellKey, CheckResult, Report, Warning } from '../model/report.js';

function select(tables: CanonicalTable[], checks: CheckResult[], warnings: Warning[], low: (confidence: number) => boolean): Set<CellKey> {
  const failing = new Set(checks.filter((c) => !c.holds).flatMap((c) => c.cells));
  const warned = new Set(warnings.flatMap((w) => w.cells ?? []));
  const out = new Set<CellKey>();
  for (const t of tables) {
    for (const c of t.cells) {
      if (c.evidence.source === 'manual' && !failing.has(c.key)) continue;
      // A missing cell is only worth a look where a warning says the document prints it (glued digits, an unread table).
      if (warned.has(c.key) || (c.state !== 'missing' && (low(c.confidence) || failing.has(c.key)))) out.add(c.key);
    }
  }
  return out;
}

/** A cell a reviewer may set: any printed one, and a missing one a warning names (the document prints it, unread). */
export function correctable(cell: Pick<CanonicalCell, 'key' | 'state'>, warnings: Warning[]): boolean {
  return cell.state !== 'missing' || warnings.some((w) => w.cells?.includes(cell.key));
}

export function queuedCells(tables: CanonicalTable[], checks: CheckResult[], warnings: Warning[], threshold: number): Set<CellKey> {
  return select(tables, checks, warnings, (confidence) => confidence < threshold);
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
  return select(report.tables, report.checks, report.warnings, (confidence) => confidence <= cutoff).size;
}
