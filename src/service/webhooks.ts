/**
 * Completion webhooks: only to hosts on the allowlist, signed with HMAC-SHA256 of the body
 * (`X-Xxgk-Signature: sha256=<hex>`), retried with exponential backoff.
 */
import { createHmac } from 'node:crypto';
import { ConvertError } from '../intake/errors.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Job } from '../store/store.js';
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

export function startWebhooks(queue: JobQueue, config: ServiceConfig, log: (msg: object) => void, baseDelayMs = 1000): () => void {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const deliver = (job: Job, attempt: number) => {
    const body = JSON.stringify({
      event: 'job.finished', id: job.id, status: job.status, resultId: job.resultId, error: job.error, finished: job.finished,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-xxgk-event': 'job.finished', 'x-xxgk-delivery-attempt': String(attempt) };
    if (config.callbackSecret) headers[SIGNATURE_HEADER] = sign(body, config.callbackSecret);
    fetch(job.callbackUrl!, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000), redirect: 'manual' })
      .then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        log({ msg: 'webhook delivered', job: job.id, attempt });
      })
      .catch((err: Error) => {
        if (stopped || attempt >= ATTEMPTS) return log({ msg: 'webhook failed', job: job.id, attempt, error: err.message });
        const t = setTimeout(() => { timers.delete(t); deliver(job, attempt + 1); }, baseDelayMs * 2 ** (attempt - 1));
        timers.add(t);
      });
  };
  const onFinished = (job: Job) => { if (job.callbackUrl) deliver(job, 1); };
  queue.on('finished', onFinished);
  return () => {
    stopped = true;
    queue.off('finished', onFinished);
    for (const t of timers) clearTimeout(t);
  };
}
