/** Service configuration from the environment, with the defaults the README documents. */
import { availableParallelism } from 'node:os';
import { limitsFromEnv, type Limits } from '../intake/limits.js';
import { DEFAULT_REVIEW_THRESHOLD } from '../check/summary.js';

export interface ApiKey {
  /** Who the key belongs to: kept with corrections, shown in logs. */
  name: string;
  key: string;
}

/** What a process is for: `serve` answers the API (and runs jobs unless XXGK_WORKERS=0), `worker` only runs jobs. */
export type Role = 'serve' | 'worker';

export interface ServiceConfig {
  role: Role;
  host: string;
  port: number;
  dataDir: string;
  /** postgres://… : jobs, results, corrections and uploads in PostgreSQL; null: SQLite and files in dataDir. */
  databaseUrl: string | null;
  limits: Limits;
  reviewThreshold: number;
  /** Empty: the service is open. */
  apiKeys: ApiKey[];
  /** Every key sees every result (otherwise only the key that made it). */
  sharedResults: boolean;
  /** Name recorded with corrections when the service is open. */
  userName: string;
  /** Conversion worker threads; 0 (PostgreSQL mode only): this process runs no jobs. */
  workers: number;
  ocrWorkers: number;
  queueLimit: number;
  jobTimeoutMs: number;
  syncWaitSeconds: number;
  callbackHosts: string[];
  callbackSecret: string | null;
  corsOrigins: string[];
  logLevel: string;
  shutdownGraceMs: number;
  /** How long a client has to send a request's headers, and then its body; slower clients get 408. */
  clientTimeoutMs: number;
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return n;
}

const list = (raw: string | undefined) => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** `XXGK_API_KEYS=alice:k1,bob:k2` or just `k1,k2` (named key-1, key-2). */
function apiKeys(raw: string | undefined): ApiKey[] {
  return list(raw).map((entry, i) => {
    const at = entry.indexOf(':');
    return at > 0 ? { name: entry.slice(0, at), key: entry.slice(at + 1) } : { name: `key-${i + 1}`, key: entry };
  });
}

function databaseUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new Error('XXGK_DATABASE_URL must be a postgres:// or postgresql:// URL');
  return raw;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, role: Role = 'serve'): ServiceConfig {
  const threshold = num(env, 'XXGK_REVIEW_THRESHOLD', DEFAULT_REVIEW_THRESHOLD);
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`XXGK_REVIEW_THRESHOLD must be in (0, 1], got "${env.XXGK_REVIEW_THRESHOLD}"`);
  const port = num(env, 'PORT', 8080);
  if (!Number.isInteger(port) || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const dbUrl = databaseUrl(env.XXGK_DATABASE_URL);
  const workers = num(env, 'XXGK_WORKERS', Math.max(1, availableParallelism()), 0);
  if (!workers && !dbUrl) throw new Error('XXGK_WORKERS=0 needs XXGK_DATABASE_URL: without PostgreSQL no other process runs the jobs');
  return {
    role,
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: env.XXGK_DATA_DIR || './data',
    databaseUrl: dbUrl,
    limits: limitsFromEnv(env),
    reviewThreshold: threshold,
    apiKeys: apiKeys(env.XXGK_API_KEYS),
    sharedResults: env.XXGK_SHARED_RESULTS === 'true',
    userName: env.XXGK_USER_NAME || 'anonymous',
    workers,
    ocrWorkers: num(env, 'XXGK_OCR_WORKERS', 1, 1),
    queueLimit: num(env, 'XXGK_QUEUE_LIMIT', 64, 0),
    jobTimeoutMs: num(env, 'XXGK_JOB_TIMEOUT_SECONDS', 300, 1) * 1000,
    syncWaitSeconds: num(env, 'XXGK_SYNC_WAIT_SECONDS', 30, 0),
    callbackHosts: list(env.XXGK_CALLBACK_HOSTS).map((h) => h.toLowerCase()),
    callbackSecret: env.XXGK_CALLBACK_SECRET || null,
    corsOrigins: list(env.XXGK_CORS_ORIGINS),
    logLevel: env.XXGK_LOG_LEVEL || 'info',
    shutdownGraceMs: num(env, 'XXGK_SHUTDOWN_GRACE_SECONDS', 30, 0) * 1000,
    clientTimeoutMs: num(env, 'XXGK_CLIENT_TIMEOUT_SECONDS', 120, 1) * 1000,
  };
}
