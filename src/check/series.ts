/**
 * Checks across documents: the forms link one year's report to the next (src/templates/rules.ts
 * `seriesDefs`). Given many reports, pairs each agency's year N with its year N−1 and evaluates the
 * series rules. A failing rule flags the cells of both years and offers, where one cell decides it, the
 * value that makes it hold; glued digits that split two ways in one report are judged by the
 * neighbouring year. Nothing here changes a value: it adds flags and alternatives beside the reports.
 */
import type { CanonicalCell, CellKey, Report } from '../model/report.js';
import { matchKey } from '../normalize/text.js';
import { evaluate, expandSeries, type CellValue, type ConcreteSeriesCheck } from '../templates/rules.js';

export interface SeriesInput {
  /** What the report is named by (its path in the batch). */
  file: string;
  report: Report;
}

/** A value the neighbouring year speaks for, kept apart from the model's own alternatives. */
export interface SeriesAlternative {
  value: number | null;
  why: string;
  source: 'series';
}

export interface SeriesResult {
  id: string;
  rule: string;
  agencyKey: string;
  agency: string | null;
  year: number;
  file: string;
  previousYear: number;
  previousFile: string;
  holds: boolean;
  /** Year N's side and year N−1's side. */
  lhs: number;
  rhs: number;
  cells: CellKey[];
  previousCells: CellKey[];
  /** Alternatives this check gives, as `file key=value (why)`. */
  notes: string[];
}

export interface SeriesMark {
  /** `series:<check id>` for each failing series check the cell is in. */
  flags: string[];
  alternatives: SeriesAlternative[];
}

export interface SeriesOutcome {
  results: SeriesResult[];
  /** File → cell key → what the series checks add to that cell. */
  marks: Map<string, Map<CellKey, SeriesMark>>;
}

export const seriesFlag = (checkId: string) => `series:${checkId}`;

/**
 * The key reports of one agency share: the model's `agencyKey`, else (a JSON written before the model
 * had one, or an agency the reconstruction could not key) the agency name in the form labels are
 * compared in (simplified, no spaces or punctuation). Null when the report names no agency: such a
 * report joins no series.
 */
export function agencyKeyOf(report: Report): string | null {
  const fromModel = report.report.agencyKey;
  if (typeof fromModel === 'string' && fromModel) return fromModel;
  const name = report.report.agency;
  if (!name) return null;
  const key = matchKey(name).replace(/[()（）,.;:、·\-—_]/g, '');
  return key || null;
}

const CUR = 'N:';
const PREV = 'P:';

function cellsOf(report: Report): Map<CellKey, CanonicalCell> {
  return new Map(report.tables.flatMap((t) => t.cells.map((c) => [c.key, c] as const)));
}

interface Side {
  input: SeriesInput;
  cells: Map<CellKey, CanonicalCell>;
  year: number;
}

function valuesOf(cur: Side, prev: Side, override?: { prefix: string; key: CellKey; value: number | null }): Map<CellKey, CellValue> {
  const values = new Map<CellKey, CellValue>();
  for (const [prefix, side] of [[CUR, cur], [PREV, prev]] as const) {
    for (const [k, c] of side.cells) values.set(prefix + k, { state: c.state, value: c.value });
  }
  if (override) values.set(override.prefix + override.key, { state: override.value === null ? 'blank' : 'number', value: override.value });
  return values;
}

function prefixed(check: ConcreteSeriesCheck): ConcreteSeriesCheck {
  return { ...check, lhs: check.lhs.map((k) => CUR + k), rhs: check.rhs.map((k) => PREV + k) };
}

/**
 * What the checks add to the cells, once per (cell, check): a year in two formats (two files) pairs with
 * its neighbour twice, and the neighbour's cells must not say the same thing twice.
 */
class Marks {
  readonly byFile = new Map<string, Map<CellKey, SeriesMark>>();
  /** file, cell, check → the alternative given and whether it came from judging splits. */
  private readonly offered = new Map<string, { alt: SeriesAlternative; split: boolean }>();

  private mark(file: string, key: CellKey): SeriesMark {
    let byKey = this.byFile.get(file);
    if (!byKey) this.byFile.set(file, (byKey = new Map()));
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = { flags: [], alternatives: [] }));
    return m;
  }

  flag(file: string, key: CellKey, checkId: string): void {
    const flags = this.mark(file, key).flags;
    if (!flags.includes(seriesFlag(checkId))) flags.push(seriesFlag(checkId));
  }

  /**
   * The cell's one alternative for this check: the first offered, except that a split the neighbouring
   * year decides replaces a plain offer (the same value, with the more telling reason).
   */
  offer(file: string, key: CellKey, checkId: string, value: number | null, why: string, split: boolean): void {
    const id = JSON.stringify([file, key, checkId]);
    const had = this.offered.get(id);
    if (had && (had.split || !split)) return;
    const alt: SeriesAlternative = { value, why, source: 'series' };
    const alternatives = this.mark(file, key).alternatives;
    if (had) alternatives[alternatives.indexOf(had.alt)] = alt;
    else alternatives.push(alt);
    this.offered.set(id, { alt, split });
  }
}

export function runSeriesChecks(inputs: SeriesInput[]): SeriesOutcome {
  const checks = expandSeries();
  const results: SeriesResult[] = [];
  const marks = new Marks();

  // agency key → year → reports of that year (several formats of one report stay several).
  const byAgency = new Map<string, Map<number, Side[]>>();
  for (const input of inputs) {
    const key = agencyKeyOf(input.report);
    const year = input.report.report.year;
    if (!key || year === null) continue;
    let years = byAgency.get(key);
    if (!years) byAgency.set(key, (years = new Map()));
    const list = years.get(year) ?? [];
    list.push({ input, cells: cellsOf(input.report), year });
    years.set(year, list);
  }

  for (const [agencyKey, years] of [...byAgency].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    for (const year of [...years.keys()].sort((a, b) => a - b)) {
      for (const cur of years.get(year)!) {
        for (const prev of years.get(year - 1) ?? []) {
          for (const check of checks) {
            const fits = (s: Side) => (check.templates as string[]).includes(s.input.report.report.template);
            if (!fits(cur) || !fits(prev)) continue;
            const result = evaluate(prefixed(check), valuesOf(cur, prev));
            if (!result) continue; // a cell unread, illegible or not printed: nothing to compare
            // A glued run whose other split makes the check hold explains the failure: the other year is
            // offered nothing from a reading its own neighbour speaks against.
            const splits = judgeSplits(check, cur, prev, result.holds, marks);
            const notes = result.holds || splits.decided ? splits.notes : [...suggest(check, cur, prev, result.lhs, result.rhs, marks), ...splits.notes];
            if (!result.holds) {
              for (const k of check.lhs) marks.flag(cur.input.file, k, check.id);
              for (const k of check.rhs) marks.flag(prev.input.file, k, check.id);
            }
            results.push({
              id: check.id, rule: check.rule, agencyKey, agency: cur.input.report.report.agency,
              year, file: cur.input.file, previousYear: prev.year, previousFile: prev.input.file,
              holds: result.holds, lhs: result.lhs, rhs: result.rhs, cells: check.lhs, previousCells: check.rhs, notes,
            });
          }
        }
      }
    }
  }
  return { results, marks: marks.byFile };
}

/** Where one cell alone stands on a side of a failing check, the value that makes the check hold. */
function suggest(check: ConcreteSeriesCheck, cur: Side, prev: Side, lhs: number, rhs: number, marks: Marks): string[] {
  const notes: string[] = [];
  const offer = (side: Side, key: CellKey, value: number, why: string) => {
    marks.offer(side.input.file, key, check.id, value, why, false);
    notes.push(`${side.input.file} ${key}=${value} (${why})`);
  };
  if (check.lhs.length === 1) offer(cur, check.lhs[0], rhs, `${check.id}: what ${prev.year}'s report (${prev.input.file}) gives`);
  if (check.rhs.length === 1) offer(prev, check.rhs[0], lhs, `${check.id}: what ${cur.year}'s report (${cur.input.file}) gives`);
  return notes;
}

/**
 * Glued digits split more than one way inside a report (alternatives from `split`): the neighbouring
 * year may decide. When the printed reading fails the series check and exactly one other split makes
 * it hold, that split is offered with the series as its reason (`decided`); when the printed reading
 * holds and no other split does, the reading is confirmed (a note only).
 */
function judgeSplits(check: ConcreteSeriesCheck, cur: Side, prev: Side, holds: boolean, marks: Marks): { notes: string[]; decided: boolean } {
  const notes: string[] = [];
  let decided = false;
  const sides: [string, Side, CellKey[]][] = [[CUR, cur, check.lhs], [PREV, prev, check.rhs]];
  for (const [prefix, side, keys] of sides) {
    for (const key of keys) {
      const cell = side.cells.get(key);
      const splits = cell?.alternatives.filter((a) => a.source === 'split') ?? [];
      if (!cell || !splits.length) continue;
      const fitting = splits.filter((a) => evaluate(prefixed(check), valuesOf(cur, prev, { prefix, key, value: a.value }))?.holds);
      if (!holds && fitting.length === 1) {
        const why = `${check.id}: the only split that fits the neighbouring year`;
        marks.offer(side.input.file, key, check.id, fitting[0].value, why, true);
        notes.push(`${side.input.file} ${key}=${fitting[0].value} (${why})`);
        decided = true;
      } else if (holds && !fitting.length) {
        notes.push(`${side.input.file} ${key}=${cell.value} (the printed split fits the neighbouring year; the other splits do not)`);
      }
    }
  }
  return { notes, decided };
}
