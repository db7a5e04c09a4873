/**
 * Several paddle engines over one port to a recognition host (a conversion worker with
 * XXGK_OCR_THREADS ≥ 2): each crop must get its own answer, whatever order the host replies in, and a
 * request given up on must neither hang nor leak nor settle anyone else's. A fake host on a real
 * MessageChannel answers with the crop's first pixel; the last test uses the real PP-OCR host.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Crop } from '../src/extract/ocr/engine.js';
import { PaddleHost } from '../src/extract/ocr/paddle-host.js';
import { PaddleWorkerEngine, type PaddleReply, type PaddleRequest } from '../src/extract/ocr/paddle.js';
import { digits } from './support/crops.js';

/** A 4×4 gray crop of one value, which the fake host reads back as `px<value>`. */
const crop = (v: number): Crop => ({ data: Buffer.alloc(16, v), width: 4, height: 4 });

/** A fake host: replies to the crop of value v after delay(v) ms (held back when delay is null). */
function fakeHost(delay: (v: number) => number | null) {
  const { port1, port2 } = new MessageChannel();
  const held: PaddleRequest[] = [];
  const reply = (job: PaddleRequest) =>
    port1.postMessage({ id: job.id, result: { text: `px${job.data[0]}`, confidence: 1, chars: [] } } satisfies PaddleReply);
  port1.on('message', (job: PaddleRequest) => {
    const d = delay(job.data[0]);
    if (d === null) held.push(job);
    else setTimeout(() => reply(job), d);
  });
  return { host: port1, port: port2, held, reply };
}

const settled = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => `rejected: ${e.message}`);
/** How `p` has settled by the next turn of the event loop (a request left hanging is 'waiting'). */
const stateNow = (p: Promise<string>) => Promise.race([p, new Promise<string>((r) => setImmediate(() => r('waiting')))]);

test('two engines over one port: each crop gets its own text, though the host answers the later one first', async (t) => {
  const { host, port } = fakeHost((v) => (v === 1 ? 40 : 5));
  t.after(() => host.close());
  const a = PaddleWorkerEngine.over(port);
  const b = PaddleWorkerEngine.over(port);
  const [ra, rb] = await Promise.all([a.recognize(crop(1), 'text'), b.recognize(crop(2), 'text')]);
  assert.equal(ra.text, 'px1');
  assert.equal(rb.text, 'px2');
  // And again, with more engines and crops in flight at once than before.
  const engines = [a, b, PaddleWorkerEngine.over(port)];
  const values = [3, 4, 5, 6, 7, 8];
  const texts = await Promise.all(values.map((v, i) => engines[i % engines.length].recognize(crop(v), 'number').then((r) => r.text)));
  assert.deepEqual(texts, values.map((v) => `px${v}`));
  // Nothing waits any more: the port no longer holds the thread alive.
  assert.equal(port.hasRef(), false);
});

test('a closed engine: its waiting crop is rejected, not left hanging, and the late reply is dropped', async (t) => {
  const { host, port, held, reply } = fakeHost((v) => (v === 1 ? null : 5));
  t.after(() => host.close());
  const a = PaddleWorkerEngine.over(port);
  const b = PaddleWorkerEngine.over(port);
  const waiting = settled(a.recognize(crop(1), 'text'));
  while (held.length === 0) await new Promise((r) => setTimeout(r, 2));
  assert.equal(port.hasRef(), true, 'a waiting request holds the port');
  await a.close();
  assert.equal(await stateNow(waiting), 'rejected: The OCR engine was closed.');
  assert.equal(port.hasRef(), false, 'the given-up request no longer holds the port');
  // The other engine reads on; the host's late answer to the closed engine's crop settles nothing of it.
  const next = b.recognize(crop(2), 'text');
  reply(held[0]);
  assert.equal((await next).text, 'px2');
  assert.equal(port.hasRef(), false);
});

test('the host going away rejects every engine\'s waiting crop', async () => {
  const { host, port } = fakeHost(() => null);
  const engines = [PaddleWorkerEngine.over(port), PaddleWorkerEngine.over(port)];
  const waiting = engines.map((e, i) => settled(e.recognize(crop(i + 1), 'text')));
  await new Promise((r) => setTimeout(r, 10));
  host.close();
  assert.deepEqual(await Promise.all(waiting), ['rejected: The OCR host went away.', 'rejected: The OCR host went away.']);
});

test('the real PP-OCR host: two engines over one port read two different crops', async (t) => {
  const hostSide = new PaddleHost(1);
  t.after(() => hostSide.close());
  const port: MessagePort = hostSide.connect();
  const a = PaddleWorkerEngine.over(port);
  const b = PaddleWorkerEngine.over(port);
  const [ra, rb] = await Promise.all([a.recognize(await digits('3141592'), 'number'), b.recognize(await digits('2718'), 'number')]);
  assert.equal(ra.text, '3141592');
  assert.equal(rb.text, '2718');
  port.close();
});
