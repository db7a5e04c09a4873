/**
 * Runs the checks over the canonical cells: results, flags on the cells of failing checks, and a
 * suggested value where changing one cell would make every failing check hold. Printed values are
 * never changed.
 */
import { checkFlag, type CellKey, type CheckResult, type DraftCell, type DraftTable } from '../model/report.js';
import type { TemplateDef } from '../templates/forms.js';
import { evaluate, expandChecks, type CellValue, type ConcreteCheck, type PrintedTable } from '../templates/rules.js';

/** The tables' printed rows and columns, which the form's checks are expanded over. */
function printedTables(tables: DraftTable[]): PrintedTable[] {
  return tables.filter((t) => t.found).map((t) => {
    const cells = t.cells.filter((c) => c.state !== 'missing');
    return { id: t.id, rows: [...new Set(cells.map((c) => c.row))], cols: [...new Set(cells.map((c) => c.col))] };
  });
}

/** Value of `key` that makes `check` hold with every other cell as read, or null. */
function valueThatHolds(check: ConcreteCheck, key: CellKey, values: Map<CellKey, CellValue>): number | null {
  if (check.relation !== 'eq') return null;
  const others = (keys: CellKey[]) => keys.filter((k) => k !== key).reduce((s, k) => s + (values.get(k)?.value ?? 0), 0);
  const v = check.lhs.includes(key) ? others(check.rhs) - others(check.lhs) : others(check.lhs) - others(check.rhs);
  return Math.round(v * 1e6) / 1e6;
}

export function applyChecks(tables: DraftTable[], template: TemplateDef | null): CheckResult[] {
  const printed = printedTables(tables);
  const cells = new Map<CellKey, DraftCell>();
  for (const t of tables) for (const c of t.cells) if (c.state !== 'missing') cells.set(c.key, c);
  const values = new Map<CellKey, CellValue>([...cells].map(([k, c]) => [k, { state: c.state, value: c.value }]));
  const concrete = expandChecks(template, printed, new Set(cells.keys()));
  const results: CheckResult[] = [];
  const failing: ConcreteCheck[] = [];
  for (const c of concrete) {
    const r = evaluate(c, values);
    if (!r) continue;
    results.push(r);
    if (!r.holds) {
      for (const k of r.cells) cells.get(k)?.flags.push(checkFlag(r.id));
      if (!c.soft) failing.push(c);
    }
  }
  if (!failing.length) return results;

  // One cell, one new value, every failing check holds and no holding check breaks.
  const suspects = new Set(failing.flatMap((c) => [...c.lhs, ...c.rhs]));
  const fixes: { key: CellKey; value: number }[] = [];
  for (const key of suspects) {
    const proposal = valueThatHolds(failing.find((c) => c.lhs.includes(key) || c.rhs.includes(key))!, key, values);
    if (proposal === null || proposal < 0) continue;
    const trial = new Map(values);
    trial.set(key, { state: 'number', value: proposal });
    const touched = concrete.filter((c) => !c.soft && (c.lhs.includes(key) || c.rhs.includes(key)));
    if (failing.every((c) => evaluate(c, trial)?.holds) && touched.every((c) => evaluate(c, trial)?.holds !== false)) {
      fixes.push({ key, value: proposal });
    }
  }
  for (const f of fixes) {
    const cell = cells.get(f.key)!;
    const ids = failing.filter((c) => c.lhs.includes(f.key) || c.rhs.includes(f.key)).map((c) => c.id);
    cell.alternatives.push({
      value: f.value,
      // Split among the single-cell fixes that explain the failure equally well.
      confidence: Math.round((cell.evidence.source === 'ocr' ? 0.8 : 0.4) / fixes.length * 1000) / 1000,
      why: `makes ${ids.join(', ')} hold`,
      source: 'check',
    });
  }
  return results;
}
