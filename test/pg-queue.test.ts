/**
 * The PostgreSQL job queue (PgBossQueue over pg-boss) in one test process, on a throwaway cluster
 * (test/support/postgres.ts): what it does when the database goes away, and which attempt may end a job.
 */
import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import pg from 'pg';
import { defaultLimits } from '../src/intake/limits.js';
import { leaseSeconds, PgBossQueue } from '../src/jobs/pg-boss-queue.js';
import type { Submission } from '../src/jobs/queue.js';
import { openStore } from '../src/store/open.js';
import type { Lane, Store } from '../src/store/store.js';
import { sample, seeds } from './support/fixtures.js';
import { postgresMissing, startCluster, type Cluster } from './support/postgres.js';
import { slowText, until } from './support/slow.js';

const missing = postgresMissing();

describe('the PostgreSQL job queue', { skip: missing ?? false }, () => {
  let cluster: Cluster;
  const open: { store: Store; queue: PgBossQueue }[] = [];
  before(async () => { cluster = await startCluster(); });
  after(async () => {
    for (const { store, queue } of open) {
      await queue.stop(0).catch(() => undefined);
      await store.close().catch(() => undefined);
    }
    cluster?.stop();
  });

  /** A store and a queue on a fresh database; `errors` collects what the queue reports to its log. */
  function queueOn(url: string, lanes: Lane[], errors: Error[] = [], timeoutMs = 60_000) {
    const store = openStore({ dataDir: '/nonexistent', databaseUrl: url });
    if (store.kind !== 'postgres') throw new Error('openStore did not open PostgreSQL');
    const queue = new PgBossQueue(store.jobs, store.files, {
      workers: lanes.length ? 1 : 0, ocrWorkers: 0, queueLimit: 100, timeoutMs, limits: defaultLimits, reviewThreshold: 0.8,
      databaseUrl: url, lanes, onError: (err) => errors.push(err),
    });
    open.push({ store, queue });
    return { store, queue };
  }


  type Boss = {
    send: (name: string, data: object, o: object) => Promise<string | null>;
    fetch: (name: string, o: object) => Promise<{ id: string }[]>;
    fail: (name: string, id: string) => Promise<unknown>;
    getJobById: (name: string, id: string) => Promise<{ state: string } | null>;
    getDb: () => { executeSql: (sql: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };
  };
  /** The queue's pg-boss, to play the part of another process or of pg-boss's maintenance. */
  const bossOf = (queue: PgBossQueue) => (queue as unknown as { boss: Boss }).boss;
  /** pg-boss connections open to the database at `url` (the queue's pool names itself xxgk-queue). */
  async function bossConnections(url: string): Promise<number> {
    const client = new pg.Client({ connectionString: cluster.url() });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'xxgk-queue'`, [new URL(url).pathname.slice(1)]);
      return rows[0].n;
    } finally {
      await client.end();
    }
  }

  /** Resolves once the jobs this queue pulled have been reported to pg-boss. */
  const settled = (queue: PgBossQueue) => until(async () => (queue as unknown as { inflight: Set<unknown> }).inflight.size, (n) => n === 0, 120_000);

  const text = (n = 0): Submission => ({
    owner: 'o', bytes: sample(`seeds/${seeds[n % seeds.length]}.txt`), filename: 'a.txt', charset: null, optionsKey: 'v1', lane: 'main', callbackUrl: null,
  });

  test('a fetch that fails (a connection reset mid-query) is reported, and the puller goes on converting', async () => {
    const errors: Error[] = [];
    const { queue } = queueOn(cluster.createDatabase(), ['main'], errors);
    queue.startWorkers();
    await queue.recover();
    // pg-boss 10.4 swallows a failed fetch query, but a failure outside it (a reset connection, another version) must not end the process.
    const boss = (queue as unknown as { boss: { fetch: (name: string, o: object) => Promise<unknown[]> } }).boss;
    const fetch = boss.fetch.bind(boss);
    let failures = 3;
    boss.fetch = (name, o) => (name === 'convert' && failures-- > 0 ? Promise.reject(new Error('Connection terminated unexpectedly')) : fetch(name, o));
    await until(async () => errors.length, (n) => n >= 3);
    const job = await queue.submit(text());
    const done = await until(() => queue.waitFor(job.id, 5000), (j) => j.status !== 'queued' && j.status !== 'running', 60_000);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual(errors.map((e) => e.message), Array(3).fill('Connection terminated unexpectedly'));
  });

  test('an attempt that outlived its lease leaves pg-boss\'s job to the attempt that took it over', async () => {
    const { store, queue } = queueOn(cluster.createDatabase(), ['main']);
    queue.startWorkers();
    await queue.recover();
    const job = await queue.submit({ ...text(), bytes: slowText(60_000, 'late'), filename: 'slow.txt' });
    await until(() => store.jobs.get(job.id), (j) => j!.status === 'running');
    // The lease runs out (what pg-boss's maintenance does to an expired job) and another process takes the job: attempt 2.
    const boss = bossOf(queue);
    await boss.fail('convert', job.id);
    assert.deepEqual((await boss.fetch('convert', { batchSize: 1 })).map((j) => j.id), [job.id]);
    assert.equal(await store.jobs.start(job.id), 2, 'attempt 1 still runs: the takeover happened before it ended');
    // Attempt 1 ends; the job is attempt 2's, in the rows and in pg-boss (whose lease would otherwise hand it out no more).
    await settled(queue);
    assert.deepEqual([(await store.jobs.get(job.id))!.status, (await boss.getJobById('convert', job.id))!.state], ['running', 'active']);
  });

  test('the lease is the longest time limit among the processes that pull, whichever started last', async () => {
    const url = cluster.createDatabase();
    const lease = async (queue: PgBossQueue) => (await bossOf(queue).getDb().executeSql(`SELECT expire_seconds FROM pgboss.queue WHERE name = 'convert'`)).rows[0].expire_seconds;
    const ocr = queueOn(url, ['main'], [], 1800_000).queue;
    await ocr.recover();
    // Started after it: an API process and a worker with shorter time limits; jobs sent now still get the OCR worker's lease.
    const api = queueOn(url, [], [], 300_000).queue;
    await api.recover();
    const other = queueOn(url, ['main'], [], 600_000).queue;
    await other.recover();
    assert.equal(await lease(api), leaseSeconds(1800_000));
  });

  test('pg-boss\'s connections are set to the store\'s limits: 30 s a query, 5 s to connect, TCP keep-alive', async () => {
    const { queue } = queueOn(cluster.createDatabase(), []);
    await queue.recover();
    // A send stuck on a dead connection would otherwise hold every later submission of this process (they are admitted one at a time).
    const pool = (bossOf(queue).getDb() as unknown as { pool: { options: Record<string, unknown> } }).pool;
    assert.deepEqual([pool.options.query_timeout, pool.options.connectionTimeoutMillis, pool.options.keepAlive], [30_000, 5000, true]);
  });

  test('a stopped queue starts no pg-boss again', async () => {
    const url = cluster.createDatabase();
    const { queue } = queueOn(url, ['main']);
    await queue.recover();
    await queue.stop(0);
    // A /metrics scrape or a submission after stop() is refused, not served by a new pg-boss that nothing stops.
    await assert.rejects(queue.depth(), { code: 'SHUTTING_DOWN', status: 503 });
    assert.equal(await bossConnections(url), 0);
  });

  test('an end another process wrote without a notification still answers a request waiting here', { timeout: 60_000 }, async () => {
    const { store, queue } = queueOn(cluster.createDatabase(), []);
    await queue.recover();
    const job = await queue.submit(text());
    // Another process ended the job and its NOTIFY was lost: only the row says so. The wait's first read
    // is made to see the job as it stood before, so only the queue's own re-reading of the rows can answer.
    assert.ok(await store.jobs.fail(job.id, { code: 'ELSEWHERE', status: 500, message: 'ended by another process' }));
    const get = store.jobs.get.bind(store.jobs);
    store.jobs.get = async (id) => {
      store.jobs.get = get;
      return { ...(await get(id))!, status: 'queued', error: null };
    };
    // Far longer than the test may take: answered by the re-read, or the test times out.
    const seen = await queue.waitFor(job.id, 600_000);
    assert.deepEqual([seen.status, seen.error?.code], ['failed', 'ELSEWHERE']);
    // Only ended rows come back: a job still queued (no lane pulls here) and an unknown id do not.
    const queued = await queue.submit(text());
    assert.deepEqual((await store.jobs.ended([job.id, queued.id, 'no-such-job'])).map((j) => j.id), [job.id]);
  });

  test('a submission pg-boss could not take leaves no job row and no webhook behind', async () => {
    const { store, queue } = queueOn(cluster.createDatabase(), []);
    await queue.recover();
    const boss = bossOf(queue);
    const send = boss.send.bind(boss);
    // The database lost between the row and pg-boss's job: the client is told to send it again (503).
    boss.send = () => Promise.reject(new Error('Connection terminated unexpectedly'));
    await assert.rejects(queue.submit({ ...text(), callbackUrl: 'http://127.0.0.1:9/hook' }), { status: 503 });
    assert.deepEqual(await store.jobs.countsByStatus(), { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 });
    assert.deepEqual(await store.deliveries.claim(10, 30_000), []);
    boss.send = send;
    const job = await queue.submit(text());
    assert.deepEqual([(await store.jobs.get(job.id))!.status, (await boss.getJobById('convert', job.id))!.state], ['queued', 'created']);
  });

  test('a job handed back by a stopping process keeps every retry for lost workers', async () => {
    const url = cluster.createDatabase();
    const { store, queue } = queueOn(url, ['main']);
    queue.startWorkers();
    await queue.recover();
    const job = await queue.submit({ ...text(), bytes: slowText(60_000, 'handed'), filename: 'slow.txt' });
    await until(() => store.jobs.get(job.id), (j) => j!.status === 'running');
    await queue.stop(0);
    assert.equal((await store.jobs.get(job.id))!.status, 'queued');
    // Taken by the next process (pg-boss counts a retry when the job is fetched again).
    const next = queueOn(url, []).queue;
    await next.recover();
    assert.deepEqual((await bossOf(next).fetch('convert', { batchSize: 1 })).map((j) => j.id), [job.id]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT retry_limit - retry_count AS left FROM pgboss.job WHERE id = $1`, [job.id]);
      assert.deepEqual(rows, [{ left: 3 }]);
    } finally {
      await client.end();
    }
  });

  test('a host whose clock is ahead of the database\'s does not put off the webhooks of the jobs it ends', async () => {
    const { store } = queueOn(cluster.createDatabase(), []);
    const sha256 = await store.files.put(text().bytes);
    const id = crypto.randomUUID();
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 3600_000 });
    try {
      await store.jobs.create({ id, owner: 'o', sha256, filename: 'a.txt', charset: null, optionsKey: 'v1', lane: 'main', callbackUrl: 'http://127.0.0.1:9/hook' });
      await store.jobs.fail(id, { code: 'TIMEOUT', status: 504, message: 'too long' }, (await store.jobs.start(id))!);
    } finally {
      mock.timers.reset();
    }
    // Due now by the database's clock, the one every process's claim reads.
    assert.deepEqual((await store.deliveries.claim(10, 30_000)).map((d) => d.job.id), [id]);
  });
});
