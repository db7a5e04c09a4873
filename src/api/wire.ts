/**
 * The bodies the HTTP API sends and takes, as the service's routes build them and the UI reads them:
 * one definition for both sides. Only model types come in here, never the store's, so a change to
 * the database cannot change the API unnoticed. src/service/openapi.ts describes the same shapes.
 */
import type { CellKey, CellState, Report } from '../model/report.js';

/** Every error response. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A job, as POST /v1/jobs, GET and DELETE /v1/jobs/{id} and a 202 of POST /v1/convert send it. */
export interface JobView {
  id: string;
  status: JobStatus;
  filename: string;
  created: string;
  started: string | null;
  finished: string | null;
  /** pagesTotal is null until the document has been opened. */
  progress: { pagesDone: number; pagesTotal: number | null };
  error: ErrorBody['error'] | null;
  resultId: string | null;
  links: { self: string; result: string | null };
}

export interface JobEnvelope {
  job: JobView;
}

/** One stored result in GET /v1/results. */
export interface ResultEntry {
  id: string;
  filename: string;
  mediaType: string;
  agency: string | null;
  year: number | null;
  template: string;
  confidence: number;
  checksFailed: number;
  lowConfidence: number;
  version: number;
  created: string;
}

export interface ResultList {
  results: ResultEntry[];
}

/** One saved change in GET /v1/results/{id}/corrections. */
export interface CorrectionEntry {
  key: CellKey;
  oldValue: number | null;
  newValue: number | null;
  oldState: CellState;
  newState: CellState;
  who: string;
  at: string;
  /** The result version this change created. */
  version: number;
}

/** GET /v1/results/{id}/corrections: every change, oldest first, and the version to save against. */
export interface CorrectionHistory {
  resultId: string;
  version: number;
  corrections: CorrectionEntry[];
}

/** A cell's new value; null makes it blank. */
export interface CorrectionChange {
  key: CellKey;
  value: number | null;
}

/** The body of PUT /v1/results/{id}/corrections. */
export interface CorrectionsPut {
  baseVersion: number;
  changes: CorrectionChange[];
}

/** The answer to a PUT that was saved. */
export interface CorrectionsSaved {
  resultId: string;
  version: number;
  saved: number;
  report: Report;
}

/** Header of GET /v1/results/{id}/pages/{n}.png: image pixels per bbox unit. */
export const PAGE_SCALE_HEADER = 'X-Page-Scale';
