/**
 * Completion webhooks: delivered signed to an allowlisted local receiver, refused for other hosts,
 * and retried from the database's outbox, across a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { createService } from '../src/service/app.js';
import { configFromEnv } from '../src/service/config.js';
import { SIGNATURE_HEADER, sign } from '../src/service/webhooks.js';
import { testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';
import { testStoreEnv } from './support/postgres.js';
import { slowText, until } from './support/slow.js';

const SECRET = 'test-secret-0123456789';
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
let failFirst = true;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    // The first delivery is refused, to see the retry.
    res.statusCode = failFirst ? 500 : 204;
    failFirst = false;
    res.end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
after(() => receiver.close());
const port = (receiver.address() as AddressInfo).port;

const { app } = testApp({ XXGK_CALLBACK_HOSTS: '127.0.0.1', XXGK_CALLBACK_SECRET: SECRET });

test('the finished job is delivered, signed, to an allowlisted host, with a retry after a failure', async () => {
  const callback = `http://127.0.0.1:${port}/hook`;
  const res = await request(app).post(`/v1/jobs?filename=w.txt&callbackUrl=${encodeURIComponent(callback)}`).set('Content-Type', 'text/plain').send(sample(`seeds/${seeds[2]}.txt`));
  assert.equal(res.status, 202);
  const started = Date.now();
  while (received.length < 2 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
  assert.equal(received.length, 2, 'one refused delivery, then one accepted');
  for (const r of received) {
    assert.equal(r.headers[SIGNATURE_HEADER], sign(r.body, SECRET), 'valid HMAC signature');
    const payload = JSON.parse(r.body);
    assert.equal(payload.id, res.body.job.id);
    assert.equal(payload.status, 'succeeded');
    assert.ok(payload.resultId);
  }
  assert.deepEqual(received.map((r) => r.headers['x-xxgk-delivery-attempt']), ['1', '2']);
});

test('a callback to a host off the allowlist is refused before anything is queued', async () => {
  const res = await request(app).post(`/v1/jobs?filename=w.txt&callbackUrl=${encodeURIComponent('http://10.0.0.1:9/hook')}`).set('Content-Type', 'text/plain').send(sample(`seeds/${seeds[2]}.txt`));
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, 'CALLBACK_NOT_ALLOWED');
  const bad = await request(app).post(`/v1/jobs?filename=w.txt&callbackUrl=${encodeURIComponent('file:///etc/passwd')}`).set('Content-Type', 'text/plain').send(sample(`seeds/${seeds[2]}.txt`));
  assert.equal(bad.status, 400);
});

test('a delivery refused just before a restart is sent by the next start: the retry lives in the database', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-webhook-restart-'));
  // One store for both starts: the same data folder, or the same PostgreSQL database under postgres.test.ts.
  const env = { XXGK_WORKERS: '1', XXGK_SHUTDOWN_GRACE_SECONDS: '0', XXGK_CALLBACK_HOSTS: '127.0.0.1', XXGK_CALLBACK_SECRET: SECRET, ...testStoreEnv(), XXGK_DATA_DIR: dataDir };
  const hits: { attempt: string; body: string; signature: string }[] = [];
  let accept = false;
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ attempt: String(req.headers['x-xxgk-delivery-attempt']), body, signature: String(req.headers[SIGNATURE_HEADER]) });
      res.statusCode = accept ? 204 : 503;
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const callback = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const quiet = pino({ level: 'silent' });
  try {
    const first = createService(configFromEnv(env), quiet);
    const res = await request(first.app).post(`/v1/jobs?filename=r.txt&callbackUrl=${encodeURIComponent(callback)}`).set('Content-Type', 'text/plain').send(sample(`seeds/${seeds[1]}.txt`));
    assert.equal(res.status, 202);
    await until(async () => hits.length, (n) => n >= 1, 30_000);
    // Refused once; the retry is due in a second. The service stops before it.
    await first.ctx.close();
    assert.equal(hits.length, 1);
    accept = true;
    const second = createService(configFromEnv(env), quiet);
    try {
      await until(async () => hits.length, (n) => n >= 2, 30_000);
      await new Promise((r) => setTimeout(r, 1500)); // nothing more comes: it was delivered once
    } finally {
      await second.ctx.close();
    }
    assert.deepEqual(hits.map((h) => h.attempt), ['1', '2']);
    for (const h of hits) {
      assert.equal(h.signature, sign(h.body, SECRET));
      assert.equal(JSON.parse(h.body).id, res.body.job.id);
      assert.equal(JSON.parse(h.body).status, 'succeeded');
    }
  } finally {
    hook.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a job that ends while the service stops (in its grace period) still has its webhook sent', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-webhook-stop-'));
  const env = { XXGK_WORKERS: '1', XXGK_SHUTDOWN_GRACE_SECONDS: '120', XXGK_CALLBACK_HOSTS: '127.0.0.1', XXGK_CALLBACK_SECRET: SECRET, ...testStoreEnv(), XXGK_DATA_DIR: dataDir };
  const hits: string[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push(body);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const callback = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  try {
    const { app, ctx } = createService(configFromEnv(env), pino({ level: 'silent' }));
    const res = await request(app).post(`/v1/jobs?filename=slow.txt&callbackUrl=${encodeURIComponent(callback)}`).set('Content-Type', 'text/plain').send(slowText(30_000, 'stop'));
    assert.equal(res.status, 202);
    // In its worker thread (a job stopped before it reaches one is handed back, not finished).
    const pool = (ctx.queue as unknown as { pools: { main: { idle: number } } }).pools.main;
    await until(async () => pool.idle, (n) => n === 0, 60_000);
    // Stopped mid-job: the job finishes in the grace period, and its delivery goes out before the process ends.
    await ctx.close();
    assert.deepEqual(hits.map((h) => [JSON.parse(h).id, JSON.parse(h).status]), [[res.body.job.id, 'succeeded']]);
  } finally {
    hook.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a receiver\'s answer is read to its end or dropped: its connections do not pile up', async () => {
  const open = new Set<unknown>();
  let hits = 0;
  // An answer with a body larger than the socket buffers: unread, it holds the connection open.
  const talkative = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits++;
      res.end(Buffer.alloc(4 << 20, 'x'));
    });
  });
  talkative.on('connection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((r) => talkative.listen(0, '127.0.0.1', r));
  const callback = `http://127.0.0.1:${(talkative.address() as AddressInfo).port}/hook`;
  try {
    for (let i = 0; i < 3; i++) {
      const res = await request(app).post(`/v1/jobs?filename=t${i}.txt&callbackUrl=${encodeURIComponent(callback)}`).set('Content-Type', 'text/plain').send(sample(`seeds/${seeds[i]}.txt`));
      assert.equal(res.status, 202);
      await until(async () => hits, (n) => n === i + 1, 30_000);
    }
    await until(async () => open.size, (n) => n <= 1, 10_000);
  } finally {
    talkative.closeAllConnections();
    talkative.close();
  }
});
