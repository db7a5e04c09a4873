/** The repository's Dockerfile, read as Docker reads it: stages of instructions, continuation lines joined. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { repoRoot } from './fixtures.js';

export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  from: string;
  instructions: Instruction[];
}

export function readDockerfile(path = join(repoRoot, 'Dockerfile')): Stage[] {
  const logical = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (op.toUpperCase() === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)!.instructions.push({ op: op.toUpperCase(), args: args.replace(/\s+/g, ' ') });
  }
  return stages;
}

export const argsOf = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);

/** `ENV a=1 b=2` lines (the form this Dockerfile uses) as one record, later lines winning. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of argsOf(stage, 'ENV')) {
    for (const m of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return env;
}

export const workdirOf = (stage: Stage) => argsOf(stage, 'WORKDIR').reduce((dir, d) => posix.resolve(dir, d), '/');

/** Where the service of this stage keeps its data: XXGK_DATA_DIR, else its default ./data, from WORKDIR. */
export function dataDirOf(stage: Stage): string {
  const dir = envOf(stage).XXGK_DATA_DIR || './data';
  return isAbsolute(dir) ? posix.normalize(dir) : posix.resolve(workdirOf(stage), dir);
}

/** The folders a stage's RUN lines create (`mkdir -p …`) and those they give to user node (`chown node…`). */
export function foldersOf(stage: Stage): { created: Set<string>; ownedByNode: Set<string> } {
  const created = new Set<string>();
  const ownedByNode = new Set<string>();
  for (const run of argsOf(stage, 'RUN')) {
    for (const step of run.split(/&&|;/).map((s) => s.trim().split(' '))) {
      const paths = step.slice(1).filter((a) => !a.startsWith('-'));
      if (step[0] === 'mkdir') paths.forEach((p) => created.add(posix.resolve(workdirOf(stage), p)));
      if (step[0] === 'chown' && /^(node|1000)(:(node|1000))?$/.test(paths[0] ?? '')) {
        paths.slice(1).forEach((p) => ownedByNode.add(posix.resolve(workdirOf(stage), p)));
      }
    }
  }
  return { created, ownedByNode };
}

/** The arguments a stage's RUN lines give `bash scripts/setup.sh`. */
export function setupFlagsOf(stage: Stage): string[][] {
  return argsOf(stage, 'RUN').flatMap((run) => [...run.matchAll(/\bbash scripts\/setup\.sh((?: --[\w-]+)*)/g)].map((m) => m[1].trim().split(' ').filter(Boolean)));
}
