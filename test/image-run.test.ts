/**
 * The service as the Docker image runs it, without a Docker engine: the app folder is root-owned and built
 * as the Dockerfile's stages build /app (the built dist/, package.json, and node_modules trimmed by the
 * build stage's script, as a hard-linked copy of this checkout's), the folders the runtime stage creates
 * are created and given to node as it gives them, and `CMD` runs as uid 1000 with the image's `ENV`, the
 * app folder as working directory and a HOME of its own (node's /home/node). Paths under WORKDIR stand
 * for the same paths in the app folder, and PORT is a free port (a container has a network of its own).
 *
 * It converts a PDF, a DOCX, a DOC (made here from a sample DOCX by LibreOffice) and a scan, serves the
 * UI and page images, and is stopped and started again on the same data.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, test } from 'node:test';
import type { JobEnvelope, ResultList } from '../src/api/wire.js';
import { compare, type Expected } from '../src/eval/expected.js';
import type { Report } from '../src/model/report.js';
import { assertExpected } from './support/assert-expected.js';
import { argsOf, dataDirOf, envOf, foldersOf, readDockerfile, workdirOf } from './support/dockerfile.js';
import { expectedFor, repoRoot, samplesDir, seeds } from './support/fixtures.js';
import { compose, composePort } from './support/compose.js';
import { postgresMissing, startCluster } from './support/postgres.js';
import { freePort, healthy, run, start, type Running } from './support/process.js';
import { until } from './support/slow.js';

const NODE_UID = 1000; // user node of the node images
const DOCKER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const runtime = readDockerfile().at(-1)!;
const workdir = workdirOf(runtime);

const have = (cmd: string, ...args: string[]) => !spawnSync(cmd, args, { stdio: 'ignore' }).error;
const skip =
  process.getuid?.() !== 0 ? 'needs root: it makes a root-owned app folder and runs the service as uid 1000, as the image does'
  : !have('setpriv', '--version') ? 'needs setpriv (util-linux) to run the service as uid 1000'
  : !have('soffice', '--version') ? 'needs LibreOffice (soffice), which the image installs, for the DOC'
  : false;

const tmp = mkdtempSync(join(tmpdir(), 'xxgk-image-'));
chmodSync(tmp, 0o755);
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The image's path `p` in a folder standing for WORKDIR. */
const inApp = (app: string, p: string) => (p === workdir || p.startsWith(`${workdir}/`) ? join(app, posix.relative(workdir, p)) : p);

/** /app as the image has it; `imageFolders: false` leaves out what the runtime stage's RUN lines create (the old image). */
function makeApp(name: string, { trimmed, imageFolders }: { trimmed: boolean; imageFolders: boolean }): string {
  const app = join(tmp, name);
  mkdirSync(app);
  assert.ok(existsSync(join(repoRoot, 'dist/cli/main.js')), 'dist/ is not built: run `npm run build` (scripts/setup.sh does)');
  const copied = argsOf(runtime, 'COPY').filter((c) => c.startsWith('--from=')).map((c) => c.split(' ')[2]);
  assert.deepEqual([...copied].sort(), ['./dist', './node_modules', './package.json']);
  execFileSync('cp', ['-r', join(repoRoot, 'dist'), join(repoRoot, 'package.json'), app]);
  if (trimmed) {
    // Hard links cost no space, and the trim only unlinks, so this checkout's node_modules is untouched.
    // Across file systems (TMPDIR elsewhere) they cannot be made: then a real copy.
    try {
      execFileSync('cp', ['-al', join(repoRoot, 'node_modules'), join(app, 'node_modules')], { stdio: 'ignore' });
    } catch {
      rmSync(join(app, 'node_modules'), { recursive: true, force: true });
      execFileSync('cp', ['-a', join(repoRoot, 'node_modules'), join(app, 'node_modules')]);
    }
    execFileSync('bash', [join(repoRoot, 'scripts/trim-node-modules.sh'), join(app, 'node_modules')]);
  } else {
    symlinkSync(join(repoRoot, 'node_modules'), join(app, 'node_modules'));
  }
  if (imageFolders) {
    const { created, ownedByNode } = foldersOf(runtime);
    for (const p of created) mkdirSync(inApp(app, p), { recursive: true });
    for (const p of ownedByNode) chownSync(inApp(app, p), NODE_UID, NODE_UID);
  }
  const { uid, mode } = statSync(app);
  assert.ok(uid === 0 && (mode & 0o022) === 0, 'the app folder is root\'s and only root writes it');
  return app;
}

/** node's HOME (/home/node in the image, node's own): LibreOffice and fontconfig write there. */
const home = join(tmp, 'home');
if (!skip) {
  mkdirSync(home);
  chownSync(home, NODE_UID, NODE_UID);
}

/**
 * The image's CMD (or `override`, a command compose gives it) as uid 1000, with exactly the image's
 * environment (and the base image's PATH and node's HOME, and `extra`).
 */
function command(app: string, port: number, override?: string[], extra: NodeJS.ProcessEnv = {}): { argv: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { PATH: DOCKER_PATH, HOME: home };
  for (const [k, v] of Object.entries(envOf(runtime))) env[k] = inApp(app, v);
  assert.ok(env.PORT, 'the image sets PORT');
  env.PORT = String(port);
  Object.assign(env, extra);
  const [cmd] = argsOf(runtime, 'CMD');
  const argv = override ?? (JSON.parse(cmd) as string[]);
  assert.equal(argv[0], 'node');
  return { argv: ['setpriv', `--reuid=${NODE_UID}`, `--regid=${NODE_UID}`, '--clear-groups', process.execPath, ...argv.slice(1)], env };
}

async function serve(app: string, port: number): Promise<Running> {
  const { argv, env } = command(app, port);
  return start(argv, healthy(`http://127.0.0.1:${port}/healthz`), { cwd: app, env, timeoutMs: 60_000 });
}

/** A .doc of a sample, made by LibreOffice as the README's users would have it. */
function makeDoc(seed: string): Buffer {
  const out = join(tmp, 'doc');
  const docx = join(out, `${seed}.docx`);
  mkdirSync(out, { recursive: true });
  copyFileSync(join(samplesDir, 'docx', `${seed}.docx`), docx);
  execFileSync('soffice', [`-env:UserInstallation=file://${join(out, 'profile')}`, '--headless', '--convert-to', 'doc:MS Word 97', '--outdir', out, docx], { stdio: 'ignore', timeout: 120_000 });
  return readFileSync(join(out, `${seed}.doc`));
}

const expectedAt = (path: string) => JSON.parse(readFileSync(join(samplesDir, path), 'utf8')) as Expected;

/** Every cell exact; a scan's agency name may be misread, as test/ocr.test.ts allows. */
function assertRight(report: Report, input: { name: string; expected: Expected; route: string }, when: string) {
  if (input.route !== 'image-ocr') return assertExpected(report, input.expected, `${input.name} ${when}`);
  const { cells, problems } = compare(report, input.expected);
  assert.deepEqual([...problems.filter((p) => !p.startsWith('agency')), ...cells.filter((c) => !c.right).map((c) => `${c.key}: expected ${c.expected}, got ${c.got}`)], [], `${input.name} ${when}`);
}

test('the service runs as the image runs it: converts a PDF, a DOCX, a DOC and a scan, serves the UI and page images, and keeps it all across a restart', { skip }, async () => {
  const app = makeApp('app', { trimmed: true, imageFolders: true });
  const inputs = [
    { name: 'report.pdf', bytes: readFileSync(join(samplesDir, 'pdf', `${seeds[0]}.chrome.pdf`)), expected: expectedFor(seeds[0]), route: 'pdf-text' },
    { name: 'report.docx', bytes: readFileSync(join(samplesDir, 'docx', `${seeds[1]}.docx`)), expected: expectedFor(seeds[1]), route: 'docx' },
    { name: 'report.doc', bytes: makeDoc(seeds[2]), expected: expectedFor(seeds[2]), route: 'doc' },
    { name: 'scan.png', bytes: readFileSync(join(samplesDir, 'scans', `${seeds[4]}.tables.zero-circle.png`)), expected: expectedAt(`scans/expected/${seeds[4]}.tables.json`), route: 'image-ocr' },
  ];
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const getJson = async <T>(path: string): Promise<T> => {
    const r = await fetch(base + path);
    assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
    return (await r.json()) as T;
  };
  const page = async (id: string) => {
    const r = await fetch(`${base}/v1/results/${id}/pages/1.png`);
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal(r.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await r.arrayBuffer());
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    return png;
  };

  let service = await serve(app, port);
  const ids: string[] = [];
  const pages = new Map<string, Buffer>();
  try {
    for (const input of inputs) {
      const posted = await fetch(`${base}/v1/jobs?filename=${input.name}`, { method: 'POST', body: new Uint8Array(input.bytes), headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(posted.status, 202, await posted.clone().text());
      const { job } = (await posted.json()) as JobEnvelope;
      const done = await until(() => getJson<JobEnvelope>(`/v1/jobs/${job.id}`).then((e) => e.job), (j) => j.status !== 'queued' && j.status !== 'running', 300_000);
      assert.equal(done.status, 'succeeded', `${input.name}: ${JSON.stringify(done.error)}`);
      const report = await getJson<Report>(`/v1/results/${done.resultId}`);
      assert.equal(report.source.route, input.route, input.name);
      assertRight(report, input, "converted by the image's service");
      ids.push(done.resultId!);
    }
    for (const id of [ids[0], ids[3]]) pages.set(id, await page(id));

    const ui = await fetch(`${base}/`);
    assert.equal(ui.status, 200);
    const html = await ui.text();
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, `the UI page loads its script: ${html.slice(0, 300)}`);
    assert.equal((await fetch(new URL(script, base))).status, 200, script);
  } finally {
    const stopped = await service.stop();
    // `docker stop` sends SIGTERM: the service must end on its own (0), not be aborted or left hanging.
    assert.equal(stopped.code, 0, `SIGTERM ends the service cleanly, but it ended with ${stopped.code ?? stopped.signal}:\n${stopped.stderr.slice(-2000)}`);
  }

  // What the service wrote is in the data folder (the volume), and node's.
  const data = inApp(app, dataDirOf(runtime));
  assert.ok(argsOf(runtime, 'VOLUME').some((v) => inApp(app, v) === data), 'the data folder is the VOLUME');
  assert.equal(statSync(join(data, 'xxgk.db')).uid, NODE_UID);

  service = await serve(app, port);
  try {
    const { results } = await getJson<ResultList>('/v1/results');
    assert.deepEqual(results.map((r) => r.id).sort(), [...ids].sort());
    for (const [i, id] of ids.entries()) assertRight(await getJson<Report>(`/v1/results/${id}`), inputs[i], 'after the restart');
    for (const [id, png] of pages) assert.ok((await page(id)).equals(png), 'the page image is the one stored before the restart');
  } finally {
    const again = await service.stop();
    assert.equal(again.code, 0, `the restarted service ends cleanly too, but it ended with ${again.code ?? again.signal}`);
  }
});

test('without the folders the runtime stage makes (the old image), the service cannot create its data folder and exits at once', { skip }, async () => {
  const app = makeApp('old-app', { trimmed: false, imageFolders: false });
  const { argv, env } = command(app, await freePort());
  const r = await run(argv, { cwd: app, env, timeoutMs: 60_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /EACCES: permission denied, mkdir '.*data'/);
});

test('the image runs either role: compose\'s API and worker commands on PostgreSQL convert a PDF and a scan', { skip: skip || (postgresMissing() ?? false) }, async () => {
  const app = makeApp('cluster-app', { trimmed: true, imageFolders: true });
  const cluster = await startCluster();
  const running: Running[] = [];
  try {
    const database = { XXGK_DATABASE_URL: cluster.createDatabase(), HOST: '127.0.0.1', XXGK_LOG_LEVEL: 'warn' };
    const { api, worker } = compose.services;
    const apiPort = await freePort();
    const probePort = await freePort();
    const workerArgv = worker.command!.map((a) => (a === composePort(worker) ? String(probePort) : a));
    const a = command(app, apiPort, api.command, database);
    running.push(await start(a.argv, healthy(`http://127.0.0.1:${apiPort}/readyz`), { cwd: app, env: a.env, timeoutMs: 60_000 }));
    const w = command(app, apiPort, workerArgv, database);
    running.push(await start(w.argv, () => fetch(`http://127.0.0.1:${probePort}/readyz`).then((r) => r.ok, () => false), { cwd: app, env: w.env, timeoutMs: 60_000 }));
    const inputs = [
      { name: 'report.pdf', bytes: readFileSync(join(samplesDir, 'pdf', `${seeds[0]}.chrome.pdf`)), expected: expectedFor(seeds[0]), route: 'pdf-text' },
      { name: 'scan.png', bytes: readFileSync(join(samplesDir, 'scans', `${seeds[4]}.tables.zero-circle.png`)), expected: expectedAt(`scans/expected/${seeds[4]}.tables.json`), route: 'image-ocr' },
    ];
    const base = `http://127.0.0.1:${apiPort}`;
    for (const input of inputs) {
      const posted = await fetch(`${base}/v1/jobs?filename=${input.name}`, { method: 'POST', body: new Uint8Array(input.bytes), headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(posted.status, 202, await posted.clone().text());
      const { job } = (await posted.json()) as JobEnvelope;
      const done = await until(() => fetch(`${base}/v1/jobs/${job.id}`).then((r) => r.json() as Promise<JobEnvelope>).then((e) => e.job), (j) => j.status !== 'queued' && j.status !== 'running', 300_000);
      assert.equal(done.status, 'succeeded', `${input.name}: ${JSON.stringify(done.error)}`);
      const report = (await (await fetch(`${base}/v1/results/${done.resultId}`)).json()) as Report;
      assert.equal(report.source.route, input.route, input.name);
      assertRight(report, input, "converted by the image's worker");
    }
  } finally {
    for (const r of running.reverse()) {
      const f = await r.stop();
      assert.equal(f.code, 0, `SIGTERM ends each role cleanly:\n${f.stderr.slice(-2000)}`);
    }
    cluster.stop();
  }
});
