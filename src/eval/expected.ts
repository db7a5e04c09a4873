/** Expected values of a labelled sample and the comparison of a conversion against them. */
import type { CanonicalCell, Report } from '../model/report.js';

export interface Expected {
  source?: string;
  template: 'gov2021' | 'gov2019' | 'legacy';
  year: number;
  agencyIncludes: string;
  /** Canonical key → printed value; null: the cell is blank. A key that is absent is not printed. */
  cells: Record<string, number | null>;
  units?: Record<string, string>;
  texts?: Record<string, string>;
  labels?: Record<string, string>;
  /** Checks that fail on the printed values; absent means none (some legacy fixtures omit it: legacy checks are all soft). */
  failingChecks?: string[];
}

export interface CellOutcome {
  key: string;
  expected: number | null | undefined;
  got: number | null;
  state: CanonicalCell['state'] | 'absent';
  confidence: number;
  right: boolean;
}

export interface Comparison {
  cells: CellOutcome[];
  /** Document-level mismatches (template, year, agency, units, texts, labels, checks, extra cells). */
  problems: string[];
}

export function compare(report: Report, expected: Expected): Comparison {
  const byKey = new Map<string, CanonicalCell>();
  for (const t of report.tables) for (const c of t.cells) byKey.set(c.key, c);
  const cells: CellOutcome[] = [];
  for (const [key, value] of Object.entries(expected.cells)) {
    const c = byKey.get(key);
    const wantState = value === null ? 'blank' : 'number';
    const right = !!c && c.state === wantState && c.value === value;
    cells.push({ key, expected: value, got: c?.value ?? null, state: c?.state ?? 'absent', confidence: c?.confidence ?? 0, right });
  }
  // Cells the document does not print must not come out as values.
  for (const [key, c] of byKey) {
    if (!(key in expected.cells) && c.state !== 'missing') {
      cells.push({ key, expected: undefined, got: c.value, state: c.state, confidence: c.confidence, right: false });
    }
  }
  const problems: string[] = [];
  if (report.report.template !== expected.template) problems.push(`template: expected ${expected.template}, got ${report.report.template}`);
  if (report.report.year !== expected.year) problems.push(`year: expected ${expected.year}, got ${report.report.year}`);
  if (!report.report.agency?.includes(expected.agencyIncludes)) problems.push(`agency: expected to include ${expected.agencyIncludes}, got ${report.report.agency}`);
  for (const [key, unit] of Object.entries(expected.units ?? {})) {
    if (byKey.get(key)?.unit !== unit) problems.push(`unit of ${key}: expected ${unit}, got ${byKey.get(key)?.unit}`);
  }
  for (const [key, text] of Object.entries(expected.texts ?? {})) {
    if (byKey.get(key)?.text !== text) problems.push(`text of ${key}: expected ${text}, got ${byKey.get(key)?.text}`);
  }
  for (const [row, label] of Object.entries(expected.labels ?? {})) {
    const c = [...byKey.values()].find((x) => x.key.startsWith(`legacyIndicators.${row}.`) || x.key.startsWith(`${row}.`));
    if (c?.rowLabel !== label) problems.push(`label of ${row}: expected ${label}, got ${c?.rowLabel}`);
  }
  const failing = report.checks.filter((c) => !c.holds && !c.soft).map((c) => c.id).sort();
  const want = [...(expected.failingChecks ?? [])].sort();
  if (failing.join() !== want.join()) problems.push(`failing checks: expected [${want.join(', ')}], got [${failing.join(', ')}]`);
  return { cells, problems };
}
