/** Completion webhooks: delivered signed to an allowlisted local receiver, refused for other hosts. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import request from 'supertest';
import { SIGNATURE_HEADER, sign } from '../src/service/webhooks.js';
import { testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';

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
