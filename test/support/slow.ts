/** Inputs that keep a worker busy for seconds, to catch jobs while they run. */

/** A text of `lines` table-like rows: about 0.1 ms of work per row on this machine. */
export function slowText(lines = 60_000, salt = ''): Buffer {
  const rows: string[] = [];
  for (let i = 0; i < lines; i++) rows.push(`其他主动公开文件第${i}项${salt} | ${i} | ${i + 1} | ${i + 2}`);
  return Buffer.from(rows.join('\n'));
}

export async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
