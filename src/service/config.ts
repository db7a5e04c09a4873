/** Service configuration from the environment, with the defaults the README documents. */
import { limitsFromEnv, type Limits } from '../intake/limits.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../output/summary.js';

export interface ServiceConfig {
  host: string;
  port: number;
  limits: Limits;
  reviewThreshold: number;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const threshold = env.XXGK_REVIEW_THRESHOLD ? Number(env.XXGK_REVIEW_THRESHOLD) : DEFAULT_REVIEW_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`XXGK_REVIEW_THRESHOLD must be in (0, 1], got "${env.XXGK_REVIEW_THRESHOLD}"`);
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return { host: env.HOST ?? '127.0.0.1', port, limits: limitsFromEnv(env), reviewThreshold: threshold };
}
