/** API keys on every route but /healthz; results visible only to the key that made them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { openapi } from '../src/service/openapi.js';
import { testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';

const { app } = testApp({ XXGK_API_KEYS: 'alice:alice-key-123,bob:bob-key-456' });
const routes = Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m as 'get' | 'post' | 'delete', path: path.replace('{id}', 'x') })));

test('without a key every route but /healthz answers 401; with a wrong key 403', async () => {
  assert.ok(routes.length >= 12);
  for (const { method, path } of routes) {
    const none = await request(app)[method](path);
    const wrong = await request(app)[method](path).set('Authorization', 'Bearer nope');
    if (path === '/healthz') {
      assert.equal(none.status, 200);
      continue;
    }
    assert.equal(none.status, 401, `${method} ${path}`);
    assert.equal(none.body.error.code, 'UNAUTHENTICATED');
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assert.equal(wrong.status, 403, `${method} ${path}`);
    assert.equal(wrong.body.error.code, 'FORBIDDEN');
  }
});

test("a result is visible to the key that made it, not to another key", async () => {
  const made = await request(app).post('/v1/convert?filename=a.txt').set('Authorization', 'Bearer alice-key-123').set('Content-Type', 'text/plain').send(sample(`seeds/${seeds[3]}.txt`));
  assert.equal(made.status, 200);
  const id = made.body.id;
  assert.equal((await request(app).get(`/v1/results/${id}`).set('Authorization', 'Bearer alice-key-123')).status, 200);
  const bob = await request(app).get(`/v1/results/${id}`).set('Authorization', 'Bearer bob-key-456');
  assert.equal(bob.status, 404);
  const bobList = await request(app).get('/v1/results').set('Authorization', 'Bearer bob-key-456');
  assert.deepEqual(bobList.body.results, []);
  // Bob's upload of the same bytes is converted for Bob, not served from Alice's cache.
  const bobOwn = await request(app).post('/v1/convert?filename=a.txt').set('Authorization', 'Bearer bob-key-456').set('Content-Type', 'text/plain').send(sample(`seeds/${seeds[3]}.txt`));
  assert.notEqual(bobOwn.body.id, id);
});
