/**
 * What a batch run has to do with each file it found: skip it (converted before, by content hash),
 * list it again (a permanent failure of the same bytes), copy the report of the same bytes converted
 * under another name, or convert it.
 */
import { basename, join } from 'node:path';
import type { RunContext } from './context.js';
import { failureOf } from './failure.js';
import { exists, outPath, outputRel, readReport, writeReport } from './files.js';
import { inTurn } from './in-turn.js';
import { INDEX_FILE, sha256File } from './resume.js';
import { SUPPORTED_EXTENSIONS, type WalkedFile } from './walk.js';

export interface Planned {
  file: WalkedFile;
  sha256: string;
  jsonRel: string;
}

export interface Plan {
  toConvert: Planned[];
  /** Same bytes as a file converted earlier: its report JSON (`from`) is copied. */
  toReuse: (Planned & { from: string })[];
  skipped: number;
  unsupported: number;
}

/** Lists unsupported files as failures, hashes the others (the index spares unchanged ones) and sorts them. */
export async function planBatch(ctx: RunContext, files: WalkedFile[]): Promise<Plan> {
  const { index, out } = ctx;
  const plan: Plan = { toConvert: [], toReuse: [], skipped: 0, unsupported: 0 };
  const supported = files.filter((f) => {
    if (f.supported) return true;
    plan.unsupported++;
    const ext = f.rel.includes('.') ? f.rel.slice(f.rel.lastIndexOf('.')) : '(none)';
    ctx.fail(f.rel, 'UNSUPPORTED', `Files of type ${ext} are not converted (supported: ${SUPPORTED_EXTENSIONS.join(' ')}).`);
    return false;
  });
  if (supported.length > 200) ctx.say(`xxgk-convert batch: checking ${supported.length} files against ${join(out, INDEX_FILE)} …`);
  const hashes = new Map<string, string>();
  await inTurn(supported, 8, async (f) => {
    try {
      const known = index.get(f.rel);
      const unchanged = known && known.size === f.size && known.mtimeMs === f.mtimeMs;
      hashes.set(f.rel, unchanged ? known.sha256 : await sha256File(f.path));
    } catch (err) {
      const e = failureOf(err);
      ctx.fail(f.rel, e.code, e.message);
    }
  });
  for (const f of supported) {
    const hash = hashes.get(f.rel);
    if (!hash) continue;
    const jsonRel = outputRel(f.rel);
    const entry = index.get(f.rel);
    if (entry?.sha256 === hash && entry.status === 'ok' && entry.output && (await exists(outPath(out, entry.output)))) {
      plan.skipped++;
      continue;
    }
    // The JSON of a run killed before it wrote its index line, or of an older index.
    const existing = await readReport(outPath(out, jsonRel));
    if (existing?.source?.sha256 === hash) {
      await index.record({ file: f.rel, sha256: hash, size: f.size, mtimeMs: f.mtimeMs, status: 'ok', output: jsonRel });
      plan.skipped++;
      continue;
    }
    if (entry?.sha256 === hash && entry.status === 'failed' && entry.permanent && !ctx.retryFailed) {
      ctx.fail(f.rel, entry.code ?? 'FAILED', entry.message ?? 'The conversion failed in an earlier run.');
      continue;
    }
    const same = index.okFor(hash);
    if (same?.output && same.file !== f.rel && (await exists(outPath(out, same.output)))) {
      plan.toReuse.push({ file: f, sha256: hash, jsonRel, from: same.output });
      continue;
    }
    plan.toConvert.push({ file: f, sha256: hash, jsonRel });
  }
  return plan;
}

/**
 * Duplicates of a converted file: its report copied under this file's name. One whose report is gone
 * or holds other bytes now joins `toConvert`. Returns how many were copied.
 */
export async function copyDuplicates(ctx: RunContext, plan: Plan): Promise<number> {
  let reused = 0;
  for (const p of plan.toReuse) {
    const report = await readReport(outPath(ctx.out, p.from));
    if (!report || report.source?.sha256 !== p.sha256) {
      plan.toConvert.push(p);
      continue;
    }
    report.source.filename = basename(p.file.rel);
    await writeReport(outPath(ctx.out, p.jsonRel), report);
    await ctx.index.record({ file: p.file.rel, sha256: p.sha256, size: p.file.size, mtimeMs: p.file.mtimeMs, status: 'ok', output: p.jsonRel });
    reused++;
  }
  return reused;
}
