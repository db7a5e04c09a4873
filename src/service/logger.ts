/** The logger of every process (serve, worker), with the secrets masked. */
import { pino, type Logger } from 'pino';
import type { ServiceConfig } from './config.js';
import { secretScrubber } from './redact.js';

/** The service's logger: JSON lines on stdout, with every configured secret replaced wherever it appears. */
export function serviceLogger(config: ServiceConfig, destination?: { write(line: string): void }): Logger {
  const scrub = secretScrubber(config);
  const options = { level: config.logLevel, ...(scrub && { hooks: { streamWrite: scrub } }) };
  return destination ? pino(options, destination) : pino(options);
}
