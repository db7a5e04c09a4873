/**
 * The PostgreSQL store (XXGK_DATABASE_URL), on a real cluster started for this file:
 * - the service tests that run on SQLite run again, unchanged, each service on a fresh database;
 * - two `serve` processes on one database: a job and its result are seen from both, and a stale
 *   correction save through the second process gets 409;
 * - a database that does not answer gives 503, not a hung request.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import request from 'supertest';
import { pino } from 'pino';
import { createService } from '../src/service/app.js';
import { secretScrubber } from '../src/service/redact.js';
import { configFromEnv } from '../src/service/config.js';
import { repoRoot, sample, seeds } from './support/fixtures.js';
import { postgresMissing, startCluster, TEST_POSTGRES_BIN_ENV, TEST_POSTGRES_ENV, type Cluster } from './support/postgres.js';
import { CLI, freePort, run } from './support/process.js';
import { until } from './support/slow.js';

/** The service tests run again on PostgreSQL: every one that starts a service on a store. */
const SUITE = ['service', 'corrections', 'results-list', 'auth', 'webhook', 'restart', 'page-image-bmp'].map((f) => `test/${f}.test.ts`);

const missing = postgresMissing();

const withoutTestContext = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));

async function rows<R extends object>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('on PostgreSQL', { skip: missing ?? false }, () => {
  let cluster: Cluster;
  before(async () => { cluster = await startCluster(); });
  after(() => cluster?.stop());

  test('the service tests that run on SQLite pass on PostgreSQL too', async () => {
    const f = await run([process.execPath, '--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=tap', ...SUITE], {
      // Without NODE_TEST_CONTEXT: node's runner sets it for the files it runs, and a run that sees it reports nothing on stdout.
      env: { ...withoutTestContext(), [TEST_POSTGRES_ENV]: cluster.url(), [TEST_POSTGRES_BIN_ENV]: cluster.bin },
      timeoutMs: 15 * 60_000,
    });
    assert.equal(f.code, 0, `the suite failed on PostgreSQL:\n${(f.stdout + f.stderr).slice(-8000)}`);
    assert.match(f.stdout, /^# fail 0$/m);
    // They ran on PostgreSQL, not on SQLite: their databases hold their jobs, results, uploads and page images.
    const dbs = await rows<{ datname: string }>(cluster.url(), `SELECT datname FROM pg_database WHERE datname LIKE 'xxgk_test_%'`);
    assert.ok(dbs.length >= SUITE.length, `one database per service under test, got ${dbs.length}`);
    let jobs = 0, results = 0, uploads = 0, derived = 0;
    for (const { datname } of dbs) {
      const [c] = await rows<{ jobs: number; results: number; uploads: number; derived: number }>(cluster.url(datname),
        `SELECT (SELECT COUNT(*)::int FROM jobs) AS jobs, (SELECT COUNT(*)::int FROM results) AS results,
                (SELECT COUNT(*)::int FROM uploads) AS uploads, (SELECT COUNT(*)::int FROM derived_files) AS derived`);
      jobs += c.jobs; results += c.results; uploads += c.uploads; derived += c.derived;
    }
    assert.ok(jobs >= 20 && results >= 10 && uploads >= 10 && derived >= 1, JSON.stringify({ jobs, results, uploads, derived }));
  });

  describe('two serve processes on one database', () => {
    const dataDirs: string[] = [];
    const children: ChildProcess[] = [];
    let url: string;
    let a: string, b: string;

    async function serve(): Promise<string> {
      const port = await freePort();
      const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-pg-serve-'));
      dataDirs.push(dataDir);
      const child = spawn(CLI[0], [...CLI.slice(1), 'serve', '--port', String(port)], {
        cwd: repoRoot,
        env: { ...process.env, XXGK_DATABASE_URL: url, XXGK_DATA_DIR: dataDir, XXGK_WORKERS: '1', XXGK_LOG_LEVEL: 'warn', XXGK_SHUTDOWN_GRACE_SECONDS: '0' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      const base = `http://127.0.0.1:${port}`;
      await until(() => fetch(`${base}/readyz`).then((r) => r.ok, () => false), (ok) => ok, 30_000);
      return base;
    }

    before(async () => {
      url = cluster.createDatabase();
      [a, b] = await Promise.all([serve(), serve()]);
    });
    after(async () => {
      await Promise.all(children.map((c) => new Promise((r) => { c.once('exit', r); c.kill('SIGTERM'); })));
      for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
    });

    test('a job sent to one is seen, finished, from the other; its upload is stored once, by hash, in the database', async () => {
      const bytes = sample(`seeds/${seeds[3]}.txt`);
      const post = () => fetch(`${a}/v1/jobs?filename=report.txt&refresh=true`, { method: 'POST', body: bytes, headers: { 'content-type': 'text/plain' } })
        .then((r) => r.json() as Promise<{ job: { id: string } }>);
      const [first, second] = [await post(), await post()];
      for (const { job } of [first, second]) {
        const seen = await until(() => fetch(`${b}/v1/jobs/${job.id}`).then((r) => r.json() as Promise<{ job: { status: string; resultId: string } }>), (j) => j.job.status === 'succeeded', 60_000);
        const result = await fetch(`${b}/v1/results/${seen.job.resultId}`);
        assert.equal(result.status, 200);
        assert.equal(((await result.json()) as { report: { agency: string } }).report.agency, '同心县人民政府办公室');
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const stored = await rows<{ sha256: string; bytes: Buffer }>(url, 'SELECT sha256, bytes FROM uploads');
      assert.deepEqual(stored.map((r) => r.sha256), [sha256]);
      assert.ok(stored[0].bytes.equals(bytes));
    });

    test('corrections saved through one and a stale save through the other: 409, nothing overwritten', async () => {
      const res = await fetch(`${a}/v1/convert?filename=report.txt`, { method: 'POST', body: sample(`seeds/${seeds[0]}.txt`), headers: { 'content-type': 'text/plain' } });
      assert.equal(res.status, 200);
      const report = (await res.json()) as { id: string; tables: { cells: { key: string; value: number | null; state: string }[] }[] };
      const cell = report.tables.flatMap((t) => t.cells).find((c) => c.state === 'number')!;
      const history = (base: string) => fetch(`${base}/v1/results/${report.id}/corrections`).then((r) => r.json() as Promise<{ version: number; corrections: { newValue: number }[] }>);
      const loadedByB = await history(b);
      assert.equal(loadedByB.version, 0);
      const save = (base: string, value: number) => fetch(`${base}/v1/results/${report.id}/corrections`, {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ baseVersion: loadedByB.version, changes: [{ key: cell.key, value }] }),
      });
      const first = await save(a, (cell.value ?? 0) + 1);
      assert.equal(first.status, 200, await first.clone().text());
      const stale = await save(b, (cell.value ?? 0) + 2);
      assert.equal(stale.status, 409);
      assert.equal(((await stale.json()) as { error: { code: string } }).error.code, 'CONFLICT');
      const now = await history(b);
      assert.equal(now.version, 1);
      assert.deepEqual(now.corrections.map((c) => c.newValue), [(cell.value ?? 0) + 1]);
    });
  });
});

test('a PostgreSQL that does not answer: /readyz and the API say 503, nothing hangs', async () => {
  const port = await freePort(); // nothing listens there
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-pg-down-'));
  const { app, ctx } = createService(configFromEnv({
    XXGK_DATABASE_URL: `postgres://xxgk:s3cret-password@127.0.0.1:${port}/xxgk`, XXGK_DATA_DIR: dataDir, XXGK_WORKERS: '1', XXGK_SHUTDOWN_GRACE_SECONDS: '0',
  }), pino({ level: 'silent' }));
  try {
    const ready = await request(app).get('/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.error.code, 'NOT_READY');
    const submit = await request(app).post('/v1/jobs?filename=a.txt').set('Content-Type', 'text/plain').send('2021年 政府信息公开');
    assert.equal(submit.status, 503);
    assert.equal(submit.body.error.code, 'DATABASE_UNAVAILABLE');
    assert.match(submit.body.error.message, /ECONNREFUSED/);
  } finally {
    await ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the database URL's password is masked in every log line", () => {
  const scrub = secretScrubber(configFromEnv({ XXGK_DATABASE_URL: 'postgres://xxgk:s3cret%2Fpassword@db.internal:5432/xxgk' }))!;
  assert.equal(scrub('{"msg":"connect failed for xxgk:s3cret/password@db.internal"}'), '{"msg":"connect failed for xxgk:[REDACTED]@db.internal"}');
});
