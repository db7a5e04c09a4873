/** No secret reaches the logs: the real service's whole output, with keys sent every way a client might. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { scrubUrl } from '../src/service/redact.js';
import { sample, seeds } from './support/fixtures.js';
import { CLI, freePort, healthy, start } from './support/process.js';
import { until } from './support/slow.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-logs-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const KEY = 'Zq8vT3kLm9PxR2wY7nB4cF6hJ1sD5gA0';
const OTHER_KEY = 'bob-key-4e1f0c9d2a7b';
const CALLBACK_SECRET = 'whsec-9b7c1e5a3d2f8e6a';
// Not configured anywhere: only the serializers can keep these out.
const WRONG_KEY = 'wrong-key-77d1c3a9e5';
const QUERY_TOKEN = 'qtok-5c8e2a9f1b3d';
const CALLBACK_TOKEN = 'cbtok-1a2b3c4d5e6f';
const COOKIE = 'sess-0f9e8d7c6b5a';

test('API keys, tokens and the webhook secret appear nowhere in the service output', async () => {
  const hooks: IncomingMessage[] = [];
  const hookServer = createServer((req, res) => {
    hooks.push(req);
    req.resume().on('end', () => res.end('ok'));
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  const hookPort = (hookServer.address() as { port: number }).port;
  after(() => hookServer.close());

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = await start([...CLI, 'serve', '--port', String(port)], healthy(`${base}/healthz`), {
    env: {
      ...process.env,
      XXGK_API_KEYS: `alice:${KEY},${OTHER_KEY}`,
      XXGK_CALLBACK_HOSTS: `127.0.0.1:${hookPort}`,
      XXGK_CALLBACK_SECRET: CALLBACK_SECRET,
      XXGK_DATA_DIR: dataDir,
      XXGK_WORKERS: '1',
      XXGK_LOG_LEVEL: 'debug',
      XXGK_SHUTDOWN_GRACE_SECONDS: '0',
    },
  });
  let output = '';
  try {
    const bearer = (k: string) => ({ Authorization: `Bearer ${k}` });
    assert.equal((await fetch(`${base}/v1/results`, { headers: bearer(KEY) })).status, 200);
    assert.equal((await fetch(`${base}/v1/results`, { headers: { authorization: `bearer ${OTHER_KEY}` } })).status, 200);
    assert.equal((await fetch(`${base}/v1/results`, { headers: bearer(WRONG_KEY) })).status, 403);
    // Keys in the query string are not accepted, but a client may still send them: they are logged with the URL.
    assert.equal((await fetch(`${base}/v1/results?api_key=${KEY}&key=${OTHER_KEY}`)).status, 401);
    assert.equal((await fetch(`${base}/v1/results?access_token=${encodeURIComponent(KEY)}&token=${QUERY_TOKEN}&q=1`, { headers: bearer(KEY) })).status, 200);
    assert.equal((await fetch(`${base}/v1/schema`, { headers: { ...bearer(KEY), 'X-Api-Key': KEY, Cookie: `session=${COOKIE}` } })).status, 200);
    assert.equal((await fetch(`${base}/no/such/route?key=${KEY}`, { headers: bearer(KEY) })).status, 404);

    // A job whose callback URL carries its own token; the webhook is signed with the secret.
    const callbackUrl = `http://127.0.0.1:${hookPort}/hook?token=${CALLBACK_TOKEN}`;
    const posted = await fetch(`${base}/v1/jobs?filename=seed.txt&callbackUrl=${encodeURIComponent(callbackUrl)}`, {
      method: 'POST', body: new Uint8Array(sample(`seeds/${seeds[0]}.txt`)), headers: { ...bearer(KEY), 'Content-Type': 'text/plain' },
    });
    assert.equal(posted.status, 202, await posted.clone().text());
    await until(async () => hooks.length, (n) => n > 0, 30_000);
    assert.match(String(hooks[0].headers['x-xxgk-signature']), /^sha256=[0-9a-f]{64}$/);
  } finally {
    const finished = await service.stop();
    output = finished.stdout + finished.stderr;
  }

  // The requests were logged (the test would pass vacuously on an empty log otherwise)...
  const lines = output.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { req?: { url: string; headers: Record<string, string> } });
  const urls = lines.flatMap((l) => (l.req ? [l.req.url] : []));
  assert.ok(urls.filter((u) => u.startsWith('/v1/results')).length >= 5, `request lines: ${urls.join(' ')}`);
  assert.ok(urls.some((u) => u.startsWith('/v1/jobs?')));
  assert.ok(urls.includes('/v1/results?api_key=[REDACTED]&key=[REDACTED]'), urls.join(' '));
  assert.ok(urls.includes('/v1/results?access_token=[REDACTED]&token=[REDACTED]&q=1'), urls.join(' '));
  const schemaLine = lines.find((l) => l.req?.url === '/v1/schema');
  assert.equal(schemaLine?.req?.headers.authorization, '[REDACTED]');
  assert.equal(schemaLine?.req?.headers['x-api-key'], '[REDACTED]');
  assert.equal(schemaLine?.req?.headers.cookie, '[REDACTED]');
  // ...and no secret, in any spelling, is in any line.
  for (const secret of [KEY, OTHER_KEY, CALLBACK_SECRET, WRONG_KEY, QUERY_TOKEN, CALLBACK_TOKEN, COOKIE]) {
    for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))])) {
      assert.ok(!output.includes(form), `${form} is in the logs:\n${output.split('\n').filter((l) => l.includes(form)).join('\n').slice(0, 2000)}`);
    }
  }
});

test('scrubUrl replaces credential parameters only, and keeps the rest of the URL as sent', () => {
  assert.equal(scrubUrl('/v1/jobs?filename=a%20b.pdf&wait=5'), '/v1/jobs?filename=a%20b.pdf&wait=5');
  assert.equal(scrubUrl('/v1/results?apiKey=x&Token=y&signature=z&sig=w&flag'), '/v1/results?apiKey=[REDACTED]&Token=[REDACTED]&signature=[REDACTED]&sig=[REDACTED]&flag');
  assert.equal(scrubUrl('/x?cb=https%3A%2F%2Fh%2Fp%3Fkey%3Ds%26a%3D1#frag'), `/x?cb=${encodeURIComponent('https://h/p?key=[REDACTED]&a=1')}#frag`);
  assert.equal(scrubUrl('/healthz'), '/healthz');
});
