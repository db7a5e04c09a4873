/**
 * Liveness, answered the same before the service is loaded and after. `serve` listens first and loads the
 * service (express, the store, the worker pools) behind a start-up gate: the process is alive from the moment
 * it listens, so /healthz answers at once; every other request, /readyz included, waits for the service.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceContext } from './context.js';
import { errorBody } from './errors.js';

export const HEALTHZ = '/healthz';
export const ALIVE = { status: 'ok' } as const;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** /readyz of a loaded process (API or worker): ready once the database answers, with the queue as it stands. */
export async function readiness(ctx: ServiceContext): Promise<{ status: number; body: unknown }> {
  try {
    await ctx.store.ping();
  } catch (err) {
    return { status: 503, body: errorBody('NOT_READY', `The database is not available: ${(err as Error).message}`) };
  }
  return { status: 200, body: { status: 'ready', queue: { waiting: await ctx.queue.depth().catch(() => null), running: ctx.queue.runningCount } } };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export interface StartGate {
  handle: Handler;
  /** The service is loaded: the requests that waited go to it, and so do all later ones. */
  open(handler: Handler): void;
  /** The service could not start: the requests that waited get 503 NOT_READY. */
  fail(): void;
}

/** At most `maxWaiting` requests wait (a burst during start-up stays bounded); more get 503 and Retry-After. */
export function startGate(maxWaiting = 256): StartGate {
  let handler: Handler | null = null;
  let waiting: [IncomingMessage, ServerResponse][] = [];
  const notReady = (res: ServerResponse, message = 'The service is starting.') => json(res, 503, errorBody('NOT_READY', message), { 'Retry-After': '1' });
  return {
    handle(req, res) {
      if (handler) return handler(req, res);
      if ((req.url ?? '').split('?')[0] === HEALTHZ && (req.method === 'GET' || req.method === 'HEAD')) return json(res, 200, ALIVE);
      if (waiting.length >= maxWaiting) return notReady(res);
      waiting.push([req, res]);
    },
    open(h) {
      handler = h;
      for (const [req, res] of waiting) if (!res.writableEnded && !req.destroyed) h(req, res);
      waiting = [];
    },
    fail() {
      for (const [, res] of waiting) if (!res.writableEnded) notReady(res, 'The service could not start.');
      waiting = [];
    },
  };
}
