/**
 * A throwaway PostgreSQL cluster for the tests: initdb in a temporary directory as an unprivileged
 * user (postgres refuses to run as root; as root the cluster belongs to the `postgres` user), listening
 * on loopback only, on a free port, with no Unix socket; stopped and removed afterwards.
 * Under CI (CI=true) a missing PostgreSQL fails the tests; elsewhere they are skipped with a message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

/** Set by postgres.test.ts for the service tests it runs again on PostgreSQL: the cluster's admin URL. */
export const TEST_POSTGRES_ENV = 'XXGK_TEST_POSTGRES';
/** The cluster's bin directory, for createdb. */
export const TEST_POSTGRES_BIN_ENV = 'XXGK_TEST_POSTGRES_BIN';

/** Debian's server binaries: /usr/lib/postgresql/<version>/bin, the newest version. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

/** Why the PostgreSQL tests cannot run here, or null when they can. Throws under CI: there they must run. */
export function postgresMissing(): string | null {
  if (postgresBin()) return null;
  const why = 'PostgreSQL is not installed (/usr/lib/postgresql/<version>/bin/initdb); bash scripts/setup.sh --test installs it';
  if (process.env.CI === 'true') throw new Error(`${why}. CI must run the PostgreSQL tests.`);
  return why;
}

export interface Cluster {
  bin: string;
  port: number;
  /** A URL for `database` as the cluster's superuser, over loopback TCP. */
  url(database?: string): string;
  /** Creates a fresh, empty database and returns its URL. */
  createDatabase(): string;
  stop(): void;
}

const asRoot = process.getuid?.() === 0;

/** Runs a server binary as the cluster's owner: `postgres` when we are root, ourselves otherwise. */
function asOwner(bin: string, program: string, args: string[]): void {
  const argv = asRoot ? ['runuser', '-u', 'postgres', '--', join(bin, program), ...args] : [join(bin, program), ...args];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${program} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
}

let databases = 0;

/** A fresh database in the cluster at `adminUrl`, made with createdb from `bin`; returns its URL. */
export function createDatabaseAt(adminUrl: string, bin: string): string {
  const url = new URL(adminUrl);
  const name = `xxgk_test_${process.pid}_${++databases}`;
  execFileSync(join(bin, 'createdb'), ['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), name], { stdio: ['ignore', 'ignore', 'pipe'] });
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startCluster(): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  let running = false;
  const stop = () => {
    if (running) {
      running = false;
      try {
        asOwner(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone: nothing to stop.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that dies without its after() hooks must not leave a server behind.
  process.once('exit', stop);
  try {
    asOwner(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
    // Loopback TCP only, no Unix socket; durability off: the cluster is thrown away.
    appendFileSync(data + '/postgresql.conf', [
      "listen_addresses = '127.0.0.1'", `port = ${port}`, "unix_socket_directories = ''",
      'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'max_connections = 200', '',
    ].join('\n'));
    asOwner(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    running = true;
  } catch (err) {
    stop();
    throw err;
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return { bin, port, url, createDatabase: () => createDatabaseAt(url(), bin), stop };
}

/**
 * The store for a service under test: nothing (the embedded SQLite) normally; a fresh database in the
 * cluster when postgres.test.ts runs the service tests again on PostgreSQL.
 */
export function testStoreEnv(): { XXGK_DATABASE_URL?: string } {
  const admin = process.env[TEST_POSTGRES_ENV];
  const bin = process.env[TEST_POSTGRES_BIN_ENV];
  return admin && bin ? { XXGK_DATABASE_URL: createDatabaseAt(admin, bin) } : {};
}
