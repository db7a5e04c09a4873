/** The README, CI and the Dockerfile install and run the same way, and the docs name every setting the code reads. */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/fixtures.js';

const read = (p: string) => readFileSync(join(repoRoot, p), 'utf8');
const SETUP_AND_SERVE = 'bash scripts/setup.sh && npm start';
const SETUP_AND_TEST = 'bash scripts/setup.sh --test && npm test';

test('the README gives the two commands, and .ci/run runs the test one', () => {
  const readme = read('README.md');
  assert.ok(readme.includes(SETUP_AND_SERVE));
  assert.ok(readme.includes(SETUP_AND_TEST));
  assert.ok(read('.ci/run').includes(SETUP_AND_TEST));
  const pkg = JSON.parse(read('package.json'));
  assert.equal(pkg.scripts.start, 'node dist/cli/main.js serve');
});

test('the Dockerfile installs with the same script, runs as a non-root user, and checks health', () => {
  const docker = read('Dockerfile');
  const stages = docker.split(/^FROM /m).slice(1);
  assert.equal(stages.length, 2, 'multi-stage');
  for (const stage of stages) assert.match(stage, /^RUN bash scripts\/setup\.sh\b/m);
  assert.match(stages[1], /^USER node$/m);
  assert.match(stages[1], /^HEALTHCHECK .*\n?.*\/healthz/m);
  assert.match(stages[1], /HOST=0\.0\.0\.0/);
  assert.match(stages[1], /CMD \["node", "dist\/cli\/main\.js", "serve"\]/);
  assert.match(stages[0], /COPY src \.\/src/);
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every environment variable the code reads is documented in the README', () => {
  const readme = read('README.md');
  const names = new Set<string>();
  for (const file of sources(join(repoRoot, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(XXGK_[A-Z_]+)\b/g)) names.add(m[1]);
  }
  assert.ok(names.size >= 5);
  for (const n of names) assert.ok(readme.includes(`\`${n}\``), `${n} is not in the README's configuration table`);
});
