/** The production service through HTTP: jobs, cancel, time limit, cache, backpressure, metrics, OpenAPI. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import request from 'supertest';
import { openapi } from '../src/service/openapi.js';
import { testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';
import { slowText, until } from './support/slow.js';

const { app } = testApp({ XXGK_WORKERS: '1', XXGK_QUEUE_LIMIT: '3', XXGK_JOB_TIMEOUT_SECONDS: '20' });
const seed = (i: number) => sample(`seeds/${seeds[i]}.txt`);

// Responses are checked against the schemas the OpenAPI document declares for them.
const ajv = new Ajv2020({ strict: false });
ajv.addSchema({ $id: 'openapi', components: openapi.components } as object);
const matches = (schema: string, body: unknown) => {
  const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`)!;
  assert.ok(validate(body), `${schema}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
};

const post = (path: string, body: Buffer, filename: string) =>
  request(app).post(`${path}${path.includes('?') ? '&' : '?'}filename=${encodeURIComponent(filename)}`).set('Content-Type', 'application/octet-stream').send(body);
const jobOf = async (id: string) => (await request(app).get(`/v1/jobs/${id}`)).body.job;

test('job lifecycle: 202 with Location, progress, result, stored result', async () => {
  const res = await post('/v1/jobs?refresh=true', seed(3), 'tongxin.txt');
  assert.equal(res.status, 202);
  matches('JobEnvelope', res.body);
  assert.equal(res.headers.location, `/v1/jobs/${res.body.job.id}`);
  const job = await until(() => jobOf(res.body.job.id), (j) => j.status === 'succeeded');
  matches('JobEnvelope', { job });
  assert.equal(job.progress.pagesDone, 1);
  const result = await request(app).get(`/v1/jobs/${job.id}/result`);
  assert.equal(result.status, 200);
  matches('Report', result.body);
  assert.equal(result.body.id, job.resultId);
  assert.equal(result.body.report.agency, '同心县人民政府办公室');
  const stored = await request(app).get(`/v1/results/${job.resultId}`);
  assert.deepEqual(stored.body, result.body);
  const list = await request(app).get('/v1/results');
  matches('ResultList', list.body);
  assert.ok(list.body.results.some((r: { id: string }) => r.id === job.resultId));
});

test('the same bytes come from the cache; refresh=true converts again', async () => {
  const first = await post('/v1/convert', seed(1), 'a.txt');
  const second = await post('/v1/convert', seed(1), 'b.txt');
  assert.equal(first.status, 200);
  assert.equal(second.body.id, first.body.id);
  const fresh = await post('/v1/convert?refresh=true', seed(1), 'c.txt');
  assert.notEqual(fresh.body.id, first.body.id);
  assert.deepEqual(fresh.body.tables, first.body.tables);
});

test('a synchronous convert that is not done in time answers 202 with the job', async () => {
  const res = await post('/v1/convert?wait=0.2', slowText(20_000, 'sync'), 'slow.txt');
  assert.equal(res.status, 202);
  matches('JobEnvelope', res.body);
  const done = await until(() => jobOf(res.body.job.id), (j) => j.status === 'succeeded');
  assert.ok(done.resultId);
});

test('cancel: a running job stops, its worker is freed, a queued one never runs', async () => {
  const running = await post('/v1/jobs', slowText(80_000, 'cancel'), 'slow.txt');
  await until(() => jobOf(running.body.job.id), (j) => j.status === 'running');
  const queued = await post('/v1/jobs?refresh=true', seed(0), 'queued.txt');
  assert.equal((await jobOf(queued.body.job.id)).status, 'queued');
  const cancelQueued = await request(app).delete(`/v1/jobs/${queued.body.job.id}`);
  assert.equal(cancelQueued.body.job.status, 'cancelled');
  const cancelRunning = await request(app).delete(`/v1/jobs/${running.body.job.id}`);
  assert.equal(cancelRunning.status, 200);
  matches('JobEnvelope', cancelRunning.body);
  assert.equal(cancelRunning.body.job.status, 'cancelled');
  assert.equal((await request(app).get(`/v1/jobs/${running.body.job.id}/result`)).status, 410);
  // The single worker is free again at once.
  const next = await post('/v1/convert?refresh=true&wait=20', seed(4), 'next.txt');
  assert.equal(next.status, 200);
  assert.equal((await jobOf(queued.body.job.id)).status, 'cancelled');
});

test('a burst past the queue limit gets 429 with Retry-After, and nothing accepted is lost', async () => {
  const blocker = await post('/v1/jobs', slowText(40_000, 'burst'), 'blocker.txt');
  await until(() => jobOf(blocker.body.job.id), (j) => j.status === 'running');
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => post('/v1/jobs?refresh=true', Buffer.from(`${seed(3).toString()}\n<!-- ${i} -->`), `burst-${i}.txt`)));
  const accepted = burst.filter((r) => r.status === 202);
  const refused = burst.filter((r) => r.status === 429);
  assert.equal(accepted.length, 3, burst.map((r) => r.status).join());
  assert.equal(refused.length, 5);
  for (const r of refused) {
    assert.equal(r.body.error.code, 'QUEUE_FULL');
    assert.ok(Number(r.headers['retry-after']) >= 1);
  }
  for (const r of [blocker, ...accepted]) await until(() => jobOf(r.body.job.id), (j) => j.status === 'succeeded', 60_000);
});

test('metrics move with the work', async () => {
  const metric = async (name: string) => {
    const text = (await request(app).get('/metrics')).text;
    return [...text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((s, m) => s + Number(m[2]), 0);
  };
  const before = { requests: await metric('xxgk_http_requests_total'), pages: await metric('xxgk_pages_converted_total'), ok: await metric('xxgk_jobs') };
  assert.equal((await post('/v1/convert?refresh=true', seed(2), 'm.txt')).status, 200);
  assert.ok((await metric('xxgk_http_requests_total')) > before.requests);
  assert.equal(await metric('xxgk_pages_converted_total'), before.pages + 1);
  assert.ok((await metric('xxgk_jobs')) > before.ok);
  const text = (await request(app).get('/metrics')).text;
  assert.match(text, /xxgk_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/convert"/);
  assert.match(text, /xxgk_queue_depth\{lane="main",role="serve"\} 0/);
  assert.match(text, /xxgk_ocr_seconds_total/);
  // The job just converted, in the latency histogram, labelled by lane, how it ended and the process's role.
  assert.match(text, /xxgk_job_duration_seconds_count\{role="serve",lane="main",status="succeeded"\} [1-9]/);
});

test('every route the app serves is in the OpenAPI document, and every documented one exists', async () => {
  const served = await request(app).get('/openapi.json');
  assert.equal(served.body.openapi, '3.1.0');
  for (const [path, ops] of Object.entries(openapi.paths)) {
    for (const method of Object.keys(ops)) {
      const url = path.replace('{id}', '00000000-0000-0000-0000-000000000000');
      const res = await request(app)[method as 'get' | 'post' | 'delete'](url);
      assert.notEqual(res.body?.error?.code, 'NOT_FOUND', `${method.toUpperCase()} ${path} is documented but not served`);
    }
  }
  const undocumented = await request(app).put('/v1/jobs/x');
  assert.equal(undocumented.body.error.code, 'NOT_FOUND');
});

test('a document over the time limit fails its job with 504 and frees the worker', async () => {
  const { app: strict } = testApp({ XXGK_WORKERS: '1', XXGK_JOB_TIMEOUT_SECONDS: '1' });
  const res = await request(strict).post('/v1/convert?filename=slow.txt&wait=30').set('Content-Type', 'text/plain').send(slowText(80_000, 'timeout'));
  assert.equal(res.status, 504);
  assert.equal(res.body.error.code, 'TIMEOUT');
  const next = await request(strict).post('/v1/convert?filename=ok.txt').set('Content-Type', 'text/plain').send(seed(3));
  assert.equal(next.status, 200);
});
