/** The corrections API: save, history with who/when/old/new, corrected values served, 409 on a stale save, 422 on bad input. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { schemaErrors } from '../src/model/validate.js';
import { testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';

const { app } = testApp({ XXGK_API_KEYS: 'alice:alice-key-123,bob:bob-key-456', XXGK_SHARED_RESULTS: 'true' });
const as = (who: 'alice' | 'bob') => `Bearer ${who}-key-${who === 'alice' ? '123' : '456'}`;

// 卫东区 2019 with one digit changed: 158 instead of 156 breaks two checks.
const text = sample(`seeds/${seeds[0]}.txt`).toString('utf8').replace('一、本年新收政府信息公开申请数量 | 156 |', '一、本年新收政府信息公开申请数量 | 158 |');
const KEY = 'applications.newReceived.naturalPerson';

async function convertChanged() {
  const res = await request(app).post('/v1/convert?filename=c.txt&refresh=true').set('Authorization', as('alice')).set('Content-Type', 'text/plain').send(Buffer.from(text));
  assert.equal(res.status, 200);
  return res.body.id as string;
}

test('a correction that makes the failing checks hold is saved, served and kept in the history', async () => {
  const id = await convertChanged();
  const before = await request(app).get(`/v1/results/${id}`).set('Authorization', as('alice'));
  assert.equal(before.body.summary.checksFailed, 2);
  const history0 = await request(app).get(`/v1/results/${id}/corrections`).set('Authorization', as('alice'));
  assert.deepEqual(history0.body, { resultId: id, version: 0, corrections: [] });

  const saved = await request(app).put(`/v1/results/${id}/corrections`).set('Authorization', as('alice')).send({ baseVersion: 0, changes: [{ key: KEY, value: 156 }] });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.version, 1);

  const after = await request(app).get(`/v1/results/${id}`).set('Authorization', as('bob'));
  assert.deepEqual(schemaErrors(after.body), []);
  const cell = after.body.tables.flatMap((t: { cells: unknown[] }) => t.cells).find((c: { key: string }) => c.key === KEY);
  assert.equal(cell.value, 156);
  assert.equal(cell.state, 'number');
  assert.equal(cell.confidence, 1);
  assert.equal(cell.evidence.source, 'manual');
  assert.deepEqual(cell.flags, []);
  assert.equal(after.body.summary.checksFailed, 0);
  assert.ok(after.body.checks.every((c: { holds: boolean; soft?: boolean }) => c.holds || c.soft));
  // The prose cross-check survives the correction: 一、总体情况 says 5 applications, the table 191.
  assert.equal(after.body.checks.find((c: { id: string }) => c.id === 'prose.applications.newReceived.total')?.holds, false);

  const history = await request(app).get(`/v1/results/${id}/corrections`).set('Authorization', as('bob'));
  assert.equal(history.body.version, 1);
  assert.equal(history.body.corrections.length, 1);
  const [h] = history.body.corrections;
  assert.equal(h.key, KEY);
  assert.equal(h.oldValue, 158);
  assert.equal(h.newValue, 156);
  assert.equal(h.who, 'alice');
  assert.ok(Date.now() - Date.parse(h.at) < 60_000);
});

test('a save against a version someone else moved on is refused with 409 and changes nothing', async () => {
  const id = await convertChanged();
  const first = await request(app).put(`/v1/results/${id}/corrections`).set('Authorization', as('bob')).send({ baseVersion: 0, changes: [{ key: KEY, value: 156 }] });
  assert.equal(first.status, 200);
  const stale = await request(app).put(`/v1/results/${id}/corrections`).set('Authorization', as('alice')).send({ baseVersion: 0, changes: [{ key: KEY, value: 157 }] });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'CONFLICT');
  assert.match(stale.body.error.message, /saved by bob/);
  const history = await request(app).get(`/v1/results/${id}/corrections`).set('Authorization', as('alice'));
  assert.deepEqual(history.body.corrections.map((c: { newValue: number }) => c.newValue), [156]);
});

test('bad corrections answer 422; no key 401; a wrong key 403; an unknown result 404', async () => {
  const id = await convertChanged();
  const put = (body: unknown, auth = as('alice')) => request(app).put(`/v1/results/${id}/corrections`).set('Authorization', auth).send(body as object);
  for (const body of [
    { baseVersion: 0, changes: [{ key: 'applications.nothing.total', value: 1 }] },
    { baseVersion: 0, changes: [{ key: KEY, value: 'abc' }] },
    { baseVersion: 0, changes: [{ key: KEY, value: 1 }, { key: KEY, value: 2 }] },
    { baseVersion: 0, changes: [] },
    { changes: [{ key: KEY, value: 1 }] },
  ]) {
    const res = await put(body);
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.equal(res.body.error.code, 'BAD_CORRECTION');
  }
  assert.equal((await request(app).put(`/v1/results/${id}/corrections`).send({ baseVersion: 0, changes: [{ key: KEY, value: 1 }] })).status, 401);
  assert.equal((await put({ baseVersion: 0, changes: [{ key: KEY, value: 1 }] }, 'Bearer wrong')).status, 403);
  assert.equal((await request(app).put('/v1/results/nope/corrections').set('Authorization', as('alice')).send({ baseVersion: 0, changes: [{ key: KEY, value: 1 }] })).status, 404);
  const history = await request(app).get(`/v1/results/${id}/corrections`).set('Authorization', as('alice'));
  assert.deepEqual(history.body.corrections, []);
});
