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
  /** Reports not asked about because the run was interrupted (Ctrl-C): the next --refresh-corrected asks. */
  notAsked: number;
}

export interface RefreshTarget {
  /** Input path relative to the batch folder. */
  file: string;
  report: Report;
  /** Writes the corrected report in place of the old JSON. */
  write(report: Report): Promise<void>;
}

/**
 * `stop` aborted (the first Ctrl-C): asks about no further report; `abandon` (the second) also gives up
 * the request in flight. What was refreshed stays, and the rest is asked about by the next run.
 */
export async function refreshCorrected(
  targets: RefreshTarget[],
  index: ResumeIndex,
  remote: RemoteClient,
  signals: { stop?: AbortSignal; abandon?: AbortSignal } = {},
): Promise<RefreshOutcome> {
  const outcome: RefreshOutcome = { checked: 0, refreshed: 0, unknown: 0, errors: [], notAsked: 0 };
  const asking = targets.filter((t) => index.get(t.file)?.status === 'ok');
  for (const [i, t] of asking.entries()) {
    if (signals.stop?.aborted || signals.abandon?.aborted) {
      outcome.notAsked = asking.length - i;
      break;
    }
    const entry = index.get(t.file)!;
    outcome.checked++;
    try {
      const history = await remote.corrections(t.report.id, signals.abandon);
      if (!history) {
        outcome.unknown++;
        continue;
      }
      if (!history.corrections.length || entry.corrected?.version === history.version) continue;
      const report = await remote.result(t.report.id, signals.abandon);
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
      if (signals.abandon?.aborted) {
        outcome.checked--;
        outcome.notAsked = asking.length - i;
        break;
      }
      outcome.errors.push({ file: t.file, message: (err as Error).message });
    }
  }
  return outcome;
}
