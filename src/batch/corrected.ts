/**
 * `batch --server URL --refresh-corrected`: reviewers correct results in the UI on the service; this
 * fetches, for every report of the output folder that the service holds, the corrections saved since
 * the last refresh, rewrites its JSON with the result as the service serves it (corrections applied,
 * checks re-run) and records in the resume index who corrected which cell and when, for the dataset.
 */
import type { Report } from '../model/report.js';
import type { RemoteClient } from './remote.js';
import type { CorrectedCells, ResumeIndex } from './resume.js';

export interface RefreshOutcome {
  /** Reports the service was asked about. */
  checked: number;
  /** JSONs rewritten with newer corrections. */
  refreshed: number;
  /** Reports the service does not hold (converted locally, or under another key). */
  unknown: number;
  /** Files whose refresh failed, with why (the old JSON stays). */
  errors: { file: string; message: string }[];
}

export interface RefreshTarget {
  /** Input path relative to the batch folder. */
  file: string;
  report: Report;
  /** Writes the corrected report in place of the old JSON. */
  write(report: Report): Promise<void>;
}

export async function refreshCorrected(targets: RefreshTarget[], index: ResumeIndex, remote: RemoteClient): Promise<RefreshOutcome> {
  const outcome: RefreshOutcome = { checked: 0, refreshed: 0, unknown: 0, errors: [] };
  for (const t of targets) {
    const entry = index.get(t.file);
    if (!entry || entry.status !== 'ok') continue;
    outcome.checked++;
    try {
      const history = await remote.corrections(t.report.id);
      if (!history) {
        outcome.unknown++;
        continue;
      }
      if (!history.corrections.length || entry.corrected?.version === history.version) continue;
      const report = await remote.result(t.report.id);
      if (!report) {
        outcome.unknown++;
        continue;
      }
      report.source.filename = t.report.source.filename;
      const latest = new Map(history.corrections.map((c) => [c.key, { key: c.key, who: c.who, at: c.at }]));
      const corrected: CorrectedCells = { version: history.version, cells: [...latest.values()] };
      await t.write(report);
      await index.record({ ...entry, corrected });
      outcome.refreshed++;
    } catch (err) {
      outcome.errors.push({ file: t.file, message: (err as Error).message });
    }
  }
  return outcome;
}
