/** Runs fn over items, `concurrency` at once; once `stop` is aborted no new item starts. Returns how many started. */
export async function inTurn<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>, stop?: AbortSignal): Promise<number> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length && !stop?.aborted) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
  return next;
}
