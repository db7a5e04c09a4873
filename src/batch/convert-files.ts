/**
 * The conversions of a batch run, `concurrency` at once. Locally each file goes to a worker thread: both
 * cores work, a document that exhausts its bounded heap or hangs fails alone, and the heap a long PDF
 * grew is given back when it ends. With a service, each file is a request. A failure is listed and
 * recorded (its stale JSON removed); the first Ctrl-C (`stop`) starts no new file, the second
 * (`abandon`) gives up the files in flight unrecorded, so the next run converts them.
 */
import { readFile, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { ConvertError } from '../intake/errors.js';
import type { Report } from '../model/report.js';
import { WorkerPool } from '../jobs/pool.js';
import type { RunContext } from './context.js';
import { failureOf } from './failure.js';
import { outPath, writeReport } from './files.js';
import { inTurn } from './in-turn.js';
import type { Planned } from './plan.js';
import { Progress } from './progress.js';
import { sha256 } from './resume.js';

export interface Conversions {
  converted: number;
  /** Files started (the rest were not, the run being stopped). */
  begun: number;
  abandoned: number;
}

/** A conversion given up because the run was abandoned (a second Ctrl-C). */
class Abandoned extends Error {
  constructor() {
    super('abandoned');
  }
}

/** Settles with the work, or rejects when the run is abandoned (after cancelling the work). */
function whileWanted<T>(work: Promise<T>, cancel: () => void, abandon: AbortSignal | undefined): Promise<T> {
  if (!abandon) return work;
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = () => {
      cancel();
      reject(new Abandoned());
    };
    if (abandon.aborted) return onAbort();
    abandon.addEventListener('abort', onAbort, { once: true });
    work.then(resolvePromise, reject).finally(() => abandon.removeEventListener('abort', onAbort));
  });
}

export async function convertFiles(ctx: RunContext, toConvert: Planned[]): Promise<Conversions> {
  const { remote, index, out, limits } = ctx;
  const progress = new Progress(ctx.sink, toConvert.length);
  const workers = remote || !toConvert.length ? null : new WorkerPool(Math.min(ctx.concurrency, toConvert.length), 'batch', '--timeout');
  const done: Conversions = { converted: 0, begun: 0, abandoned: 0 };
  const convertLocally = async (bytes: Uint8Array, filename: string): Promise<Report> => {
    const request = { bytes, filename, charset: null, limits, reviewThreshold: ctx.threshold, id: randomUUID() };
    const task = workers!.run(request, ctx.timeoutMs, () => undefined);
    const outcome = await whileWanted(task.outcome, task.cancel, ctx.abandon);
    if (!outcome.ok) throw new ConvertError(outcome.code, outcome.status, outcome.message);
    return outcome.report as Report;
  };
  try {
    done.begun = await inTurn(toConvert, ctx.concurrency, async (p) => {
      const rel = p.file.rel;
      const t0 = performance.now();
      const seconds = () => (performance.now() - t0) / 1000;
      progress.start(rel);
      let hash = p.sha256;
      try {
        if (!remote && p.file.size > limits.maxBytes) {
          throw new ConvertError('TOO_LARGE', 413, `The file is ${p.file.size} bytes; the limit is ${limits.maxBytes}.`);
        }
        const bytes = await readFile(p.file.path);
        hash = sha256(bytes);
        const filename = basename(rel);
        // Abandoned, the client stops polling and cancels the service's job before this file is let go.
        const report = remote ? await remote.convert(bytes, filename, ctx.abandon) : await convertLocally(bytes, filename);
        // A service may answer from its cache with the name the bytes were first sent under.
        report.source.filename = filename;
        await writeReport(outPath(out, p.jsonRel), report);
        await index.record({ file: rel, sha256: hash, size: p.file.size, mtimeMs: p.file.mtimeMs, status: 'ok', output: p.jsonRel });
        done.converted++;
        progress.finishFile(rel, { kind: 'ok', detail: `${report.report.template} ${report.source.route}  confidence ${report.summary.confidence}` }, seconds());
      } catch (err) {
        if (err instanceof Abandoned || ctx.abandon?.aborted) {
          // Not recorded: the next run converts it.
          done.abandoned++;
          progress.finishFile(rel, { kind: 'failed', code: 'ABANDONED', message: 'interrupted; converted by the next run' }, seconds());
          return;
        }
        const e = failureOf(err);
        ctx.fail(rel, e.code, e.message);
        // Its earlier JSON (other bytes) is stale now.
        await rm(outPath(out, p.jsonRel), { force: true }).catch(() => undefined);
        await index
          .record({ file: rel, sha256: hash, size: p.file.size, mtimeMs: p.file.mtimeMs, status: 'failed', code: e.code, message: e.message, permanent: e.permanent })
          .catch(() => undefined);
        progress.finishFile(rel, { kind: 'failed', code: e.code, message: e.message }, seconds());
      }
    }, ctx.stop);
  } finally {
    await workers?.close();
  }
  progress.end();
  return done;
}
