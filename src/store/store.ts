/**
 * The one store interface the service and the queue use. Two implementations sit behind it: the
 * embedded one (SQLite plus a content-addressed file store in the data directory, the default) and
 * PostgreSQL (XXGK_DATABASE_URL), where uploads and page images are bytea rows. Every call is
 * asynchronous because PostgreSQL's are; the SQLite one answers at once.
 */
import type { CorrectionEntry, JobStatus, ResultEntry } from '../api/wire.js';
import type { Report } from '../model/report.js';

export type Lane = 'main' | 'ocr';

export interface JobError {
  code: string;
  status: number;
  message: string;
}

export interface Job {
  id: string;
  owner: string;
  sha256: string;
  filename: string;
  charset: string | null;
  optionsKey: string;
  lane: Lane;
  status: JobStatus;
  pagesDone: number;
  pagesTotal: number | null;
  error: JobError | null;
  callbackUrl: string | null;
  resultId: string | null;
  attempts: number;
  created: string;
  started: string | null;
  finished: string | null;
}

export type NewJob = Pick<Job, 'id' | 'owner' | 'sha256' | 'filename' | 'charset' | 'optionsKey' | 'lane' | 'callbackUrl'>;
export type CachedJob = Pick<Job, 'id' | 'owner' | 'sha256' | 'filename' | 'optionsKey' | 'lane' | 'resultId'>;

/** Job rows: what was asked, where it stands, and how it ended. */
export interface JobStore {
  create(j: NewJob): Promise<Job>;
  /** A job answered from the cache: finished as it is created. */
  createFinished(j: CachedJob): Promise<Job>;
  get(id: string): Promise<Job | null>;
  /**
   * queued → running, or running → running again when the queue hands out a job whose previous runner
   * was lost (its lease expired); returns the attempt number now running it, or null when the job has
   * ended (cancelled while waiting). The attempt guards the job's end: only it may finish the job.
   */
  start(id: string): Promise<number | null>;
  /** Pages done so far by `attempt`; ignored once the job has ended or another attempt runs it. */
  progress(id: string, attempt: number, done: number, total: number | null): Promise<void>;
  /**
   * Saves the result and marks the job succeeded, in one transaction, if `attempt` still runs it;
   * false (nothing written) when the job was cancelled or another attempt took it over.
   */
  succeed(id: string, attempt: number, result: { owner: string; optionsKey: string; report: Report }): Promise<boolean>;
  /** Marks the job failed: the running attempt's end when `attempt` is given, otherwise a job not yet ended. */
  fail(id: string, error: JobError, attempt?: number): Promise<boolean>;
  cancel(id: string): Promise<boolean>;
  countsByStatus(): Promise<Record<JobStatus, number>>;
}

export interface StoredResult {
  owner: string;
  sha256: string;
  version: number;
  report: Report;
}

/** A page of the results list: at most `limit`, newest first, after the result `cursor` (an id) when given. */
export interface ResultQuery {
  limit: number;
  cursor?: string;
  /** Only results with cells in the review queue. */
  needsReview?: boolean;
  /** Only results whose agency, file name or year holds every one of these words (lower case). */
  words?: string[];
}

export interface ResultPage {
  results: ResultEntry[];
  nextCursor: string | null;
}

/** Stored conversion results (saved by JobStore.succeed): the model as converted, listed for the correction UI, found again by content hash. */
export interface ResultStore {
  get(id: string): Promise<StoredResult | null>;
  /** The newest result of the same bytes and options for this owner (null owner: anyone's). */
  findCached(owner: string | null, sha256: string, optionsKey: string): Promise<string | null>;
  /** Null when the cursor names no result the owner may see. */
  list(owner: string | null, query: ResultQuery): Promise<ResultPage | null>;
  counts(owner: string | null): Promise<{ results: number; needsReview: number }>;
}

export type NewCorrection = Omit<CorrectionEntry, 'at' | 'version'>;

/** Manual corrections of stored results: every change kept with who, when, old and new. */
export interface CorrectionStore {
  list(resultId: string): Promise<CorrectionEntry[]>;
  /**
   * Saves changes made against `baseVersion`; returns the new version, or null when someone else
   * saved since (the version moved), in which case nothing is written. `after` is the report as it is
   * served after these changes: the results list's columns (agency, counts) follow it.
   */
  save(resultId: string, baseVersion: number, changes: NewCorrection[], after: Report): Promise<number | null>;
}

/** Content-addressed bytes: an upload is named by its sha256, so no request ever names a place. */
export interface UploadStore {
  /** Stores the bytes (once) and returns their sha256. */
  put(bytes: Uint8Array): Promise<string>;
  get(sha256: string): Promise<Buffer | null>;
  /** Files derived from an upload (page images), keyed by the upload's hash and a name. */
  getDerived(sha256: string, name: string): Promise<Buffer | null>;
  putDerived(sha256: string, name: string, bytes: Uint8Array): Promise<void>;
}

/** A webhook to send: a row made with the job's end, so it outlives the process that ended the job. */
export interface Delivery {
  id: string;
  job: Job;
  url: string;
  /** This attempt's number (1 for the first). */
  attempt: number;
}

/**
 * The webhook outbox. Each job that ends with a callback URL gets one delivery row, in the same
 * transaction as its end. Any process may send it: claiming moves it out of reach of the others for a
 * lease (a process that dies holding it loses it to the next claim once the lease ends).
 */
export interface DeliveryStore {
  /** Up to `limit` deliveries that are due, each claimed for `leaseMs` and its attempt counted. */
  claim(limit: number, leaseMs: number): Promise<Delivery[]>;
  /** Sent: the delivery is done (only the attempt that holds it). */
  delivered(id: string, attempt: number): Promise<void>;
  /** Not sent: try again in `delayMs`, or give up (null); `error` says why. */
  retry(id: string, attempt: number, delayMs: number | null, error: string): Promise<void>;
}

/**
 * The embedded store's job rows: one process owns them all, so after a restart (or when it stops) the
 * jobs it was running are its to queue again. On a shared database no process may do that.
 */
export interface LocalJobStore extends JobStore {
  /** Queued jobs in the order they came, for a restart. */
  queued(): Promise<Job[]>;
  /** Jobs left running by a process that died: queued again so they run once more. */
  requeueRunning(): Promise<number>;
}

/** A connection as pg-boss takes one (its `db` option): how its SQL runs inside a transaction of the store. */
export interface SqlExecutor {
  executeSql(sql: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** PostgreSQL's job rows, shared by every process: a job is queued (pg-boss) in the transaction that makes its row. */
export interface SharedJobStore extends JobStore {
  /** Creates the row; `queue` runs in the same transaction, so the job is queued with its row or neither is made. */
  create(j: NewJob, queue?: (db: SqlExecutor) => Promise<unknown>): Promise<Job>;
  /** running → queued when `attempt` still runs it (then true): a stopping process hands the job back to the queue. */
  release(id: string, attempt: number): Promise<boolean>;
  /** Those of `ids` that have ended (succeeded, failed, cancelled), in one query. */
  ended(ids: string[]): Promise<Job[]>;
}

/** Which implementation runs (for logs, /readyz and which job queue runs, never for the routes to branch on), with its job rows. */
export type Store = Stores & ({ kind: 'sqlite'; jobs: LocalJobStore } | { kind: 'postgres'; jobs: SharedJobStore });

interface Stores {
  results: ResultStore;
  corrections: CorrectionStore;
  files: UploadStore;
  deliveries: DeliveryStore;
  /** Resolves when the database answers; rejects with why not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
