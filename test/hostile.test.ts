/** Hostile inputs from issue #13: each gets the 4xx that fits (or is converted), never a 500 or a hang. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';

const { app, errors } = testApp();
const seedText = (i: number) => sample(`seeds/${seeds[i]}.txt`).toString('utf8');

function assertError(res: request.Response, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
  assert.ok(res.body.error.message.length > 20, 'the message says what is wrong');
}

const raw = (body: Buffer, contentType: string, filename = 'upload') =>
  request(app).post(`/v1/convert?filename=${encodeURIComponent(filename)}`).set('Content-Type', contentType).send(body);

test('corrections sent as charset=latin1: 415', async () => {
  const made = await raw(Buffer.from(seedText(3)), 'text/plain', 'seed.txt');
  assert.equal(made.status, 200);
  const res = await request(app).put(`/v1/results/${made.body.id}/corrections`).set('Content-Type', 'application/json; charset=latin1')
    .send(Buffer.from(JSON.stringify({ baseVersion: 0, changes: [] }), 'latin1'));
  assertError(res, 415, 'UNSUPPORTED_CHARSET');
});

test('an unsupported Content-Encoding: 415', async () => {
  const res = await request(app).post('/v1/convert?filename=a.txt').set('Content-Type', 'text/plain').set('Content-Encoding', 'zstd-nonsense').send(Buffer.from('x'));
  assertError(res, 415, 'UNSUPPORTED_CONTENT_ENCODING');
});

test('multipart without its closing boundary, or with a malformed part header: 400', async () => {
  const head = '--XB\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n';
  const open = await raw(Buffer.from(`${head}${seedText(3)}`), 'multipart/form-data; boundary=XB');
  assertError(open, 400, 'BAD_MULTIPART');
  const malformed = await raw(Buffer.from(`--XB\r\nContent-Disposition form-data \u0000\r\n\r\nabc\r\n--XB--\r\n`), 'multipart/form-data; boundary=XB');
  assertError(malformed, 400, 'BAD_MULTIPART');
});

test('an SVG is not a text report: 415', async () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="0" y="5">主动公开 12</text></svg>';
  assertError(await raw(Buffer.from(svg), 'application/octet-stream', 'pic.svg'), 415, 'UNSUPPORTED_TYPE');
  assertError(await raw(Buffer.from(`<?xml version="1.0"?>\n<!-- drawn -->\n${svg}`), 'image/svg+xml'), 415, 'UNSUPPORTED_TYPE');
});

test('UTF-16LE text without a BOM, declared as charset=utf-16le, is decoded', async () => {
  const res = await raw(Buffer.from(seedText(3), 'utf16le'), 'text/plain; charset=utf-16le', 'seed.txt');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.report.agency, '同心县人民政府办公室');
  assert.equal(res.body.report.template, 'gov2021');
});

test('nothing above logged an internal error', () => {
  assert.deepEqual(errors, []);
});
