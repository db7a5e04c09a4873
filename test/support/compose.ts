/** deploy/compose.yaml as compose reads it (anchors merged): what deploy.test.ts and image-run.test.ts run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './fixtures.js';

export interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
}

export const compose = parse(readFileSync(join(repoRoot, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

/** The port a service's command or environment gives it inside its container. */
export function composePort(s: ComposeService): string {
  const i = s.command!.indexOf('--port');
  return i >= 0 ? s.command![i + 1] : s.environment!.PORT;
}
