/** The dataset files of a batch's output folder (OUTPUT_FILES), each written whole. */
import { join } from 'node:path';
import { CELLS_COLUMNS, cellRows } from '../output/cells.js';
import { CODEBOOK_COLUMNS, codebookRows } from '../output/codebook.js';
import { toCsv } from '../output/csv.js';
import { DATASET_COLUMNS, datasetRow, FAILURE_COLUMNS, failureRow, LOW_CONFIDENCE_COLUMNS, lowConfidenceRows } from '../output/dataset.js';
import { SERIES_COLUMNS, seriesRow } from '../output/series-checks.js';
import { xlsx } from '../output/xlsx.js';
import type { RunContext } from './context.js';
import type { Entries } from './entries.js';
import { writeAtomic } from './files.js';

export type Format = 'json' | 'csv' | 'xlsx';
export const FORMATS: readonly Format[] = ['json', 'csv', 'xlsx'];

export const OUTPUT_FILES = {
  datasetCsv: 'dataset.csv',
  datasetXlsx: 'dataset.xlsx',
  cells: 'cells.csv',
  codebook: 'codebook.csv',
  lowConfidence: 'low-confidence.csv',
  seriesChecks: 'series-checks.csv',
  failures: 'failures.csv',
} as const;

/** Writes csv's and xlsx's files when asked for, and failures.csv always; returns the names written. */
export async function writeDataset(ctx: RunContext, formats: Set<Format>, { entries, counted, series }: Entries): Promise<string[]> {
  const rows = entries.map((e) => datasetRow(e, ctx.threshold));
  const review = entries.flatMap((e) => lowConfidenceRows(e, ctx.threshold));
  const seriesRows = series.results.map(seriesRow);
  const failureRows = ctx.failures.map(failureRow);
  const codebook = [CODEBOOK_COLUMNS, ...codebookRows()];

  const written: string[] = [];
  const emit = async (name: string, data: string | Uint8Array) => {
    await writeAtomic(join(ctx.out, name), data);
    written.push(name);
  };
  if (formats.has('csv')) {
    await emit(OUTPUT_FILES.datasetCsv, toCsv([DATASET_COLUMNS, ...rows]));
    await emit(OUTPUT_FILES.cells, toCsv([CELLS_COLUMNS, ...counted.flatMap(cellRows)]));
    await emit(OUTPUT_FILES.codebook, toCsv(codebook));
    await emit(OUTPUT_FILES.lowConfidence, toCsv([LOW_CONFIDENCE_COLUMNS, ...review]));
    await emit(OUTPUT_FILES.seriesChecks, toCsv([SERIES_COLUMNS, ...seriesRows]));
  }
  if (formats.has('xlsx')) {
    await emit(
      OUTPUT_FILES.datasetXlsx,
      await xlsx([
        { name: 'dataset', rows: [DATASET_COLUMNS, ...rows], freeze: { rows: 1, cols: 1 } },
        { name: 'codebook', rows: codebook, freeze: { rows: 1, cols: 1 } },
        { name: 'low-confidence', rows: [LOW_CONFIDENCE_COLUMNS, ...review] },
        { name: 'series-checks', rows: [SERIES_COLUMNS, ...seriesRows] },
        { name: 'failures', rows: [FAILURE_COLUMNS, ...failureRows] },
      ]),
    );
  }
  await emit(OUTPUT_FILES.failures, toCsv([FAILURE_COLUMNS, ...failureRows]));
  return written;
}
