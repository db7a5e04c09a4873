/** The service API, same origin, with the optional API key kept in localStorage. */
import {
  PAGE_SCALE_HEADER,
  type CorrectionChange, type CorrectionHistory, type CorrectionsPut, type CorrectionsSaved, type ErrorBody, type JobEnvelope, type ResultList,
} from '../../src/api/wire.js';
import type { Report } from '../../src/model/report.js';

const KEY_STORAGE = 'xxgk.apiKey';
const REVIEWER_STORAGE = 'xxgk.reviewer';

export interface PageImage {
  url: string;
  /** Image pixels per bbox unit (PAGE_SCALE_HEADER). */
  scale: number;
  width: number;
  height: number;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

function stored(name: string): string {
  try {
    return localStorage.getItem(name) ?? '';
  } catch {
    return '';
  }
}

function store(name: string, value: string): void {
  try {
    if (value) localStorage.setItem(name, value);
    else localStorage.removeItem(name);
  } catch {
    /* storage disabled: the value lives for this page only */
  }
}

export const apiKey = (): string => stored(KEY_STORAGE);
export const setApiKey = (key: string): void => store(KEY_STORAGE, key);

/** The reviewer's name, kept in this browser and sent with each save (the service records an API key's name instead, when it has keys). */
export const reviewerName = (): string => stored(REVIEWER_STORAGE);
export const setReviewerName = (name: string): void => store(REVIEWER_STORAGE, name);

/** A page of the results list. */
export interface ListQuery {
  limit: number;
  cursor?: string | null;
  needsReview?: boolean;
  /** Words each to be found in the agency, file name or year. */
  q?: string;
}

function headers(extra: Record<string, string> = {}): Headers {
  const h = new Headers(extra);
  const key = apiKey();
  if (key) h.set('Authorization', `Bearer ${key}`);
  return h;
}

async function fail(res: Response): Promise<never> {
  let code = `HTTP_${res.status}`;
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as Partial<ErrorBody> | null;
    if (body?.error?.code) code = body.error.code;
    if (body?.error?.message) message = body.error.message;
  } catch {
    /* not JSON */
  }
  if (res.status === 401 && code === `HTTP_401`) message = '这个服务需要 API 密钥。';
  throw new ApiError(res.status, code, message);
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: headers(body === undefined || body instanceof FormData ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', `无法连接服务：${(err as Error).message}`);
  }
  if (!res.ok) return fail(res);
  return (await res.json()) as T;
}

export const api = {
  results: (q: ListQuery) => {
    const params = new URLSearchParams({ limit: String(q.limit) });
    if (q.cursor) params.set('cursor', q.cursor);
    if (q.needsReview) params.set('needsReview', 'true');
    if (q.q?.trim()) params.set('q', q.q.trim());
    return json<ResultList>('GET', `/v1/results?${params}`);
  },
  report: (id: string) => json<Report>('GET', `/v1/results/${encodeURIComponent(id)}`),
  corrections: (id: string) => json<CorrectionHistory>('GET', `/v1/results/${encodeURIComponent(id)}/corrections`),
  save: (id: string, baseVersion: number, changes: CorrectionChange[]) => {
    const reviewer = reviewerName();
    const body: CorrectionsPut = { baseVersion, changes, ...(reviewer ? { reviewer } : {}) };
    return json<CorrectionsSaved>('PUT', `/v1/results/${encodeURIComponent(id)}/corrections`, body);
  },
  submit: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return json<JobEnvelope>('POST', '/v1/jobs', form).then((r) => r.job);
  },
  job: (id: string) => json<JobEnvelope>('GET', `/v1/jobs/${encodeURIComponent(id)}`).then((r) => r.job),

  /** A page image as an object URL, or null when the result has no page images (markup sources). */
  async page(id: string, n: number): Promise<PageImage | null> {
    let res: Response;
    try {
      res = await fetch(`/v1/results/${encodeURIComponent(id)}/pages/${n}.png`, { headers: headers(), cache: 'no-store' });
    } catch {
      return null;
    }
    if (res.status === 404 || res.status === 501) return null;
    if (!res.ok) return fail(res);
    if (!(res.headers.get('Content-Type') ?? '').startsWith('image/')) return null;
    const scale = Number(res.headers.get(PAGE_SCALE_HEADER) ?? '1');
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const img = new Image();
    img.src = url;
    try {
      await img.decode();
    } catch {
      URL.revokeObjectURL(url);
      return null;
    }
    return { url, scale: Number.isFinite(scale) && scale > 0 ? scale : 1, width: img.naturalWidth, height: img.naturalHeight };
  },
};
