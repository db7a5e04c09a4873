/** The real service as a child process: killed mid-job (SIGKILL) or stopped (SIGTERM), restarted, nothing lost. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot, sample, seeds } from './support/fixtures.js';
import { testStoreEnv } from './support/postgres.js';
import { freePort } from './support/process.js';
import { slowText, until } from './support/slow.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-restart-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
/** One store for every start: SQLite in dataDir, or one PostgreSQL database when run by postgres.test.ts. */
const storeEnv = testStoreEnv();
/**
 * On PostgreSQL a killed process's job comes back when its pg-boss lease ends (the time limit plus a
 * margin): a short limit keeps that wait short. The slow job needs a few seconds of it.
 */
const leaseEnv = storeEnv.XXGK_DATABASE_URL ? { XXGK_JOB_TIMEOUT_SECONDS: '30' } : {};

async function start(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'serve'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), XXGK_DATA_DIR: dataDir, ...storeEnv, ...leaseEnv, XXGK_WORKERS: '1', XXGK_LOG_LEVEL: 'warn', XXGK_SHUTDOWN_GRACE_SECONDS: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await until(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), (ok) => ok, 20_000);
  return child;
}

const stopped = (child: ChildProcess) => new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

test('a job running when the service is killed runs again after the restart; queued and finished work survive', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const post = (body: Buffer, name: string) => fetch(`${base}/v1/jobs?filename=${name}`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } }).then((r) => r.json() as Promise<{ job: { id: string } }>);
  const job = (id: string) => fetch(`${base}/v1/jobs/${id}`).then((r) => r.json() as Promise<{ job: { status: string; resultId: string | null } }>).then((b) => b.job);

  let child = await start(port);
  const finished = await post(sample(`seeds/${seeds[3]}.txt`), 'done.txt');
  const done = await until(() => job(finished.job.id), (j) => j.status === 'succeeded');
  const slow = await post(slowText(60_000, 'restart'), 'slow.txt');
  const queued = await post(sample(`seeds/${seeds[0]}.txt`), 'queued.txt');
  await until(() => job(slow.job.id), (j) => j.status === 'running');
  assert.equal((await job(queued.job.id)).status, 'queued');
  const exit = stopped(child);
  child.kill('SIGKILL');
  await exit;

  child = await start(port);
  try {
    const rerun = await until(() => job(slow.job.id), (j) => j.status === 'succeeded', 120_000);
    assert.ok(rerun.resultId);
    assert.equal((await until(() => job(queued.job.id), (j) => j.status === 'succeeded', 60_000)).status, 'succeeded');
    const old = await fetch(`${base}/v1/results/${done.resultId}`);
    assert.equal(old.status, 200);
    assert.equal(((await old.json()) as { report: { agency: string } }).report.agency, '同心县人民政府办公室');

    // SIGTERM: stop taking work, leave with the running job queued again, finish it on the next start.
    const again = await post(slowText(60_000, 'sigterm'), 'slow2.txt');
    await until(() => job(again.job.id), (j) => j.status === 'running');
    const code = stopped(child);
    child.kill('SIGTERM');
    assert.equal(await code, 0, 'graceful exit');
    child = await start(port);
    assert.equal((await until(() => job(again.job.id), (j) => j.status === 'succeeded', 60_000)).status, 'succeeded');
  } finally {
    const exit2 = stopped(child);
    child.kill('SIGTERM');
    await exit2;
  }
});
