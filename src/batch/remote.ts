/**
 * Client of a running xxgk-convert service, for `batch --server URL`:
 *  POST `${URL}/v1/convert?filename=…&wait=60` with the raw bytes (and `Authorization: Bearer <key>`);
 *  200 → the report; 202 → `{ job: { id, status } }` (+ Location): poll `GET ${URL}/v1/jobs/{id}` until
 *  `succeeded` (then `GET ${URL}/v1/jobs/{id}/result`) or `failed` / `cancelled`; 429 (and 503 with
 *  Retry-After) → wait Retry-After seconds and ask again; other 4xx/5xx → `{ error: { code, message } }`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { CorrectionHistory } from '../api/wire.js';
import { MODEL_ID, type Report } from '../model/report.js';

export interface RemoteOptions {
  server: string;
  apiKey?: string;
  /** Seconds the service may hold the POST before answering 202 (default 60). */
  wait?: number;
  /** First and largest pause between job polls when the service gives no Retry-After (ms). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Give up on one file after this long (ms, default 30 min). */
  timeoutMs?: number;
  /** Retries after 429/503 answers or network errors, per request (default 30 and 3). */
  maxThrottleRetries?: number;
  maxNetworkRetries?: number;
  /** Longest Retry-After honoured (s, default 300); longer ones are capped. */
  maxRetryAfter?: number;
  fetch?: typeof fetch;
  /** Resolves after ms, or rejects as soon as `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A file the service did not convert: the service's code and message, and whether retrying can help. */
export class RemoteError extends Error {
  constructor(
    public code: string,
    message: string,
    public status: number,
    /** The document's fault: the same bytes will fail again. */
    public permanent: boolean,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** Job failure codes that are the service's trouble, not the document's: worth another try later. */
const TRANSIENT_JOB_ERRORS = new Set(['INTERNAL', 'CONVERSION_FAILED', 'WORKER_CRASHED', 'TIMEOUT', 'UPLOAD_LOST', 'CANCELLED', 'SHUTTING_DOWN']);

const defaultSleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal });

/** How long cancelling an abandoned job on the service may hold up the exit (ms). */
const CANCEL_TIMEOUT_MS = 5000;

export function baseUrl(server: string): string {
  return server.replace(/\/+$/, '');
}

/** Retry-After as seconds: a number, or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, (t - now) / 1000);
}

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorFrom(res: Response, body: unknown): RemoteError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof e?.code === 'string' ? e.code : `HTTP_${res.status}`;
  const message =
    typeof e?.message === 'string'
      ? e.message
      : `The service answered ${res.status} ${res.statusText}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
  const permanent = res.status >= 400 && res.status < 500 && ![401, 403, 404, 408, 409, 429].includes(res.status);
  return new RemoteError(code, message, res.status, permanent);
}

function asReport(body: unknown, what: string): Report {
  const r = body as Partial<Report> | null;
  if (!r || typeof r !== 'object' || r.model !== MODEL_ID || !Array.isArray(r.tables) || !r.source || !r.report || !r.summary) {
    throw new RemoteError('BAD_RESPONSE', `${what} is not an ${MODEL_ID} report`, 200, false);
  }
  return r as Report;
}

interface Job {
  id?: string;
  status?: string;
  error?: { code?: string; message?: string } | null;
}

function jobOf(body: unknown): Job {
  const b = body as { job?: Job } | null;
  return (b && typeof b === 'object' && b.job && typeof b.job === 'object' ? b.job : (b as Job | null)) ?? {};
}

export class RemoteClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: RemoteOptions) {
    this.base = baseUrl(options.server);
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? defaultSleep;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Accept: 'application/json', ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}), ...extra };
  }

  /**
   * One HTTP exchange, repeated while the service says "later" (429, or 503 with Retry-After) or the
   * network fails; any other answer is returned. Rejects with `signal`'s reason as soon as it aborts.
   */
  private async send(url: string, init: RequestInit, deadline: number, signal?: AbortSignal): Promise<Response> {
    let throttled = 0;
    let networkFailures = 0;
    for (;;) {
      signal?.throwIfAborted();
      const left = deadline - Date.now();
      if (left <= 0) throw new RemoteError('TIMEOUT', `No result from ${this.base} within ${Math.round((this.options.timeoutMs ?? 1_800_000) / 1000)} s`, 0, false);
      let res: Response;
      try {
        const timeout = AbortSignal.timeout(left);
        res = await this.fetch(url, { ...init, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
      } catch (err) {
        signal?.throwIfAborted();
        const e = err as Error & { cause?: { code?: string; message?: string } };
        if (e.name === 'TimeoutError') continue; // the deadline check above reports it
        if (++networkFailures > (this.options.maxNetworkRetries ?? 3)) {
          throw new RemoteError('NETWORK', `Cannot reach ${this.base}: ${e.cause?.code ?? e.cause?.message ?? e.message}`, 0, false);
        }
        await this.sleep(Math.min(1000 * 2 ** (networkFailures - 1), Math.max(0, deadline - Date.now())), signal);
        continue;
      }
      const after = retryAfterSeconds(res.headers.get('retry-after'));
      if (res.status === 429 || (res.status === 503 && after !== null)) {
        await res.arrayBuffer().catch(() => undefined);
        if (++throttled > (this.options.maxThrottleRetries ?? 30)) throw errorFrom(res, null);
        const wait = Math.min(after ?? 2 ** Math.min(throttled, 6), this.options.maxRetryAfter ?? 300) * 1000;
        await this.sleep(Math.min(wait, Math.max(0, deadline - Date.now())), signal);
        continue;
      }
      return res;
    }
  }

  /**
   * The report of one file, or a RemoteError. When `signal` aborts, stops at once (rejecting with its
   * reason) and cancels the file's job on the service, so neither this process nor the service keeps
   * working on a file nobody waits for.
   */
  async convert(bytes: Uint8Array, filename: string, signal?: AbortSignal): Promise<Report> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 1_800_000);
    const wait = this.options.wait ?? 60;
    const url = `${this.base}/v1/convert?filename=${encodeURIComponent(filename)}&wait=${wait}`;
    const res = await this.send(url, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer>, headers: this.headers({ 'Content-Type': 'application/octet-stream' }) }, deadline, signal);
    const body = await bodyOf(res);
    if (res.status === 200) return asReport(body, `The answer for ${filename}`);
    if (res.status !== 202) throw errorFrom(res, body);

    let job = jobOf(body);
    let id = job.id;
    const location = res.headers.get('location');
    if (!id && location) id = /\/jobs\/([^/?#]+)/.exec(location)?.[1];
    if (!id) throw new RemoteError('BAD_RESPONSE', `The service accepted ${filename} (202) without a job id`, 202, false);
    const jobUrl = `${this.base}/v1/jobs/${encodeURIComponent(decodeURIComponent(id))}`;
    try {
      return await this.awaitJob(job, jobUrl, id, filename, res.headers.get('retry-after'), deadline, signal);
    } catch (err) {
      if (signal?.aborted) await this.cancelJob(jobUrl);
      throw err;
    }
  }

  /** Polls an accepted job until it ends; its report, or a RemoteError. */
  private async awaitJob(job: Job, jobUrl: string, id: string, filename: string, firstRetryAfter: string | null, deadline: number, signal?: AbortSignal): Promise<Report> {
    let interval = this.options.pollIntervalMs ?? 1000;
    let retryAfter = retryAfterSeconds(firstRetryAfter);
    while (job.status !== 'succeeded') {
      if (job.status === 'failed' || job.status === 'cancelled') {
        const code = job.error?.code ?? (job.status === 'failed' ? 'JOB_FAILED' : 'JOB_CANCELLED');
        const message = job.error?.message ?? `The service's job ${id} for ${filename} ended ${job.status}`;
        throw new RemoteError(code, message, 200, job.status === 'failed' && !!job.error?.code && !TRANSIENT_JOB_ERRORS.has(job.error.code));
      }
      await this.sleep(retryAfter !== null ? Math.min(retryAfter, this.options.maxRetryAfter ?? 300) * 1000 : interval, signal);
      signal?.throwIfAborted(); // a caller's sleep may not heed the signal
      interval = Math.min(interval * 1.5, this.options.maxPollIntervalMs ?? 5000);
      const poll = await this.send(jobUrl, { method: 'GET', headers: this.headers() }, deadline, signal);
      const pollBody = await bodyOf(poll);
      if (poll.status !== 200) {
        const err = errorFrom(poll, pollBody);
        if (poll.status === 404) err.message = `The service lost job ${id} for ${filename}: ${err.message}`;
        err.permanent = false;
        throw err;
      }
      job = jobOf(pollBody);
      retryAfter = retryAfterSeconds(poll.headers.get('retry-after'));
    }
    const result = await this.send(`${jobUrl}/result`, { method: 'GET', headers: this.headers() }, deadline, signal);
    const resultBody = await bodyOf(result);
    if (result.status !== 200) {
      const err = errorFrom(result, resultBody);
      err.permanent = false;
      throw err;
    }
    return asReport(resultBody, `The result of job ${id} for ${filename}`);
  }

  /** `DELETE` an abandoned job, once and briefly: the service ends it on its own deadline otherwise. */
  private async cancelJob(jobUrl: string): Promise<void> {
    try {
      const res = await this.fetch(jobUrl, { method: 'DELETE', headers: this.headers(), signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) });
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      // Unreachable or slow: nothing more to do for a file being abandoned.
    }
  }

  /**
   * A stored result's corrections (`GET /v1/results/{id}/corrections`): null when the service does not
   * have the result (converted elsewhere, or by another key).
   */
  async corrections(resultId: string, signal?: AbortSignal): Promise<CorrectionHistory | null> {
    const body = await this.getResult(`/v1/results/${encodeURIComponent(resultId)}/corrections`, signal);
    const h = body as Partial<CorrectionHistory> | null;
    if (h === null) return null;
    if (typeof h !== 'object' || !Number.isInteger(h.version) || !Array.isArray(h.corrections)) {
      throw new RemoteError('BAD_RESPONSE', `The corrections of result ${resultId} are not a correction history`, 200, false);
    }
    return h as CorrectionHistory;
  }

  /** A stored result as the service serves it, corrections applied; null when the service does not have it. */
  async result(resultId: string, signal?: AbortSignal): Promise<Report | null> {
    const body = await this.getResult(`/v1/results/${encodeURIComponent(resultId)}`, signal);
    return body === null ? null : asReport(body, `Result ${resultId}`);
  }

  /** Rejects with `signal`'s reason as soon as it aborts. */
  private async getResult(path: string, signal?: AbortSignal): Promise<unknown> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 1_800_000);
    const res = await this.send(`${this.base}${path}`, { method: 'GET', headers: this.headers() }, deadline, signal);
    const body = await bodyOf(res);
    if (res.status === 404) return null;
    if (res.status !== 200) throw errorFrom(res, body);
    return body;
  }

  /**
   * Before a batch: null when the service answers and takes the key, else what is wrong. /healthz
   * says it is up; /v1/schema sits behind the key check (a 404 there, from an older service or a
   * gateway, is not held against it).
   */
  async preflight(timeoutMs = 10_000): Promise<string | null> {
    try {
      const health = await this.fetch(`${this.base}/healthz`, { headers: this.headers(), signal: AbortSignal.timeout(timeoutMs) });
      await health.arrayBuffer().catch(() => undefined);
      const schema = await this.fetch(`${this.base}/v1/schema`, { headers: this.headers(), signal: AbortSignal.timeout(timeoutMs) });
      const body = await bodyOf(schema);
      if (schema.status === 401 || schema.status === 403) {
        const e = errorFrom(schema, body);
        return `the service refused the request (${schema.status} ${e.code}: ${e.message})`;
      }
      return null;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      return `cannot reach the service (${e.cause?.code ?? e.cause?.message ?? e.message})`;
    }
  }
}
