/**
 * Re-running the checks of a finished report after cells changed (manual corrections): checks,
 * check flags, check-based alternatives and the summary are derived again; confidences stay.
 */
import type { Report } from '../model/report.js';
import { DEFAULT_REVIEW_THRESHOLD, summarise } from '../output/summary.js';
import { templates } from '../templates/forms.js';
import { applyChecks } from './apply.js';
import { proseChecks } from './prose.js';
import type { PrintedTable } from './rules.js';

const CHECK_ALTERNATIVE = /^makes .* hold$/;

export function recheck(report: Report, threshold = DEFAULT_REVIEW_THRESHOLD): void {
  const template = report.report.template === 'unknown' ? null : templates[report.report.template];
  for (const t of report.tables) {
    for (const c of t.cells) {
      c.flags = c.flags.filter((f) => !f.startsWith('check:'));
      c.alternatives = c.alternatives.filter((a) => !CHECK_ALTERNATIVE.test(a.why));
    }
  }
  const printed: PrintedTable[] = report.tables.filter((t) => t.found).map((t) => {
    const cells = t.cells.filter((c) => c.state !== 'missing');
    return { id: t.id, rows: [...new Set(cells.map((c) => c.row))], cols: [...new Set(cells.map((c) => c.col))] };
  });
  report.checks = [...applyChecks(report.tables, template, printed), ...proseChecks(report.sections, report.tables)];
  report.summary = summarise(report.tables, report.checks, threshold);
}
