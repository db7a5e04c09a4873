/**
 * One agency's reports over several years, made from a sample: seed 003 (同心县人民政府办公室, its 2023
 * report on the 2021 form) rendered as the sample generator renders it, as the report of another year,
 * with some cells changed. Callers keep every check of the form holding.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPage } from '../../scripts/samples/page.js';
import { renderHtml } from '../../scripts/samples/html.js';
import { seeds as seedSpecs } from '../../scripts/samples/seeds.js';
import { expectedFor, repoRoot, seeds } from './fixtures.js';

export const AGENCY = seeds[3];

/** The HTML page of AGENCY's report of `year` (published in January of the next), with `cells` set. */
export function yearReport(year: number, cells: Record<string, number>): Buffer {
  const spec = seedSpecs.find((s) => s.id === AGENCY)!;
  const shift = (s: string) => s.replaceAll('2024', '\u0000').replaceAll('2023', String(year)).replaceAll('\u0000', String(year + 1));
  const exp = expectedFor(AGENCY);
  const page = buildPage(
    { ...spec, titleLine: new RegExp(shift(spec.titleLine!.source)), meta: spec.meta.map(([k, v]) => [k, shift(v)]) },
    shift(readFileSync(join(repoRoot, 'samples', 'seeds', `${AGENCY}.txt`), 'utf8')),
    { ...exp, year, cells: { ...exp.cells, ...cells } },
  );
  return Buffer.from(renderHtml(page, 'utf-8'), 'utf8');
}
