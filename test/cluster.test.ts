/**
 * A cluster on one PostgreSQL database (a throwaway one, test/support/postgres.ts): two `serve
 * --workers 0` processes that only accept and serve, and two `worker` processes that convert.
 * - 50 jobs mixing text, HTML, DOCX, PDF and scans, sent to both API processes; one worker is SIGKILLed
 *   in the middle of a job. Every job succeeds exactly once (one attempt each, two for the job that was
 *   killed: it ran again on the other worker once its lease ended), with one result per job, readable
 *   from both API processes; a webhook receiver on loopback gets one signed delivery per job.
 * - A cancel sent to one API process stops the job on the worker running it.
 * - /metrics of each process carries its role.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { sign, SIGNATURE_HEADER } from '../src/service/webhooks.js';
import { expectedFor, sample, seeds } from './support/fixtures.js';
import { postgresMissing, startCluster, type Cluster } from './support/postgres.js';
import { CLI, freePort, healthy, start, type Running } from './support/process.js';
import { slowText, until } from './support/slow.js';

const SECRET = 'cluster-secret-0123456789';
/** Short, so the killed worker's job comes back soon (its lease is this plus a margin, pg-boss-queue.ts), yet long enough for a scan on a loaded machine. */
const TIMEOUT_SECONDS = 60;

interface JobView { id: string; status: string; resultId: string | null; error: { code: string; message: string } | null }

const missing = postgresMissing();

describe('a cluster: two API processes and two workers on one database', { skip: missing ?? false }, () => {
  let cluster: Cluster;
  let url: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-cluster-'));
  const processes: Running[] = [];
  const deliveries: { body: string; signature: string }[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push({ body, signature: String(req.headers[SIGNATURE_HEADER]) });
      res.statusCode = 204;
      res.end();
    });
  });
  let callback: string;
  let api: string[] = [];
  let workers: { run: Running; probes: string }[] = [];

  const env = () => ({
    ...process.env, XXGK_DATABASE_URL: url, XXGK_DATA_DIR: dataDir, XXGK_JOB_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
    XXGK_CALLBACK_HOSTS: '127.0.0.1', XXGK_CALLBACK_SECRET: SECRET, XXGK_QUEUE_LIMIT: '200', XXGK_LOG_LEVEL: 'warn', XXGK_SHUTDOWN_GRACE_SECONDS: '0',
  });

  async function serve(): Promise<string> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    processes.push(await start([...CLI, 'serve', '--port', String(port), '--workers', '0'], healthy(`${base}/readyz`), { env: env(), timeoutMs: 60_000 }));
    return base;
  }

  async function worker(): Promise<{ run: Running; probes: string }> {
    const port = await freePort();
    const probes = `http://127.0.0.1:${port}`;
    const run = await start([...CLI, 'worker', '--concurrency', '1', '--port', String(port)], () => fetch(`${probes}/readyz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false), { env: env(), timeoutMs: 60_000 });
    processes.push(run);
    return { run, probes };
  }

  const job = (base: string, id: string) => fetch(`${base}/v1/jobs/${id}`).then((r) => r.json() as Promise<{ job: JobView }>).then((b) => b.job);
  const post = async (base: string, bytes: Buffer, filename: string): Promise<string> => {
    const res = await fetch(`${base}/v1/jobs?filename=${encodeURIComponent(filename)}&callbackUrl=${encodeURIComponent(callback)}`, { method: 'POST', body: bytes });
    assert.equal(res.status, 202, await res.clone().text());
    return ((await res.json()) as { job: JobView }).job.id;
  };
  const running = async (probes: string) => ((await (await fetch(`${probes}/readyz`)).json()) as { queue: { running: number } }).queue.running;

  async function rows<R extends object>(sql: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  before(async () => {
    cluster = await startCluster();
    url = cluster.createDatabase();
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    callback = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    // The first start makes the schemas; the others then start together.
    api = [await serve()];
    const [second, w1, w2] = await Promise.all([serve(), worker(), worker()]);
    api.push(second);
    workers = [w1, w2];
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    hook.close();
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('50 jobs, one worker killed mid-job: each succeeds once, with one result, seen from both API processes, and one signed webhook', async () => {
    // Two long jobs first: each worker (one thread) takes one, so the worker killed is surely in the middle of a job.
    const slow = [await post(api[0], slowText(60_000, 'kill-0'), 'slow-0.txt'), await post(api[1], slowText(60_000, 'kill-1'), 'slow-1.txt')];
    await until(() => Promise.all(slow.map((id) => job(api[0], id))), (js) => js.every((j) => j.status === 'running'), 60_000);
    await until(() => Promise.all(workers.map((w) => running(w.probes))), (n) => n.every((r) => r === 1), 30_000);
    // Killed in the middle of its long job (and of nothing else: the other jobs come after).
    const killed = workers[0];
    killed.run.child.kill('SIGKILL');
    await new Promise((r) => killed.run.child.once('exit', r));
    const kinds: [string, () => Buffer][] = [];
    for (let i = 0; i < 48; i++) {
      const seed = seeds[i % seeds.length];
      const kind = i === 20 || i === 41 ? 'png' : (['txt', 'html', 'docx', 'pdf'] as const)[i % 4];
      const path = kind === 'png' ? 'scans/004_a98acada5b20935e.tables.zero-circle.png'
        : kind === 'txt' ? `seeds/${seed}.txt` : kind === 'pdf' ? `pdf/${seed}.chrome.pdf` : `${kind}/${seed}.${kind}`;
      kinds.push([path, () => sample(path)]);
    }
    const ids = [...slow];
    const sources = new Map<string, string>();
    for (const [i, [path, bytes]] of kinds.entries()) {
      const id = await post(api[i % 2], bytes(), path.split('/').pop()!);
      ids.push(id);
      sources.set(id, path);
    }

    const done = await until(() => Promise.all(ids.map((id) => job(api[1], id))), (js) => js.every((j) => ['succeeded', 'failed', 'cancelled'].includes(j.status)), 240_000);
    assert.deepEqual(done.filter((j) => j.status !== 'succeeded').map((j) => `${sources.get(j.id) ?? 'slow text'} ${j.status} ${j.error?.message}`), []);

    // Exactly once: one attempt each, but the killed job's second; one result per job.
    const attempts = await rows<{ id: string; attempts: number; result_id: string }>(`SELECT id, attempts, result_id FROM jobs`);
    assert.equal(attempts.length, 50);
    const rerun = attempts.filter((a) => a.attempts === 2);
    assert.equal(rerun.length, 1, `one job ran twice (the killed worker's): ${JSON.stringify(attempts.filter((a) => a.attempts !== 1))}`);
    assert.ok(slow.includes(rerun[0].id));
    assert.ok(attempts.every((a) => a.attempts === 1 || a.attempts === 2));
    const results = await rows<{ id: string }>('SELECT id FROM results');
    assert.equal(results.length, 50);
    assert.deepEqual(new Set(results.map((r) => r.id)), new Set(attempts.map((a) => a.result_id)));

    // Every result, from both API processes; the samples' agencies as expected.
    for (const base of api) {
      for (const id of ids) {
        const res = await fetch(`${base}/v1/jobs/${id}/result`);
        assert.equal(res.status, 200, `${base} ${id}`);
        const report = (await res.json()) as { report: { agency: string | null } };
        const path = sources.get(id);
        const seed = path && !path.startsWith('scans/') ? seeds.find((s) => path.includes(s)) : undefined;
        if (seed) assert.ok(report.report.agency?.includes(expectedFor(seed).agencyIncludes), `${path}: ${report.report.agency}`);
      }
    }

    // One signed delivery per job, though the worker that would have sent the killed job's was gone.
    await until(async () => deliveries.length, (n) => n >= 50, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(deliveries.length, 50);
    for (const d of deliveries) assert.equal(d.signature, sign(d.body, SECRET));
    const delivered = deliveries.map((d) => JSON.parse(d.body) as { id: string; status: string });
    assert.deepEqual(new Set(delivered.map((d) => d.id)), new Set(ids));
    assert.ok(delivered.every((d) => d.status === 'succeeded'));
  });

  test('a cancel sent to either API process stops the job on the worker running it', async () => {
    const alive = workers[1];
    const id = await post(api[0], slowText(200_000, 'cancel'), 'cancel.txt');
    await until(() => running(alive.probes), (n) => n === 1, 60_000);
    const res = await fetch(`${api[1]}/v1/jobs/${id}`, { method: 'DELETE' });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { job: JobView }).job.status, 'cancelled');
    // The worker stops it at once (a notification), not when it would have ended.
    await until(() => running(alive.probes), (n) => n === 0, 5000);
    assert.equal((await job(api[0], id)).status, 'cancelled');
    assert.equal((await fetch(`${api[0]}/v1/jobs/${id}/result`)).status, 410);
  });

  test('each process says its role in /metrics, with the queue depth from pg-boss and the job latencies', async () => {
    const served = await (await fetch(`${api[0]}/metrics`)).text();
    assert.match(served, /xxgk_queue_depth\{lane="main",role="serve"\} 0/);
    const worked = await (await fetch(`${workers[1].probes}/metrics`)).text();
    assert.match(worked, /xxgk_queue_depth\{lane="ocr",role="worker"\} 0/);
    assert.match(worked, /xxgk_job_duration_seconds_count\{role="worker",lane="main",status="succeeded"\} [1-9]/);
    assert.equal((await fetch(`${workers[1].probes}/v1/jobs`)).status, 404, 'a worker serves no API');
  });
});
