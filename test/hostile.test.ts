/** Hostile inputs from issue #13: each gets the 4xx that fits (or is converted), never a 500 or a hang. */
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import request from 'supertest';
import yauzl from 'yauzl';
import { extractHtml } from '../src/extract/html.js';
import { defaultLimits } from '../src/intake/limits.js';
import { zip } from '../src/output/zip.js';
import { testApp } from './support/app.js';
import { sample, seeds } from './support/fixtures.js';
import { CLI, freePort, healthy, run, start, type Running } from './support/process.js';

const { app, errors } = testApp();
const seedText = (i: number) => sample(`seeds/${seeds[i]}.txt`).toString('utf8');
const MIB = 2 ** 20;

function assertError(res: request.Response, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
  assert.ok(res.body.error.message.length > 20, 'the message says what is wrong');
}

// A long wait: the machine may be busy, and a 202 would say nothing about the answer.
const raw = (body: Buffer, contentType: string, filename = 'upload') =>
  request(app).post(`/v1/convert?wait=300&filename=${encodeURIComponent(filename)}`).set('Content-Type', contentType).send(body);

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

test('a table cell holding a million elements is read, not a stack overflow', async () => {
  const html = `<html><body><table><tr><td>主动公开${'<br>'.repeat(1_000_000)}</td><td>12</td></tr></table></body></html>`;
  const res = await raw(Buffer.from(html), 'text/html', 'wide.html');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.genericTables[0].cells.map((c: { text: string }) => c.text), ['主动公开', '12']);
});

test('an HTML page of one 49 MB line converts, read as lines of sentence length', async () => {
  // A crawler's save: the whole page on one line, its body the report's text over and over.
  const page = sample(`html/${seeds[0]}.html`).toString('utf8').replace(/\r?\n/g, ' ');
  const prose = seedText(0).replace(/\n/g, ' ');
  const body = `<p>${prose.repeat(Math.ceil((49 * MIB - page.length) / Buffer.byteLength(prose)))}</p>`;
  const html = Buffer.from(page.replace('<body>', `<body>${body}`));
  assert.ok(html.length > 49 * MIB && html.length < 50 * MIB && !html.includes(0x0a));
  // No line reaches the reconstruction at the length of the page: it scans every line many times.
  const longest = extractHtml(html, null, defaultLimits).blocks.reduce((n, b) => Math.max(n, b.kind === 'line' ? b.text.length : 0), 0);
  assert.ok(longest <= 2000, `a line of ${longest} characters`);
  const res = await raw(html, 'text/html', 'one-line.html');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.report.template, 'gov2019');
  assert.equal(res.body.summary.filled, 198);
  assert.equal(res.body.summary.checksFailed, 0);
});

/** The parts of a real DOCX sample, to build bigger ones from. */
async function docxParts(name: string): Promise<{ name: string; data: Buffer }[]> {
  const z = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(sample(name), { lazyEntries: true }, (e, f) => (e ? reject(e) : resolve(f!))));
  const parts: { name: string; data: Buffer }[] = [];
  await new Promise<void>((resolve, reject) => {
    z.on('entry', (e: yauzl.Entry) => z.openReadStream(e, (err, s) => {
      if (err) return reject(err);
      const chunks: Buffer[] = [];
      s!.on('data', (c: Buffer) => chunks.push(c)).on('end', () => { parts.push({ name: e.fileName, data: Buffer.concat(chunks) }); z.readEntry(); });
    }));
    z.on('end', resolve);
    z.readEntry();
  });
  return parts;
}

test('a DOCX inflating to 190 MB (within the 200 MB budget) of which 189 MB is an image converts', async () => {
  const parts = await docxParts(`docx/${seeds[0]}.docx`);
  const docx = await zip([...parts, { name: 'word/media/image1.png', data: Buffer.alloc(189 * MIB) }]);
  const res = await raw(docx, 'application/octet-stream', 'big.docx');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.report.template, 'gov2019');
  assert.equal(res.body.summary.filled, 198);
});

test('a DOCX whose document.xml alone inflates to 190 MB: 413 naming the part, not a crashed worker', async () => {
  const parts = await docxParts(`docx/${seeds[0]}.docx`);
  const doc = parts.find((p) => p.name === 'word/document.xml')!;
  const para = '<w:p><w:r><w:t>The agency published 1200 items of government information this year.</w:t></w:r></w:p>';
  const padding = para.repeat(Math.ceil((190 * MIB - doc.data.length) / para.length));
  const xml = doc.data.toString('utf8').replace('<w:sectPr', `${padding}<w:sectPr`);
  const docx = await zip(parts.map((p) => (p === doc ? { name: p.name, data: xml } : p)));
  const res = await raw(docx, 'application/octet-stream', 'big.docx');
  assertError(res, 413, 'DOCX_TOO_LARGE');
  assert.match(res.body.error.message, /word\/document\.xml .*XXGK_MAX_BYTES/);
});

test('nothing above logged an internal error', () => {
  assert.deepEqual(errors, []);
});

// The real server (`serve`, its timeouts) as a child process, run by an unprivileged user when the tests
// run as root, so that a folder made read-only really refuses writes.
const CLIENT_TIMEOUT_SECONDS = 1;
let served: { svc: Running; port: number; dataDir: string };

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-hostile-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dataDir, 65534, 65534);
  const port = await freePort();
  const env = { ...process.env, XXGK_DATA_DIR: dataDir, XXGK_WORKERS: '1', XXGK_CLIENT_TIMEOUT_SECONDS: String(CLIENT_TIMEOUT_SECONDS), XXGK_LOG_LEVEL: 'error' };
  const svc = await start([...CLI, 'serve', '--port', String(port)], healthy(`http://127.0.0.1:${port}/healthz`), { env, ...(asRoot && { uid: 65534, gid: 65534 }), timeoutMs: 60_000 });
  served = { svc, port, dataDir };
});

after(async () => {
  await served?.svc.stop();
  if (served) rmSync(served.dataDir, { recursive: true, force: true });
});

/**
 * Sends `head` at once, then one piece of `drip` every 200 ms, and resolves with everything the server
 * answered once it closes the connection (or once the drip is exhausted and 3 s more have passed).
 */
function trickle(head: string, drip: (i: number) => string, pieces = 100): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(served.port, '127.0.0.1', () => socket.write(head));
    let i = 0;
    const timer = setInterval(() => {
      if (i++ < pieces) socket.write(drip(i));
      else if (i > pieces + 15) socket.destroy();
    }, 200);
    socket.setEncoding('utf8').on('data', (d: string) => (answer += d));
    socket.on('error', () => {});
    socket.on('close', () => { clearInterval(timer); resolve(answer); });
  });
}

test('headers trickled one line at a time: 408 and the connection is closed', async () => {
  const answer = await trickle('POST /v1/convert HTTP/1.1\r\nHost: localhost\r\n', (i) => `X-Slow-${i}: 1\r\n`);
  assert.match(answer, /^HTTP\/1\.1 408 /, answer || 'the server never answered');
});

test('a body trickled one byte at a time: 408 with a JSON error, and the connection is closed', async () => {
  const head = 'POST /v1/convert?filename=slow.txt HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n';
  const answer = await trickle(head, () => 'a');
  assert.match(answer, /^HTTP\/1\.1 408 /, answer || 'the server never answered');
  const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'BODY_TIMEOUT');
  assert.match(body.error.message, /XXGK_CLIENT_TIMEOUT_SECONDS/);
});

test('a data folder that turned read-only: 503 naming the storage, and the service keeps answering', async () => {
  const files = join(served.dataDir, 'files');
  chmodSync(files, 0o555);
  try {
    const res = await fetch(`http://127.0.0.1:${served.port}/v1/convert?filename=a.txt`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: seedText(2) });
    const body = await res.json() as { error: { code: string; message: string } };
    assert.equal(res.status, 503, JSON.stringify(body));
    assert.equal(body.error.code, 'STORAGE_UNAVAILABLE');
    assert.match(body.error.message, /file store in the data folder \(XXGK_DATA_DIR\): EACCES/);
  } finally {
    chmodSync(files, 0o755);
  }
  const again = await fetch(`http://127.0.0.1:${served.port}/v1/convert?filename=a.txt`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: seedText(2) });
  assert.equal(again.status, 200);
});

test('serve on a read-only data folder exits 1 naming the folder', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-readonly-'));
  chmodSync(dataDir, 0o555);
  try {
    const asRoot = process.getuid?.() === 0;
    const f = await run([...CLI, 'serve', '--port', String(await freePort())], { env: { ...process.env, XXGK_DATA_DIR: dataDir }, ...(asRoot && { uid: 65534, gid: 65534 }) });
    assert.equal(f.code, 1, f.stderr);
    assert.match(f.stderr, new RegExp(`Cannot open the database in the data folder ${dataDir} \\(XXGK_DATA_DIR\\)`));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
