/**
 * The README's commands, as written, on a clean copy of the repository: `git clone` of this one (its
 * committed state, README included) into a temporary folder, with this checkout's node_modules linked in
 * (nothing is downloaded) and `npm run build` run there. Each command line of the README's `sh` blocks
 * is run and must exit 0 with sensible output; a line this test does not know fails it, so a command
 * added to the README gets exercised too.
 *
 * The README's placeholders are real samples under those names in the copy (report.pdf is a seed's
 * PDF, reports/ three seeds, …). Services listen on a free loopback port instead of 8080.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot, samplesDir } from './support/fixtures.js';
import { freePort, healthy, run, start, type Finished } from './support/process.js';

const root = mkdtempSync(join(tmpdir(), 'xxgk-readme-'));
const clone = join(root, 'xxgk-convert');
after(() => rmSync(root, { recursive: true, force: true }));

/** What each placeholder of the README is in the copy. */
const PLACEHOLDERS: Record<string, string> = {
  'report.pdf': 'pdf/000_ac416d85e5af171b.chrome.pdf',
  'report.html': 'html/003_7d78940555e26d72.html',
  'scan.tif': 'scans/004_a98acada5b20935e.dpi150.tif',
  'reports/2023/a.txt': 'seeds/003_7d78940555e26d72.txt',
  'reports/2023/b.html': 'html/004_a98acada5b20935e.html',
  'reports/c.docx': 'docx/002_428db422c0ca7d7e.docx',
};

/** Not run, and why. */
const NOT_RUN: Record<string, string> = {
  'bash scripts/setup.sh': 'installs Debian packages and runs npm ci (the network); the copy links node_modules and runs `npm run build`, its last step',
  'bash scripts/setup.sh --test': 'as above',
  'npm test': 'is the suite this test is part of',
  'docker build -t xxgk-convert .': 'needs a Docker engine and a registry; test/image-run.test.ts runs the image\'s CMD as the image does',
  'docker run -d -p 8080:8080 -v xxgk-data:/app/data xxgk-convert': 'as above',
};

/** The environment of a fresh shell: none of this machine's service settings. */
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(XXGK_|PORT$|HOST$|NODE_OPTIONS$)/.test(k)));
/** Settings that keep the services light on a shared machine; they change nothing the commands show. */
const serviceEnv = (port: number): NodeJS.ProcessEnv => ({ ...env, PORT: String(port), XXGK_WORKERS: '1', XXGK_SHUTDOWN_GRACE_SECONDS: '0' });

/** Every command line in the README's `sh` blocks, comments dropped, `a && b` split into steps. */
function readmeCommands(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)]
    .flatMap((m) => m[1].split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter(Boolean)
    .flatMap((line) => line.split(' && ').map((s) => s.trim()));
}

const have = (cmd: string) => !spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error;
const sh = (line: string, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Finished> =>
  run(['bash', '-o', 'pipefail', '-c', line], { cwd: clone, env: opts.env ?? env, timeoutMs: 60_000 });

function assertOk(line: string, r: Finished) {
  assert.equal(r.code, 0, `${line}\nexit ${r.code ?? r.signal}\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
}

let commands: string[] = [];

before(async () => {
  execFileSync('git', ['clone', '--quiet', repoRoot, clone]);
  symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');
  for (const [name, from] of Object.entries(PLACEHOLDERS)) {
    mkdirSync(join(clone, name, '..'), { recursive: true });
    copyFileSync(join(samplesDir, from), join(clone, name));
  }
  const build = await run(['npm', 'run', '--silent', 'build'], { cwd: clone, env, timeoutMs: 120_000 });
  assert.equal(build.code, 0, `npm run build in the copy: ${build.stderr}${build.stdout}`);
  commands = readmeCommands(readFileSync(join(clone, 'README.md'), 'utf8'));
});

test('the README has commands, and this test knows each one', () => {
  assert.ok(commands.length >= 10, commands.join('\n'));
  const known = (c: string) => c in NOT_RUN || c === 'npm start' || c.startsWith('./bin/xxgk-convert ') || c.startsWith('curl ');
  assert.deepEqual(commands.filter((c) => !known(c)), [], 'README commands this test does not run');
  assert.ok(!commands.some((c) => /^npx /.test(c)), 'npx needs npm to find the package: the README uses ./bin/xxgk-convert');
});

test('npm start serves, and the HTTP API examples answer against it', async (t) => {
  assert.ok(commands.includes('npm start'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = await start(['bash', '-c', 'exec npm start'], healthy(`${base}/healthz`), { cwd: clone, env: serviceEnv(port), group: true });
  try {
    const curls = commands.filter((c) => c.startsWith('curl '));
    assert.ok(curls.length >= 3);
    const missing = ['curl', 'jq'].filter((c) => !have(c));
    if (missing.length) return t.skip(`${missing.join(' and ')} not installed: the README's curl examples need them`);
    for (const line of curls) {
      assert.match(line, /http:\/\/127\.0\.0\.1:8080\//);
      const r = await sh(line.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`));
      assertOk(line, r);
      if (/\| jq \.summary$/.test(line)) {
        const summary = JSON.parse(r.stdout);
        assert.equal(summary.cells, 198, r.stdout);
        assert.equal(summary.checksFailed, 0, r.stdout);
      } else if (/\| jq '\.tables\[1\]\.cells\[0\]'$/.test(line)) {
        const cell = JSON.parse(r.stdout);
        assert.equal(cell.key, 'applications.newReceived.naturalPerson', r.stdout);
        assert.equal(cell.state, 'number', r.stdout);
      } else if (/\/v1\/jobs\b/.test(line) && / -i /.test(line)) {
        assert.match(r.stdout, /^HTTP\/1\.1 202 /);
        assert.match(r.stdout, /^location: \/v1\/jobs\/[\w-]+\r?$/im);
      } else {
        assert.fail(`no check for the output of ${line}`);
      }
    }
  } finally {
    const f = await service.stop('SIGINT');
    assert.match(f.stdout, /"msg":"listening"/);
    assert.match(f.stdout, /"msg":"shutting down"/);
  }
  await assert.rejects(fetch(`${base}/healthz`), 'the service is gone after Ctrl-C');
});

test('the command-line examples run as written with ./bin/xxgk-convert', async () => {
  const cli = commands.filter((c) => c.startsWith('./bin/xxgk-convert '));
  assert.ok(cli.length >= 4);
  for (const line of cli) {
    const args = line.split(/\s+/).slice(1);
    if (args[0] === 'serve') {
      const port = await freePort();
      const service = await start(['bash', '-c', `exec ${line}`], healthy(`http://127.0.0.1:${port}/healthz`), { cwd: clone, env: serviceEnv(port) });
      const f = await service.stop();
      assert.equal(f.code, 0, `${line}: ${f.stderr}`);
      assert.match(f.stdout, new RegExp(`"msg":"listening","url":"http://127.0.0.1:${port}"`));
      continue;
    }
    const r = await sh(line);
    assertOk(line, r);
    if (args[0] === 'convert') {
      const out = args.indexOf('--out');
      const json = out < 0 ? r.stdout : readFileSync(join(clone, args[out + 1]), 'utf8');
      if (out >= 0) assert.equal(r.stdout, '');
      const report = JSON.parse(json);
      assert.equal(report.model, 'xxgk/report@1');
      assert.equal(report.report.agency, '卫东区人民政府');
      assert.equal(report.summary.cells, 198);
      assert.equal(report.source.route, 'pdf-text');
    } else if (args[0] === 'batch') {
      const outDir = join(clone, args[args.indexOf('--out') + 1]);
      const rows = readFileSync(join(outDir, 'dataset.csv'), 'utf8').trim().split('\n');
      assert.equal(rows.length, 1 + 3, rows.join('\n'));
      for (const f of ['2023/a.txt.json', '2023/b.html.json', 'c.docx.json', 'dataset.xlsx', 'low-confidence.csv', 'failures.csv']) {
        assert.ok(existsSync(join(outDir, f)), `${line} wrote no ${f}`);
      }
    } else {
      assert.fail(`no check for the output of ${line}`);
    }
  }
});
