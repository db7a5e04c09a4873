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
  /** Cells in the review queue at the service's threshold (low confidence, or in a failing check); 0: nothing left to review. */
  queued: number;
  /** 0 until a correction is saved. */
  version: number;
  created: string;
}

/** GET /v1/results: one page, newest first. */
export interface ResultList {
  results: ResultEntry[];
  /** The `cursor` for the next page (the last entry's id), or null on the last page. */
  nextCursor: string | null;
  /** Over every result the caller may see, whatever the page and filter. */
  counts: { results: number; needsReview: number };
}

/** Report fields a reviewer can correct beside the cells, by correction key. */
export const META_KEYS = ['report.agency', 'report.year', 'report.title'] as const;
export type MetaKey = (typeof META_KEYS)[number];
export const isMetaKey = (key: string): key is MetaKey => (META_KEYS as readonly string[]).includes(key);

/** A cell's state, or `text` for a text field (agency, title) that has a value. */
export type CorrectionState = CellState | 'text';

/** One saved change in GET /v1/results/{id}/corrections: a cell's, or a report field's (MetaKey). */
export interface CorrectionEntry {
  key: CellKey | MetaKey;
  /** Numbers: a cell's value or the year. */
  oldValue: number | null;
  newValue: number | null;
  /** Text: the agency or the title (null for numbers). */
  oldText: string | null;
  newText: string | null;
  oldState: CorrectionState;
  newState: CorrectionState;
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

/** A cell's new value (null makes it blank), or a report field's: the agency or title as text, the year as a number, null clears it. */
export interface CorrectionChange {
  key: CellKey | MetaKey;
  value: number | string | null;
}

/** The body of PUT /v1/results/{id}/corrections. */
export interface CorrectionsPut {
  baseVersion: number;
  changes: CorrectionChange[];
  /** Who is saving, when the service has no API keys (with keys, the key's name is recorded instead). */
  reviewer?: string;
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
