/** The service's error handler on a response that had already begun: the client must not be left waiting. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import express from 'express';
import { errorHandler } from '../src/service/errors.js';

// Without the close the client waits for bytes that never come: the test's own time limit fails it.
test('a route that fails after its headers were sent has its connection closed and the error logged', { timeout: 60_000 }, async () => {
  const logged: unknown[] = [];
  const app = express();
  app.get('/half', (_req, res, next) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
    res.write('{"partial":');
    next(new Error('the rest could not be produced'));
  });
  app.use(errorHandler(1024, (err) => logged.push(err)));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/half`;
    await assert.rejects(async () => (await fetch(url)).text());
    assert.equal(logged.length, 1);
    assert.match(String((logged[0] as Error).message), /could not be produced/);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
