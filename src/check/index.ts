/**
 * The check stage, one for every caller (the pipeline, corrections saved through the service, the
 * review UI, the scripts): the form's arithmetic and the prose cross-check over the cells as they
 * stand, flags and suggested values on the cells they concern, each cell's confidence, the summary.
 * Everything it derives it derives again on every run, so running it after a change is always right.
 * A fresh conversion's cells get their confidence here (`checkDraft`); corrected ones keep theirs.
 */
import type { Alternative, CanonicalTable, CellKey, CheckResult, DraftTable, Report, Section, TemplateId } from '../model/report.js';
import type { CellBasis } from '../reconstruct/canonical.js';
import { templates } from '../templates/forms.js';
import { applyChecks } from './apply.js';
import { calibrate, rawConfidence, type RawConfidence } from './confidence.js';
import { proseChecks } from './prose.js';
import { summarise } from './summary.js';

export { DEFAULT_REVIEW_THRESHOLD } from './summary.js';

interface StageInput {
  template: TemplateId;
  sections: Section[];
  /** Cells under this confidence count as needing review in the summary. */
  threshold: number;
}

/** Tables that already have their confidences: re-checking after corrections, in the service and the UI. */
export interface CheckInput extends StageInput {
  tables: CanonicalTable[];
}

/** A fresh conversion's tables, and how reconstruction placed each cell, which its confidence comes from. */
export interface DraftCheckInput extends StageInput {
  tables: DraftTable[];
  basis: Map<CellKey, CellBasis>;
  /** Receives each cell's raw confidence and evidence group (the evaluation fits calibration on it). */
  explain?: (raw: Map<CellKey, RawConfidence>) => void;
}

export interface CheckOutput {
  checks: CheckResult[];
  summary: Report['summary'];
}

/**
 * Results stored before alternatives named their source: the check stage's were worded `makes … hold`
 * (the only place a message is read, and only for such old results).
 */
function withSource(a: Alternative): Alternative {
  if ((a as Partial<Alternative>).source) return a;
  return { ...a, source: a.why.startsWith('makes ') ? 'check' : 'split' };
}

/** The form's checks and the prose cross-check over the cells as they stand; flags and check alternatives set anew. */
function check(tables: DraftTable[], input: StageInput): CheckResult[] {
  for (const t of tables) {
    for (const c of t.cells) {
      c.flags = [];
      c.alternatives = c.alternatives.map(withSource).filter((a) => a.source !== 'check');
    }
  }
  const template = input.template === 'unknown' ? null : templates[input.template];
  return [...applyChecks(tables, template), ...proseChecks(input.sections, tables)];
}

/** Runs the check stage over tables that have their confidences (flags, check alternatives and the summary are set anew). */
export function runChecks(input: CheckInput): CheckOutput {
  const checks = check(input.tables, input);
  return { checks, summary: summarise(input.tables, checks, input.threshold) };
}

/** Runs the check stage over a fresh conversion: as `runChecks`, and each cell gets its confidence. */
export function checkDraft(input: DraftCheckInput): CheckOutput & { tables: CanonicalTable[] } {
  const checks = check(input.tables, input);
  const raw = new Map<CellKey, RawConfidence>();
  const tables = input.tables.map((t): CanonicalTable => ({
    ...t,
    cells: t.cells.map((c) => {
      const r = rawConfidence(c, input.basis.get(c.key), checks, t.found);
      raw.set(c.key, r);
      return { ...c, confidence: calibrate(r) };
    }),
  }));
  input.explain?.(raw);
  return { tables, checks, summary: summarise(tables, checks, input.threshold) };
}

/** A reviewer's value for a cell: a number, or null for printed-empty. */
export interface CellChange {
  key: CellKey;
  value: number | null;
}

/**
 * Applies corrections to a report and runs the check stage again: a corrected cell is certain and
 * says so (`manual`), and the checks, flags, suggestions and summary follow the new values.
 */
export function applyCorrections(report: Report, changes: CellChange[], threshold: number): Report {
  const cells = new Map(report.tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));
  for (const { key, value } of changes) {
    const cell = cells.get(key);
    if (!cell) continue;
    cell.value = value;
    cell.state = value === null ? 'blank' : 'number';
    cell.text = value === null ? '' : String(value);
    cell.confidence = 1;
    cell.evidence = { ...cell.evidence, source: 'manual' };
    cell.alternatives = [];
  }
  const { checks, summary } = runChecks({ tables: report.tables, template: report.report.template, sections: report.sections, threshold });
  report.checks = checks;
  report.summary = summary;
  return report;
}
