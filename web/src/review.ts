/**
 * The review state of one report: local edits and acceptances, the checks recomputed live by the
 * service's own check stage (src/check/index.ts), and the review queue in document order.
 */
import type { CorrectionChange, MetaKey } from '../../src/api/wire.js';
import type { CanonicalCell, CellKey, CellState, CheckResult, Report } from '../../src/model/report.js';
import { applyCorrections } from '../../src/check/index.js';
import { fieldOf, type FieldValue } from '../../src/check/field-values.js';
import { queuedCells } from '../../src/check/queue.js';
import { buildLayout, type FormLayout } from './layout.js';

type CellClass = 'good' | 'ok' | 'low' | 'failed';

export class Review {
  readonly cells = new Map<CellKey, CanonicalCell>();
  readonly layout: FormLayout;
  /** Cell key → index in document order. */
  readonly position = new Map<CellKey, number>();
  /** Local corrections: value (null = blank) by key. */
  readonly edits = new Map<CellKey, number | null>();
  /** Local corrections of the report's fields (agency, year, title): value (null = cleared) by key. */
  readonly fieldEdits = new Map<MetaKey, string | number | null>();
  /** Cells the reviewer accepted (Enter) or corrected. */
  readonly reviewed = new Set<CellKey>();
  results: CheckResult[] = [];
  /** Failing checks by cell. */
  failingByCell = new Map<CellKey, CheckResult[]>();
  current: CellKey | null = null;

  constructor(
    readonly report: Report,
    /** Null for a report loaded from a file: review and export only. */
    readonly resultId: string | null,
    /** The version loaded (from GET …/corrections); saves are made against it. */
    public version: number | null,
    public threshold: number,
  ) {
    for (const t of report.tables) for (const c of t.cells) this.cells.set(c.key, c);
    this.layout = buildLayout(report);
    this.layout.order.forEach((k, i) => this.position.set(k, i));
    this.recheck();
  }

  get readonly(): boolean {
    return this.resultId === null;
  }

  /** The value a cell has now: the local edit, or as loaded. */
  valueOf(key: CellKey): { state: CellState; value: number | null } {
    const cell = this.cells.get(key)!;
    if (this.edits.has(key)) {
      const v = this.edits.get(key)!;
      return { state: v === null ? 'blank' : 'number', value: v };
    }
    return { state: cell.state, value: cell.value };
  }

  isEdited(key: CellKey): boolean {
    return this.edits.has(key);
  }

  /** Sets a cell's value; setting it back to what was loaded drops the edit. */
  setValue(key: CellKey, value: number | null): void {
    this.setValues([[key, value]]);
  }

  /** Sets several cells' values, then re-checks once. */
  setValues(values: Iterable<readonly [CellKey, number | null]>): void {
    for (const [key, value] of values) {
      const cell = this.cells.get(key)!;
      const same = value === null ? cell.state === 'blank' : cell.state === 'number' && cell.value === value;
      if (same) this.edits.delete(key);
      else this.edits.set(key, value);
      this.reviewed.add(key);
    }
    this.recheck();
  }

  accept(key: CellKey): void {
    this.reviewed.add(key);
  }

  /** A report field as loaded. */
  loadedField(key: MetaKey): FieldValue {
    return fieldOf(this.report, key);
  }

  /** A report field now: the local edit, or as loaded. */
  field(key: MetaKey): string | number | null {
    return this.fieldEdits.has(key) ? this.fieldEdits.get(key)! : this.loadedField(key);
  }

  /** Sets a report field; setting it back to what was loaded drops the edit. */
  setField(key: MetaKey, value: string | number | null): void {
    if (value === this.loadedField(key)) this.fieldEdits.delete(key);
    else this.fieldEdits.set(key, value);
  }

  /** The checks (the form's and the prose cross-check) over the values as they stand now. */
  recheck(): void {
    this.results = this.corrected().checks;
    this.failingByCell = new Map();
    for (const r of this.results) {
      if (r.holds) continue;
      for (const k of r.cells) {
        if (!this.failingByCell.has(k)) this.failingByCell.set(k, []);
        this.failingByCell.get(k)!.push(r);
      }
    }
  }

  get failing(): CheckResult[] {
    return this.results.filter((r) => !r.holds);
  }

  /** Hard failures (soft legacy checks may fail in consistent reports). */
  get hardFailing(): CheckResult[] {
    return this.results.filter((r) => !r.holds && !r.soft);
  }

  confidenceOf(key: CellKey): number {
    return this.edits.has(key) ? 1 : this.cells.get(key)!.confidence;
  }

  classOf(key: CellKey): CellClass {
    if (this.failingByCell.get(key)?.some((r) => !r.soft)) return 'failed';
    const c = this.confidenceOf(key);
    if (c >= 0.99) return 'good';
    if (c >= this.threshold) return 'ok';
    return 'low';
  }

  /**
   * Cells to review, in document order: under the threshold (as loaded) or in a check failing now, so a
   * cell whose doubt came only from a check leaves as soon as the values make it hold.
   */
  queue(): CellKey[] {
    const queued = queuedCells(this.report.tables, this.results, this.report.warnings, this.threshold);
    return this.layout.order.filter((k) => queued.has(k));
  }

  /** Next (or previous) queued cell after the current one, by document position; wraps around. */
  step(dir: 1 | -1): CellKey | null {
    const queue = this.queue();
    if (!queue.length) return null;
    const at = this.current === null ? (dir === 1 ? -1 : this.layout.order.length) : this.position.get(this.current)!;
    const pos = (k: CellKey) => this.position.get(k)!;
    if (dir === 1) return queue.find((k) => pos(k) > at) ?? queue[0];
    return [...queue].reverse().find((k) => pos(k) < at) ?? queue[queue.length - 1];
  }

  /** Next queued cell not yet reviewed after the current one, else the plain next one. */
  nextUnreviewed(): CellKey | null {
    const queue = this.queue();
    const at = this.current === null ? -1 : this.position.get(this.current)!;
    const pending = queue.filter((k) => !this.reviewed.has(k));
    return pending.find((k) => this.position.get(k)! > at) ?? pending[0] ?? this.step(1);
  }

  /** The changes to save: the report's fields, corrections, and acceptances recorded as the value confirmed. */
  changes(includeAccepted: boolean): CorrectionChange[] {
    const out: CorrectionChange[] = [...this.fieldEdits].map(([key, value]) => ({ key, value }));
    for (const k of this.layout.order) {
      const cell = this.cells.get(k)!;
      if (this.edits.has(k)) out.push({ key: k, value: this.edits.get(k)! });
      else if (includeAccepted && this.reviewed.has(k) && cell.state !== 'missing' && cell.evidence.source !== 'manual') {
        if (cell.state === 'number' || cell.state === 'blank') out.push({ key: k, value: cell.value });
      }
    }
    return out;
  }

  /**
   * The report with the local edits applied, by the service's own corrections path. Only the tables
   * are copied: applyCorrections mutates their cells and replaces checks and summary, nothing else.
   */
  corrected(): Report {
    const changes = [...this.edits].map(([key, value]) => ({ key, value }));
    return applyCorrections({ ...this.report, tables: structuredClone(this.report.tables) }, changes, this.threshold);
  }
}

/** Reads what a reviewer typed: digits (also full-width), one sign, one decimal point, thousands separators. */
export function parseValue(raw: string): number | null | 'invalid' {
  const s = raw
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[－—–]/g, '-')
    .replace(/[,，\s]/g, '');
  if (s === '') return null;
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) return 'invalid';
  const n = Number(s);
  return Number.isFinite(n) ? n : 'invalid';
}

