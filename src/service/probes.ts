/**
 * What a `worker` process answers on its --port: /healthz (alive), /readyz (the database answers) and
 * /metrics, for probes and scraping. Nothing else: a worker serves no API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceContext } from './context.js';
import { errorBody } from './errors.js';
import { ALIVE, HEALTHZ, readiness } from './health.js';

export function probeHandler(ctx: ServiceContext): (req: IncomingMessage, res: ServerResponse) => void {
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'Content-Type': type });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, errorBody('METHOD_NOT_ALLOWED', 'Only GET is answered here.'));
    if (path === HEALTHZ) return json(res, 200, ALIVE);
    if (path === '/readyz') {
      void readiness(ctx).then(({ status, body }) => json(res, status, body));
      return;
    }
    if (path === '/metrics') {
      ctx.metrics.registry.metrics().then(
        (text) => send(res, 200, ctx.metrics.registry.contentType, text),
        (err: Error) => json(res, 503, errorBody('NOT_READY', `Metrics are not available: ${err.message}`)),
      );
      return;
    }
    json(res, 404, errorBody('NOT_FOUND', 'A worker answers only /healthz, /readyz and /metrics.'));
  };
}
