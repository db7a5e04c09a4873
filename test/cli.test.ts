/** The command line as a user meets it, through real processes: help, usage errors, options, a port in use. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { samplesDir, seeds } from './support/fixtures.js';
import { CLI, freePort, healthy, run, start, type Finished } from './support/process.js';

const tmp = mkdtempSync(join(tmpdir(), 'xxgk-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const seedText = join(samplesDir, 'seeds', `${seeds[3]}.txt`);

const cli = (...args: string[]) => run([...CLI, ...args], { env: { ...process.env, XXGK_DATA_DIR: join(tmp, 'never-used') } });
const NO_STACK = /^\s+at .+[:(]\d+|node:internal|Error: /m;

/** A usage error: exit 2, nothing on stdout, and on stderr the problem in one line, the usage line, the hint. */
function assertUsageError(r: Finished, command: string | null, problem: RegExp) {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.doesNotMatch(r.stderr, NO_STACK);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  assert.match(lines[0], new RegExp(`^xxgk-convert${command ? ` ${command}` : ''}: `));
  assert.match(lines[0], problem);
  assert.match(lines[1], new RegExp(`^Usage: xxgk-convert ${command ?? '<command>'}`));
  assert.match(lines[2], /--help/);
}

function assertHelp(r: Finished, usage: RegExp, options: string[]) {
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, usage);
  for (const o of options) assert.ok(r.stdout.includes(o), `${o} is not in the help:\n${r.stdout}`);
}

test('--help of the command and of each subcommand prints its usage on stdout and exits 0', async () => {
  for (const args of [['--help'], ['-h'], ['help']]) assertHelp(await cli(...args), /^Usage: xxgk-convert <command>/, ['convert', 'serve', 'batch']);
  for (const args of [['convert', '--help'], ['convert', '-h'], ['convert', 'report.pdf', '--help'], ['help', 'convert']]) {
    assertHelp(await cli(...args), /^Usage: xxgk-convert convert <file>/, ['--out']);
  }
  for (const args of [['serve', '--help'], ['serve', '-h']]) assertHelp(await cli(...args), /^Usage: xxgk-convert serve/, ['--port', '--host', 'PORT', 'HOST']);
  for (const args of [['batch', '--help'], ['help', 'batch']]) {
    assertHelp(await cli(...args), /^Usage: xxgk-convert batch <input-dir> --out <dir>/, ['--server', '--api-key', '--concurrency', '--timeout', '--formats', '--threshold', '--retry-failed']);
  }
});

test('no command prints the usage on stderr and exits 2', async () => {
  const r = await cli();
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Usage: xxgk-convert <command>/);
});

test('unknown commands and options are refused in one line with the usage line, exit 2, never a stack trace', async () => {
  assertUsageError(await cli('frobnicate'), null, /unknown command 'frobnicate'/);
  assertUsageError(await cli('--verbose'), null, /unknown option '--verbose'/);
  assertUsageError(await cli('convert', '--bogus', seedText), 'convert', /unknown option '--bogus'/);
  assertUsageError(await cli('convert', '-x', seedText), 'convert', /unknown option '-x'/);
  assertUsageError(await cli('convert'), 'convert', /file to convert is missing/);
  assertUsageError(await cli('convert', seedText, seedText), 'convert', /one file/);
  assertUsageError(await cli('convert', seedText, '--out'), 'convert', /--out/);
  assertUsageError(await cli('serve', '--bogus'), 'serve', /unknown option '--bogus'/);
  assertUsageError(await cli('serve', '--port', 'eighty'), 'serve', /--port must be a port number/);
  assertUsageError(await cli('serve', '--port', '70000'), 'serve', /--port must be a port number/);
  assertUsageError(await cli('serve', 'now'), 'serve', /no arguments/);
  assertUsageError(await cli('batch', '--bogus'), 'batch', /unknown option '--bogus'/);
  assertUsageError(await cli('batch', samplesDir), 'batch', /--out <dir> is required/);
  // A temporary data directory: were the PORT check to let it through, it would not write into the default one.
  const badEnv = await run([...CLI, 'serve'], { env: { ...process.env, PORT: 'eighty', XXGK_DATA_DIR: join(tmp, 'bad-port-data') } });
  assertUsageError(badEnv, 'serve', /PORT must be a number/);
});

test('worker: its help, its usage errors, and without XXGK_DATABASE_URL a clear refusal (exit 1); serve --workers 0 needs it too', async () => {
  for (const args of [['worker', '--help'], ['help', 'worker']]) assertHelp(await cli(...args), /^Usage: xxgk-convert worker/, ['--ocr', '--no-ocr', '--concurrency', '--port', 'XXGK_DATABASE_URL']);
  assertHelp(await cli('--help'), /^Usage: xxgk-convert <command>/, ['worker']);
  assertUsageError(await cli('worker', '--bogus'), 'worker', /unknown option '--bogus'/);
  assertUsageError(await cli('worker', '--ocr', '--no-ocr'), 'worker', /not both/);
  assertUsageError(await cli('worker', '--concurrency', '0'), 'worker', /--concurrency must be a number/);
  assertUsageError(await cli('worker', '--port', 'eighty'), 'worker', /--port must be a port number/);
  assertUsageError(await cli('worker', 'now'), 'worker', /no arguments/);
  const embedded = await run([...CLI, 'worker'], { env: { ...process.env, XXGK_DATABASE_URL: '', XXGK_DATA_DIR: join(tmp, 'worker-data') } });
  assert.equal(embedded.code, 1, embedded.stderr);
  assert.match(embedded.stderr, /^xxgk-convert worker: .*XXGK_DATABASE_URL=postgres:\/\//);
  assert.equal(embedded.stderr.trimEnd().split('\n').length, 1);
  assert.equal(existsSync(join(tmp, 'worker-data')), false, 'nothing was opened');
  assertUsageError(await run([...CLI, 'serve', '--workers', '0'], { env: { ...process.env, XXGK_DATABASE_URL: '', XXGK_DATA_DIR: join(tmp, 'api-only') } }), 'serve', /XXGK_WORKERS=0 needs XXGK_DATABASE_URL/);
});

test('convert --out writes the model to the file and prints nothing; a file that cannot be written is one line, exit 1', async () => {
  const out = join(tmp, 'out.json');
  const r = await cli('convert', seedText, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const report = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(report.model, 'xxgk/report@1');
  assert.equal(report.report.agency, '同心县人民政府办公室');
  const short = await cli('convert', seedText, '-o', join(tmp, 'short.json'));
  assert.equal(short.code, 0, short.stderr);
  assert.ok(existsSync(join(tmp, 'short.json')));

  const bad = await cli('convert', seedText, '--out', join(tmp, 'no/such/folder/out.json'));
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^xxgk-convert: Cannot write .*no\/such\/folder\/out\.json: ENOENT/);
  assert.equal(bad.stderr.trimEnd().split('\n').length, 1, bad.stderr);
});

test('serve --port and --host override PORT and HOST', async () => {
  // Two different ports: freePort() closes its probe, so the second call may hand back the first port.
  const port = await freePort();
  let envPort = await freePort();
  while (envPort === port) envPort = await freePort();
  const dataDir = join(tmp, 'serve-data');
  // HOST names an address this machine does not have: only --host makes the service start.
  const service = await start([...CLI, 'serve', '--port', String(port), '--host', '127.0.0.1'], healthy(`http://127.0.0.1:${port}/healthz`), {
    env: { ...process.env, PORT: String(envPort), HOST: '192.0.2.1', XXGK_DATA_DIR: dataDir, XXGK_WORKERS: '1', XXGK_SHUTDOWN_GRACE_SECONDS: '0' },
  });
  try {
    const listening = service.output().stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.msg === 'listening');
    assert.equal(listening?.url, `http://127.0.0.1:${port}`);
    await assert.rejects(fetch(`http://127.0.0.1:${envPort}/healthz`), 'nothing listens on PORT');
  } finally {
    const f = await service.stop();
    assert.equal(f.code, 0, f.stderr);
  }
});

test('a second service on a port in use exits 1 at once, saying which address and how to choose another, and leaves its data folder alone', async () => {
  const port = await freePort();
  const first = await start([...CLI, 'serve'], healthy(`http://127.0.0.1:${port}/healthz`), {
    env: { ...process.env, PORT: String(port), XXGK_DATA_DIR: join(tmp, 'first'), XXGK_WORKERS: '1', XXGK_SHUTDOWN_GRACE_SECONDS: '0' },
  });
  try {
    const secondData = join(tmp, 'second');
    const second = await run([...CLI, 'serve'], {
      env: { ...process.env, PORT: String(port), XXGK_DATA_DIR: secondData, XXGK_WORKERS: '1' },
      timeoutMs: 30_000,
    });
    assert.equal(second.signal, null, 'it exits by itself (it was killed after 30 s otherwise)');
    assert.equal(second.code, 1, second.stderr);
    assert.doesNotMatch(second.stderr, NO_STACK);
    assert.equal(second.stderr.trimEnd().split('\n').length, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`^xxgk-convert serve: cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`));
    assert.match(second.stderr, /PORT=<n> or --port <n>/);
    assert.doesNotMatch(second.stdout, /listening/);
    assert.ok(!existsSync(secondData) || readdirSync(secondData).length === 0, 'the second service opened no store');
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'the first one still serves');
  } finally {
    await first.stop();
  }
});
