/**
 * A fixed pool of conversion worker threads (tesseract.js's scheduler idea: workers start once and
 * take tasks in turn). A task that runs past its time limit, or is cancelled, costs its worker: the
 * thread is terminated and a fresh one takes its place. The OCR recognition threads the workers read
 * with belong to the pool, not to them (paddle-host.ts): terminating one of those aborts the process.
 */
import { Worker } from 'node:worker_threads';
import { PaddleHost } from '../extract/ocr/paddle-host.js';
import type { WorkMessage, WorkRequest, WorkerSetup } from './worker.js';

export type TaskOutcome =
  /** `report`: the model, or for a page request the page image. */
  | { ok: true; report: unknown }
  | { ok: false; code: string; status: number; message: string };

interface Task {
  request: WorkRequest;
  onProgress: (done: number, total: number | null) => void;
  resolve: (o: TaskOutcome) => void;
  timeoutMs: number;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

// Built, the worker is worker.js. Run from source (tests, development), it is worker.ts, and a
// worker thread does not inherit tsx's loader: the thread registers it before importing.
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
/**
 * Each worker's heap is bounded: a runaway document fails its job (WORKER_CRASHED) instead of the
 * service, and a small young generation keeps the idle footprint of several workers low.
 */
const resourceLimits = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 8 };
const newWorker = (name: string, setup: WorkerSetup) => {
  const options = { name, resourceLimits, workerData: setup, transferList: [setup.paddle] };
  return fromSource
    ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(workerUrl.href)}); })`, { ...options, eval: true })
    : new Worker(workerUrl, options);
};

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private closed = false;
  /** One recognition session per worker, as if each had its own, but outliving the workers. */
  private readonly paddle: PaddleHost;

  /** `timeoutSetting` names, in the TIMEOUT message, where the user changes the limit. */
  constructor(size: number, private readonly name: string, private readonly timeoutSetting = 'XXGK_JOB_TIMEOUT_SECONDS') {
    this.paddle = new PaddleHost(size);
    for (let i = 0; i < size; i++) {
      const slot = { task: null, timer: null } as unknown as Slot;
      this.attach(slot);
      this.slots.push(slot);
    }
  }

  /** Gives the slot a new worker thread whose messages settle the slot's task. */
  private attach(slot: Slot): void {
    slot.worker = newWorker(this.name, { paddle: this.paddle.connect() });
    slot.worker.on('message', (m: WorkMessage) => {
      const task = slot.task;
      if (!task) return;
      if (m.type === 'progress') return task.onProgress(m.done, m.total);
      this.finish(slot, m.type === 'done' ? { ok: true, report: m.report } : { ok: false, code: m.code, status: m.status, message: m.message });
    });
    slot.worker.on('error', (err) => this.replace(slot, { ok: false, code: 'WORKER_CRASHED', status: 500, message: `The conversion worker crashed: ${err.message}` }));
    slot.worker.on('exit', () => {
      if (!this.closed && slot.task) this.replace(slot, { ok: false, code: 'WORKER_CRASHED', status: 500, message: 'The conversion worker exited unexpectedly (out of memory?).' });
    });
  }

  get idle(): number {
    return this.slots.filter((s) => !s.task).length;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs a task on an idle worker; the caller only submits when `idle > 0`. Returns a cancel function. */
  run(request: WorkRequest, timeoutMs: number, onProgress: Task['onProgress']): { outcome: Promise<TaskOutcome>; cancel: () => void } {
    const slot = this.slots.find((s) => !s.task);
    if (!slot) throw new Error(`${this.name} pool has no idle worker`);
    let resolve!: (o: TaskOutcome) => void;
    const outcome = new Promise<TaskOutcome>((r) => (resolve = r));
    slot.task = { request, onProgress, resolve, timeoutMs };
    slot.timer = setTimeout(() => this.replace(slot, {
      ok: false, code: 'TIMEOUT', status: 504,
      message: `The conversion took longer than ${Number((timeoutMs / 1000).toPrecision(3))} s (${this.timeoutSetting}) and was stopped.`,
    }), timeoutMs);
    // A private copy: the caller's Buffer may share its memory with others, and this one is transferred.
    const bytes = new Uint8Array(request.bytes);
    slot.worker.postMessage({ ...request, bytes }, [bytes.buffer]);
    const task = slot.task;
    return { outcome, cancel: () => { if (slot.task === task) this.replace(slot, { ok: false, code: 'CANCELLED', status: 409, message: 'The job was cancelled.' }); } };
  }

  private finish(slot: Slot, outcome: TaskOutcome): void {
    const task = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    task?.resolve(outcome);
  }

  /** Ends a worker that is stuck or no longer wanted, and puts a fresh one in its place. */
  private replace(slot: Slot, outcome: TaskOutcome): void {
    const old = slot.worker;
    this.finish(slot, outcome);
    old.removeAllListeners();
    void old.terminate();
    if (!this.closed) this.attach(slot);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => { if (s.timer) clearTimeout(s.timer); return s.worker.terminate(); }));
    await this.paddle.close();
  }
}
