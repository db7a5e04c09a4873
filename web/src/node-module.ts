/**
 * `node:module` for the browser bundle: src/normalize/text.ts loads OpenCC lazily with createRequire (in
 * Node, to spare a process its dictionaries), which a browser does not have. The bundle has OpenCC
 * built in instead, and this require hands it over; vite.config.ts aliases `node:module` here.
 */
import * as t2cn from 'opencc-js/t2cn';

const bundled: Record<string, unknown> = { 'opencc-js/t2cn': t2cn };

export function createRequire(_from: string | URL): (id: string) => unknown {
  return (id) => {
    if (!(id in bundled)) throw new Error(`${id} is not in the correction UI's bundle`);
    return bundled[id];
  };
}
