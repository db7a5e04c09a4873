/** sharp, loaded on first use (start-up of commands that never decode an image stays fast), one thread, no cache. */
type Sharp = typeof import('sharp').default;
let sharpMod: Sharp | null = null;
export async function sharpLib(): Promise<Sharp> {
  if (!sharpMod) {
    const m = await import('sharp');
    sharpMod = m.default;
    sharpMod.cache(false);
    sharpMod.concurrency(1);
  }
  return sharpMod;
}
