/**
 * deploy/compose.yaml, run as it says without containers (no registry is reachable here): each of its
 * app services started with its own command and environment on a throwaway PostgreSQL, its health check
 * run as written, and a job sent to the API converted by the worker. Only what cannot hold outside
 * compose is replaced: the database host, the ports, and `node dist/cli/main.js` by the sources
 * (the same entry, not built).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { compose, composePort, type ComposeService } from './support/compose.js';
import { repoRoot } from './support/fixtures.js';
import { postgresMissing, startCluster, type Cluster } from './support/postgres.js';
import { CLI, freePort, healthy, start, type Running } from './support/process.js';
import { until } from './support/slow.js';

const dockerCmd = /^CMD \[(.*)\]$/m.exec(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'))![1];
const missing = postgresMissing();

/** The compose command with the image's entry (`node dist/cli/main.js`) run from the sources. */
function argv(service: ComposeService, port: number, inside: string): string[] {
  const cmd = service.command!;
  assert.deepEqual(cmd.slice(0, 2), ['node', 'dist/cli/main.js'], 'compose runs the entry the image builds');
  return [...CLI, ...cmd.slice(2).map((a) => (a === inside ? String(port) : a))];
}

/** The service's health check as written (`node -e …`), pointed at the port the test gave it. */
async function healthCheckPasses(service: ComposeService, inside: string, port: number): Promise<boolean> {
  const [kind, program, ...args] = service.healthcheck!.test;
  assert.equal(kind, 'CMD');
  assert.equal(program, 'node');
  const script = args.map((a) => a.replaceAll(`:${inside}/`, `:${port}/`));
  return promisify(execFile)(process.execPath, script).then(() => true, () => false);
}

describe('deploy/compose.yaml: the API and the worker as compose starts them', { skip: missing ?? false }, () => {
  const { api, worker, postgres } = compose.services;
  let cluster: Cluster;
  const running: Running[] = [];
  let apiPort = 0;
  let workerPort = 0;

  before(async () => {
    cluster = await startCluster();
    const url = cluster.createDatabase();
    const envOf = (s: ComposeService) => {
      const env = { ...s.environment! };
      // compose reaches the database by its service name; the test's is on loopback.
      assert.match(env.XXGK_DATABASE_URL, /@postgres:5432\//);
      return { ...process.env, ...env, XXGK_DATABASE_URL: url, HOST: '127.0.0.1', XXGK_LOG_LEVEL: 'warn' };
    };
    apiPort = await freePort();
    workerPort = await freePort();
    running.push(await start(argv(api, apiPort, composePort(api)), healthy(`http://127.0.0.1:${apiPort}/readyz`), { env: { ...envOf(api), PORT: String(apiPort) }, timeoutMs: 60_000 }));
    running.push(await start(argv(worker, workerPort, composePort(worker)), () => fetch(`http://127.0.0.1:${workerPort}/readyz`).then((r) => r.ok, () => false), { env: envOf(worker), timeoutMs: 60_000 }));
  });

  after(async () => {
    await Promise.all(running.map((r) => r.stop()));
    cluster?.stop();
  });

  test('the file is what deploy/README.md promises: postgres first, two API processes that convert nothing, workers', () => {
    assert.ok(postgres.healthcheck, 'postgres has a health check');
    for (const s of [api, worker]) assert.equal(s.depends_on?.postgres.condition, 'service_healthy');
    assert.equal(api.deploy?.replicas, 2);
    assert.deepEqual(api.command!.slice(2), ['serve', '--workers', '0']);
    assert.equal(worker.command![2], 'worker');
    // The image's default command is the embedded service; compose overrides it per role.
    assert.equal(dockerCmd, '"node", "dist/cli/main.js", "serve"');
  });

  test('both health checks pass as written, and a job sent to the API is converted by the worker', async () => {
    assert.equal(await healthCheckPasses(api, composePort(api), apiPort), true);
    assert.equal(await healthCheckPasses(worker, composePort(worker), workerPort), true);
    const text = readFileSync(join(repoRoot, 'samples/seeds/003_7d78940555e26d72.txt'));
    const posted = await fetch(`http://127.0.0.1:${apiPort}/v1/jobs?filename=report.txt`, { method: 'POST', body: text, headers: { 'content-type': 'text/plain' } });
    assert.equal(posted.status, 202, await posted.clone().text());
    const { job } = (await posted.json()) as { job: { id: string } };
    const done = await until(
      () => fetch(`http://127.0.0.1:${apiPort}/v1/jobs/${job.id}`).then((r) => r.json() as Promise<{ job: { status: string; resultId: string | null } }>),
      (b) => b.job.status !== 'queued' && b.job.status !== 'running',
      60_000,
    );
    assert.equal(done.job.status, 'succeeded');
    const metrics = await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text();
    assert.match(metrics, /role="worker"/);
    const apiMetrics = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text();
    assert.match(apiMetrics, /role="serve"/);
  });
});
