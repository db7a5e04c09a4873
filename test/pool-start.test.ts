/**
 * Worker threads start after the service has loaded, not while it loads (issue #13): each imports the
 * pipeline, and on two cores three of them slowed `serve` to /readyz. A pool starts its threads at
 * start() or at its first task, and that task still converts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultLimits } from '../src/intake/limits.js';
import { WorkerPool } from '../src/jobs/pool.js';
import type { Report } from '../src/model/report.js';

const text = readFileSync(join(import.meta.dirname, '../samples/seeds/003_7d78940555e26d72.txt'));

test('a pool starts no thread until its first task, which starts them all and converts', async () => {
  const pool = new WorkerPool(2, 'convert');
  try {
    assert.equal(pool.threads, 0, 'threads started with the pool');
    const { outcome } = pool.run({ bytes: text, filename: 'a.txt', charset: null, limits: defaultLimits, reviewThreshold: 0.8, id: 'pool-start' }, 120_000, () => {});
    assert.equal(pool.threads, 2);
    const result = await outcome;
    assert.ok(result.ok, JSON.stringify(result));
    const report = result.report as Report;
    assert.equal(report.source.pages, 1);
    assert.ok(report.tables.length > 0, 'the text gave no table');
  } finally {
    await pool.close();
  }
});

test('start() starts the threads once; a closed pool starts none', async () => {
  const pool = new WorkerPool(1, 'convert');
  pool.start();
  pool.start();
  assert.equal(pool.threads, 1);
  await pool.close();
  const closed = new WorkerPool(1, 'convert');
  await closed.close();
  closed.start();
  assert.equal(closed.threads, 0);
});
