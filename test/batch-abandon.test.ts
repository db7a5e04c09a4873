/**
 * A second Ctrl-C on `batch --server` abandons the files in flight: the CLI, run as a real child process
 * against a service whose job never finishes, must exit 130 at once (not when the remote deadline,
 * 30 minutes by default, ends its polling) and cancel the job on the service.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { repoRoot } from './support/fixtures.js';
import { until } from './support/slow.js';

/** Far below the remote deadline: a process still alive by then kept polling a job nobody waits for. */
const EXIT_BOUND_MS = 120_000;

interface Service {
  url: string;
  seen: string[];
  /** Resolves once the service holds the file's conversion (the moment to press Ctrl-C). */
  busy: Promise<void>;
}

/** A loopback service that takes the upload and never finishes it: `holdUpload` never answers the
 * POST; otherwise it answers 202 and reports the job running for ever. */
async function endlessService(t: TestContext, holdUpload: boolean): Promise<Service> {
  const seen: string[] = [];
  let busy!: () => void;
  const busyNow = new Promise<void>((r) => (busy = r));
  const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((req: IncomingMessage, res) => {
    req.resume();
    const path = new URL(req.url!, 'http://x').pathname;
    seen.push(`${req.method} ${path}`);
    if (path === '/healthz' || path === '/v1/schema') return json(res, 200, {});
    if (req.method === 'POST' && path === '/v1/convert') {
      return req.on('end', () => (holdUpload ? busy() : json(res, 202, { job: { id: 'job-1', status: 'queued' } })));
    }
    if (path === '/v1/jobs/job-1' && req.method === 'GET') {
      busy();
      return json(res, 200, { job: { id: 'job-1', status: 'running' } });
    }
    if (path === '/v1/jobs/job-1' && req.method === 'DELETE') return json(res, 200, { job: { id: 'job-1', status: 'cancelled' } });
    json(res, 404, { error: { code: 'NOT_FOUND', message: path } });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.closeAllConnections());
  t.after(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, busy: busyNow };
}

/** Runs the CLI's batch on one file through `service`, presses Ctrl-C twice while the file is in flight. */
async function abandonBatch(t: TestContext, service: Service): Promise<{ outcome: [number | null, NodeJS.Signals | null]; stderr: string }> {
  const root = mkdtempSync(join(tmpdir(), 'xxgk-abandon-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'in'));
  writeFileSync(join(root, 'in', 'a.txt'), '某某区人民政府2023年政府信息公开工作年度报告\n');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'batch', join(root, 'in'), '--out', join(root, 'out'), '--server', service.url], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  t.after(() => child.kill('SIGKILL'));

  await service.busy;
  child.kill('SIGINT');
  await until(async () => stderr, (s) => s.includes('Ctrl-C again'), 60_000).catch(() => assert.fail(`the first Ctrl-C was not acknowledged:\n${stderr}`));
  child.kill('SIGINT');

  let bound: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([exited, new Promise<'alive'>((r) => (bound = setTimeout(() => r('alive'), EXIT_BOUND_MS)))]);
  clearTimeout(bound);
  assert.notEqual(outcome, 'alive', `the batch was still running ${EXIT_BOUND_MS / 1000} s after the second Ctrl-C; requests: ${service.seen.join(', ')}\n${stderr}`);
  return { outcome: outcome as [number | null, NodeJS.Signals | null], stderr };
}

test('batch --server: the second Ctrl-C stops polling, cancels the job on the service, exits 130', async (t) => {
  const service = await endlessService(t, false);
  const { outcome, stderr } = await abandonBatch(t, service);
  assert.deepEqual(outcome, [130, null], stderr);
  assert.ok(service.seen.includes('DELETE /v1/jobs/job-1'), `no DELETE of the abandoned job; requests: ${service.seen.join(', ')}`);
  assert.match(stderr, /ABANDONED/);
});

test('batch --server: the second Ctrl-C also ends an upload the service has not answered yet', async (t) => {
  const service = await endlessService(t, true);
  const { outcome, stderr } = await abandonBatch(t, service);
  assert.deepEqual(outcome, [130, null], stderr);
  assert.deepEqual(service.seen, ['GET /healthz', 'GET /v1/schema', 'POST /v1/convert']);
  assert.match(stderr, /ABANDONED/);
});
