/**
 * Completion webhooks: only to hosts on the allowlist, signed with HMAC-SHA256 of the body
 * (`X-Xxgk-Signature: sha256=<hex>`), retried with exponential backoff from an outbox in the database,
 * so a restart or a lost process does not lose them.
 */
import { createHmac } from 'node:crypto';
import { ConvertError } from '../intake/errors.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Delivery, DeliveryStore, Job } from '../store/store.js';
import type { ServiceConfig } from './config.js';

export const SIGNATURE_HEADER = 'x-xxgk-signature';
const ATTEMPTS = 6;

/** Checks a callback URL against the allowlist when the job is submitted. */
export function checkCallbackUrl(raw: string, config: ServiceConfig): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConvertError('BAD_CALLBACK_URL', 400, `callbackUrl is not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConvertError('BAD_CALLBACK_URL', 400, 'callbackUrl must be http or https.');
  const host = url.hostname.toLowerCase();
  if (!config.callbackHosts.some((h) => h === host || h === url.host.toLowerCase())) {
    throw new ConvertError('CALLBACK_NOT_ALLOWED', 422, `Callbacks to ${url.host} are not allowed; the allowed hosts are set by XXGK_CALLBACK_HOSTS (${config.callbackHosts.join(', ') || 'none'}).`);
  }
  return url.toString();
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** How long a claimed delivery is out of reach of other processes: longer than one attempt (its 10 s timeout). */
const LEASE_MS = 30_000;
/** How often every process looks for due deliveries (retries, and those of jobs ended elsewhere). */
const POLL_MS = 1000;
const BATCH = 8;
/** How long stopping waits for the deliveries being sent (those of jobs that ended last) before abandoning them. */
const LAST_SEND_MS = 5000;

/**
 * Sends the webhooks of the outbox (store.ts, DeliveryStore): at once for a job that ended here, and
 * every second for what is due, whichever process ended the job or made the last attempt. Returns a
 * function that stops sending: the attempts in flight get a few seconds to finish, then are abandoned
 * (their deliveries come back to the next claim when their lease ends).
 */
export function startWebhooks(deliveries: DeliveryStore, queue: JobQueue, config: ServiceConfig, log: (msg: object) => void, baseDelayMs = 1000): () => Promise<void> {
  let stopped = false;
  let sweeping: Promise<void> | null = null;
  let again = false;
  const abort = new AbortController();
  const send = async ({ id, job, url, attempt }: Delivery) => {
    const body = JSON.stringify({
      event: 'job.finished', id: job.id, status: job.status, resultId: job.resultId, error: job.error, finished: job.finished,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-xxgk-event': 'job.finished', 'x-xxgk-delivery-attempt': String(attempt) };
    if (config.callbackSecret) headers[SIGNATURE_HEADER] = sign(body, config.callbackSecret);
    let error: string | null = null;
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([AbortSignal.timeout(10_000), abort.signal]), redirect: 'manual' });
      if (!res.ok) error = `HTTP ${res.status}`;
      // The answer's body is not wanted; left unread it would hold its connection open.
      await res.body?.cancel();
    } catch (err) {
      if (abort.signal.aborted) return; // abandoned: claimed again once its lease ends
      error = (err as Error).message;
    }
    if (error === null) {
      await deliveries.delivered(id, attempt);
      return log({ msg: 'webhook delivered', job: job.id, attempt });
    }
    const last = attempt >= ATTEMPTS;
    await deliveries.retry(id, attempt, last ? null : baseDelayMs * 2 ** (attempt - 1), error);
    log({ msg: last ? 'webhook failed' : 'webhook refused, will retry', job: job.id, attempt, error });
  };
  const sweep = async () => {
    do {
      again = false;
      const due = await deliveries.claim(BATCH, LEASE_MS);
      await Promise.all(due.map(send));
      if (due.length === BATCH) again = true;
    } while (again && !stopped);
  };
  const wake = () => {
    if (stopped) return;
    if (sweeping) {
      again = true;
      return;
    }
    sweeping = sweep().catch((err: Error) => log({ msg: 'webhook outbox unavailable', error: err.message })).finally(() => { sweeping = null; });
  };
  const timer = setInterval(wake, POLL_MS);
  const onFinished = (job: Job) => { if (job.callbackUrl) wake(); };
  queue.on('finished', onFinished);
  wake(); // what an earlier run left due
  return async () => {
    stopped = true;
    clearInterval(timer);
    queue.off('finished', onFinished);
    const last = setTimeout(() => abort.abort(), LAST_SEND_MS);
    await sweeping;
    clearTimeout(last);
  };
}
