/** What every step of a batch run shares: its folders, settings, index and failure list. */
import type { Limits } from '../intake/limits.js';
import type { FailureRow } from '../output/dataset.js';
import type { ProgressSink } from './progress.js';
import type { RemoteClient } from './remote.js';
import type { ResumeIndex } from './resume.js';

export interface RunContext {
  /** Absolute input and output folders. */
  input: string;
  out: string;
  threshold: number;
  concurrency: number;
  limits: Limits;
  timeoutMs: number;
  /** The service to convert through, or null for this process's worker threads. */
  remote: RemoteClient | null;
  index: ResumeIndex;
  sink: ProgressSink;
  say(line: string): void;
  /** Rows of failures.csv, added to by each step. */
  failures: FailureRow[];
  fail(file: string, code: string, message: string): void;
  retryFailed: boolean;
  stop?: AbortSignal;
  abandon?: AbortSignal;
}
