/** What a reviewer sees: an element drawn inside the browser window, not merely present in the DOM. */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** The element is on screen: it has a size and lies inside the window. */
export async function onScreen(page: Page, locator: Locator, what: string): Promise<void> {
  await locator.waitFor();
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  assert.ok(box && box.width > 4 && box.height > 4, `${what} has a size: ${JSON.stringify(box)}`);
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width + 0.5 && box.y + box.height <= size.height + 0.5,
    `${what} is inside the ${size.width}×${size.height} window: ${JSON.stringify(box)}`);
}
