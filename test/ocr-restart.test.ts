/**
 * A recognition thread of the service's OCR host that exits unasked (a crash, an aborted session) is
 * started again on the next crop. Before, the host kept handing crops to the dead thread, and every
 * later OCR job waited for its time limit until the service was restarted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PaddleHost } from '../src/extract/ocr/paddle-host.js';
import { PaddleWorkerEngine } from '../src/extract/ocr/paddle.js';
import { digits } from './support/crops.js';

/** The promise's value, or a failure naming the hang (a crop sent to a dead thread is never answered). */
function answered<T>(p: Promise<T>, what: string): Promise<T> {
  let timer!: NodeJS.Timeout;
  const hang = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer in 60 s`)), 60_000); });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

test('a recognition thread that exits unasked is started again, and the next crop is read', async (t) => {
  const made: PaddleWorkerEngine[] = [];
  const host = new PaddleHost(1, async () => {
    const thread = await PaddleWorkerEngine.create({ threads: 1 });
    made.push(thread);
    return thread;
  });
  t.after(() => host.close());
  const port = host.connect();
  t.after(() => port.close());
  const engine = PaddleWorkerEngine.over(port);
  assert.equal((await engine.recognize(await digits('3141592'), 'number')).text, '3141592');
  assert.equal(made.length, 1);
  // The thread ends without the host asking: it releases its session and exits, as a crashed one exits.
  await made[0].close();
  assert.equal(made[0].exited, true);
  const next = await answered(engine.recognize(await digits('2718'), 'number'), 'the crop after the thread exited');
  assert.equal(next.text, '2718');
  assert.equal(made.length, 2, 'a second recognition thread was started');
  assert.equal(made[1].exited, false);
});
