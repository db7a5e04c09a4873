/**
 * API keys: `Authorization: Bearer <key>`. With no keys configured the service is open and every
 * caller is one principal. A principal owns the jobs and results it creates.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ServiceConfig } from './config.js';
import { errorBody } from './errors.js';

export interface Principal {
  name: string;
  /** Stable id derived from the key (the key itself is never stored). */
  owner: string;
}

const ownerOf = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 24);

function same(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export function authenticate(config: ServiceConfig): RequestHandler {
  const open: Principal = { name: config.userName, owner: 'open' };
  return (req, res, next) => {
    if (!config.apiKeys.length) {
      res.locals.principal = open;
      return next();
    }
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="xxgk-convert"');
      res.status(401).json(errorBody('UNAUTHENTICATED', 'This service needs an API key: send "Authorization: Bearer <key>".'));
      return;
    }
    const key = config.apiKeys.find((k) => same(k.key, m[1].trim()));
    if (!key) {
      res.status(403).json(errorBody('FORBIDDEN', 'The API key is not valid for this service.'));
      return;
    }
    res.locals.principal = { name: key.name, owner: ownerOf(key.key) } satisfies Principal;
    next();
  };
}

/** Whose results a principal may see: its own, or everyone's when results are shared. */
export function visibleOwner(config: ServiceConfig, p: Principal): string | null {
  return config.sharedResults ? null : p.owner;
}
