/**
 * The reviewer's day on the API: the results list a page at a time with a needsReview filter and counts
 * that follow each save; the agency, year and title corrected like cells (version, 409, history) and
 * served; and who a correction is recorded as, with and without API keys.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import request from 'supertest';
import type { ResultEntry, ResultList } from '../src/api/wire.js';
import { queuedCells } from '../src/check/queue.js';
import type { Report } from '../src/model/report.js';
import { schemaErrors } from '../src/model/validate.js';
import { testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';

const open = testApp({ XXGK_USER_NAME: 'service-user' });
const keyed = testApp({ XXGK_API_KEYS: 'alice:alice-key-123' });
const ALICE = 'Bearer alice-key-123';

/** seed name → result id, in the order converted (the list shows the newest first). */
const ids = new Map<string, string>();

const convert = async (app: typeof open.app, seed: string, auth?: string) => {
  let req = request(app).post(`/v1/convert?filename=${seed}.txt&refresh=true`).set('Content-Type', 'text/plain');
  if (auth) req = req.set('Authorization', auth);
  const res = await req.send(sample(`seeds/${seed}.txt`));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Report;
};
const list = async (query = '') => {
  const res = await request(open.app).get(`/v1/results${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as ResultList;
};
const served = async (id: string) => (await request(open.app).get(`/v1/results/${id}`)).body as Report;
const history = async (id: string) => (await request(open.app).get(`/v1/results/${id}/corrections`)).body;

before(async () => {
  // One at a time, so that each is newer than the one before.
  for (const s of seeds) ids.set(s, (await convert(open.app, s)).id);
});

test('the list comes a page at a time, newest first, and every page joins up to the whole list', async () => {
  const all = await list();
  assert.equal(all.nextCursor, null, 'without limit the list is whole, as before paging');
  assert.deepEqual(all.results.map((r) => r.id), [...ids.values()].reverse());
  assert.deepEqual(all.counts, { results: 5, needsReview: 2 });

  const pages: ResultEntry[][] = [];
  let cursor: string | null = null;
  do {
    const page: ResultList = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    pages.push(page.results);
    cursor = page.nextCursor;
  } while (cursor);
  assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
  assert.deepEqual(pages.flat().map((r) => r.id), all.results.map((r) => r.id));

  for (const [query, why] of [['?limit=0', /limit/], ['?limit=abc', /limit/], ['?cursor=no-such-result', /cursor/], ['?needsReview=yes', /needsReview/]] as const) {
    const res = await request(open.app).get(`/v1/results${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.error.code, 'BAD_QUERY');
    assert.match(res.body.error.message, why);
  }
});

test('needsReview keeps the results with cells in the queue, and queued counts them as the review screen does', async () => {
  const needing = await list('?needsReview=true');
  // 002 has seven cells under the threshold; 000's prose cross-check fails (一、总体情况 says 5, the table 191).
  assert.deepEqual(needing.results.map((r) => r.id), [ids.get(seeds[2]), ids.get(seeds[0])]);
  for (const entry of (await list()).results) {
    const report = await served(entry.id);
    assert.equal(entry.queued, queuedCells(report.tables, report.checks, report.warnings, 0.9).size, `${entry.filename}: queued as the review screen's queue`);
  }
  const paged = await list('?needsReview=true&limit=1');
  assert.equal(paged.results[0].id, ids.get(seeds[2]));
  assert.equal((await list(`?needsReview=true&limit=1&cursor=${paged.nextCursor}`)).results[0].id, ids.get(seeds[0]));
});

test('q finds results by agency, file name and year, every word, with the filter and a page at a time', async () => {
  const found = async (query: string) => (await list(query)).results.map((r) => r.id);
  assert.deepEqual(await found(`?q=${encodeURIComponent('同心')}`), [ids.get(seeds[3])]);
  assert.deepEqual(await found(`?q=${encodeURIComponent('鸭河  2019')}`), [ids.get(seeds[2])]);
  assert.deepEqual(await found(`?q=${encodeURIComponent('鸭河 2020')}`), []);
  assert.deepEqual(await found('?q=002_428DB'), [ids.get(seeds[2])], 'the file name, whatever the case');
  assert.equal((await found('?q=.TXT')).length, 5);
  assert.deepEqual(await found(`?q=${encodeURIComponent('人民政府')}&needsReview=true`), [], 'the two needing review are 鸭河工区管委会 and 卫东区');
  const first = await list(`?q=${encodeURIComponent('人民政府')}&limit=1`);
  assert.deepEqual(first.results.map((r) => r.agency), ['洪江市岩垅乡人民政府']);
  assert.deepEqual(first.counts, { results: 5, needsReview: 2 }, 'the counts stay over every result');
  assert.deepEqual((await list(`?q=${encodeURIComponent('人民政府')}&limit=5&cursor=${first.nextCursor}`)).results.map((r) => r.agency), ['同心县人民政府办公室', '赤门乡人民政府']);
  const tooLong = await request(open.app).get(`/v1/results?q=${'x'.repeat(201)}`);
  assert.equal(tooLong.status, 400);
  assert.match(tooLong.body.error.message, /q must/);
});

test('a save that clears the queue updates the list: queued, counts, version, and the filter', async () => {
  const id = ids.get(seeds[2])!;
  const report = await served(id);
  const queued = [...queuedCells(report.tables, report.checks, report.warnings, 0.9)];
  assert.equal(queued.length, 7);
  const cells = new Map(report.tables.flatMap((t) => t.cells).map((c) => [c.key, c]));
  // The reviewer confirms each queued cell as it stands (Enter, then save).
  const changes = queued.map((key) => ({ key, value: cells.get(key)!.value }));
  const saved = await request(open.app).put(`/v1/results/${id}/corrections`).send({ baseVersion: 0, changes });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const entry = (await list()).results.find((r) => r.id === id)!;
  assert.equal(entry.queued, 0);
  assert.equal(entry.lowConfidence, 0);
  assert.equal(entry.version, 1);
  const needing = await list('?needsReview=true');
  assert.deepEqual(needing.results.map((r) => r.id), [ids.get(seeds[0])]);
  assert.deepEqual(needing.counts, { results: 5, needsReview: 1 });
});

test('the agency, year and title are corrected like cells: served with manual evidence, in the history, listed, 409 when stale', async () => {
  const id = ids.get(seeds[3])!;
  const before = await served(id);
  assert.equal(before.report.agency, '同心县人民政府办公室');
  const changes = [
    { key: 'report.agency', value: '  同心县人民政府 ' },
    { key: 'report.year', value: 2022 },
    { key: 'report.title', value: '同心县人民政府2022年政府信息公开工作年度报告' },
  ];
  const saved = await request(open.app).put(`/v1/results/${id}/corrections`).send({ baseVersion: 0, changes, reviewer: '王审核' });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  // The same bytes sent again are answered from the cache, as corrected, like the result route.
  const cached = await request(open.app).post('/v1/convert?filename=again.txt').set('Content-Type', 'text/plain').send(sample(`seeds/${seeds[3]}.txt`));
  assert.equal(cached.body.id, id);
  for (const report of [saved.body.report as Report, await served(id), cached.body as Report]) {
    assert.deepEqual(schemaErrors(report), []);
    assert.equal(report.report.agency, '同心县人民政府');
    assert.equal(report.report.year, 2022);
    assert.equal(report.report.title, '同心县人民政府2022年政府信息公开工作年度报告');
    assert.deepEqual(report.report.fields.agency, { value: '同心县人民政府', confidence: 1, evidence: { source: 'manual', page: null, text: '同心县人民政府' } });
    assert.equal(report.report.fields.year.evidence?.source, 'manual');
    assert.notEqual(report.report.agencyKey, before.report.agencyKey, 'the grouping key follows the corrected agency');
    assert.equal(report.report.division?.county, '同心县');
  }
  const h = await history(id);
  assert.equal(h.version, 1);
  const agency = h.corrections.find((c: { key: string }) => c.key === 'report.agency');
  assert.deepEqual({ ...agency, at: undefined }, {
    key: 'report.agency', oldValue: null, newValue: null, oldText: '同心县人民政府办公室', newText: '同心县人民政府',
    oldState: 'text', newState: 'text', who: '王审核', at: undefined, version: 1,
  });
  const year = h.corrections.find((c: { key: string }) => c.key === 'report.year');
  assert.deepEqual([year.oldValue, year.newValue, year.oldText, year.newText], [2023, 2022, null, null]);
  const entry = (await list()).results.find((r) => r.id === id)!;
  assert.deepEqual([entry.agency, entry.year], ['同心县人民政府', 2022]);

  const stale = await request(open.app).put(`/v1/results/${id}/corrections`).send({ baseVersion: 0, changes: [{ key: 'report.agency', value: '别的机关' }] });
  assert.equal(stale.status, 409);
  assert.equal((await served(id)).report.agency, '同心县人民政府');

  for (const [change, why] of [
    [{ key: 'report.year', value: 1800 }, /year/], [{ key: 'report.year', value: '2022' }, /year/],
    [{ key: 'report.agency', value: '   ' }, /agency/], [{ key: 'report.title', value: 5 }, /title/],
  ] as const) {
    const res = await request(open.app).put(`/v1/results/${id}/corrections`).send({ baseVersion: 1, changes: [change] });
    assert.equal(res.status, 422, JSON.stringify(change));
    assert.match(res.body.error.message, why);
  }
  assert.equal((await history(id)).version, 1, 'a refused save writes nothing');
});

test('who a correction is recorded as: the reviewer name sent without API keys, the key name with them', async () => {
  const id = ids.get(seeds[4])!;
  const key = (await served(id)).tables[0].cells.find((c) => c.state === 'number')!.key;
  const put = (baseVersion: number, extra: object) => request(open.app).put(`/v1/results/${id}/corrections`).send({ baseVersion, changes: [{ key, value: 1 }], ...extra });
  assert.equal((await put(0, { reviewer: '李四' })).status, 200);
  assert.equal((await put(1, {})).status, 200);
  const tooLong = await put(2, { reviewer: '名'.repeat(61) });
  assert.equal(tooLong.status, 422);
  assert.match(tooLong.body.error.message, /reviewer/);
  assert.deepEqual((await history(id)).corrections.map((c: { who: string }) => c.who), ['李四', 'service-user']);

  const report = await convert(keyed.app, seeds[4], ALICE);
  const res = await request(keyed.app).put(`/v1/results/${report.id}/corrections`).set('Authorization', ALICE)
    .send({ baseVersion: 0, changes: [{ key, value: 1 }], reviewer: '冒名者' });
  assert.equal(res.status, 200);
  const h = await request(keyed.app).get(`/v1/results/${report.id}/corrections`).set('Authorization', ALICE);
  assert.deepEqual(h.body.corrections.map((c: { who: string }) => c.who), ['alice']);
});
