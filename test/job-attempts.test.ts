/**
 * Only the attempt that owns a job ends it, on both stores. A worker whose lease ran out (stalled, cut
 * off) and whose job was handed to another must not finish it too: its late success writes no result
 * and its late failure changes nothing; the owner's end writes one result and one webhook delivery.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { convert } from '../src/pipeline.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { sample, seeds } from './support/fixtures.js';
import { postgresMissing, startCluster, type Cluster } from './support/postgres.js';

const missing = postgresMissing();

function suite(name: string, open: () => Promise<Store>, close: () => void, skip: string | false = false) {
  describe(name, { skip }, () => {
    let store: Store;
    before(async () => { store = await open(); });
    after(async () => {
      await store?.close();
      close();
    });

    test('a job taken over by a second attempt is ended by it alone, with one result and one delivery', async () => {
      const bytes = sample(`seeds/${seeds[2]}.txt`);
      const sha256 = await store.files.put(bytes);
      const id = crypto.randomUUID();
      await store.jobs.create({ id, owner: 'o', sha256, filename: 'a.txt', charset: null, optionsKey: 'v1', lane: 'main', callbackUrl: 'http://127.0.0.1:9/hook' });
      const report = await convert(bytes, { filename: 'a.txt', id });
      const first = await store.jobs.start(id);
      // Its lease ran out: the queue hands the job out again, to a second attempt.
      const second = await store.jobs.start(id);
      assert.deepEqual([first, second], [1, 2]);
      // The first attempt's progress no longer shows; the second's does.
      await store.jobs.progress(id, first!, 7, 9);
      assert.equal((await store.jobs.get(id))!.pagesDone, 0);
      await store.jobs.progress(id, second!, 1, 1);
      assert.deepEqual([(await store.jobs.get(id))!.pagesDone, (await store.jobs.get(id))!.pagesTotal], [1, 1]);
      assert.equal(await store.jobs.succeed(id, first!, { owner: 'o', optionsKey: 'v1', report }), false, 'the first attempt no longer owns the job');
      assert.equal(await store.results.get(report.id), null, 'and wrote no result');
      assert.equal(await store.jobs.fail(id, { code: 'TIMEOUT', status: 504, message: 'late' }, first!), false);
      assert.equal((await store.jobs.get(id))!.status, 'running');
      assert.equal(await store.jobs.succeed(id, second!, { owner: 'o', optionsKey: 'v1', report }), true);
      const done = (await store.jobs.get(id))!;
      assert.deepEqual([done.status, done.attempts, done.resultId], ['succeeded', 2, report.id]);
      assert.equal((await store.results.get(report.id))!.report.report.agency, report.report.agency);
      // Ended once: no later attempt starts it, and its one delivery is due.
      assert.equal(await store.jobs.start(id), null);
      const due = await store.deliveries.claim(10, 30_000);
      assert.deepEqual(due.map((d) => [d.job.id, d.attempt, d.url]), [[id, 1, 'http://127.0.0.1:9/hook']]);
      assert.deepEqual(await store.deliveries.claim(10, 30_000), [], 'claimed: out of reach of the next claim for its lease');
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-attempts-'));
suite('SQLite', async () => openStore({ dataDir, databaseUrl: null }), () => rmSync(dataDir, { recursive: true, force: true }));

let cluster: Cluster | null = null;
suite('PostgreSQL', async () => {
  cluster = await startCluster();
  return openStore({ dataDir, databaseUrl: cluster.createDatabase() });
}, () => cluster?.stop(), missing ?? false);
