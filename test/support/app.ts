/** A real service instance for supertest: its own data directory, workers, and the configuration code the CLI uses. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import request from 'supertest';
import { createService, type Service } from '../../src/service/app.js';
import { configFromEnv } from '../../src/service/config.js';
import type { Report } from '../../src/model/report.js';
import { schemaErrors } from '../../src/model/validate.js';
import { pino } from 'pino';
import { testStoreEnv } from './postgres.js';

export interface TestService extends Service {
  errors: unknown[];
  dataDir: string;
}

/**
 * Starts a service for the current test file and closes it (and removes its data) after the file's tests.
 * Its store is SQLite, or a fresh PostgreSQL database when postgres.test.ts runs the file again.
 */
export function testApp(env: NodeJS.ProcessEnv = {}): TestService {
  const dataDir = mkdtempSync(join(tmpdir(), 'xxgk-test-'));
  const errors: unknown[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => errors.push(JSON.parse(line)) });
  const service = createService(configFromEnv({ XXGK_WORKERS: '2', XXGK_SHUTDOWN_GRACE_SECONDS: '0', ...env, ...testStoreEnv(), XXGK_DATA_DIR: dataDir }), log);
  after(async () => {
    await service.ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { ...service, errors, dataDir };
}

/**
 * POSTs raw bytes to /v1/convert and returns the validated model. It waits as long as the API allows
 * (300 s): these tests are about the answer, and a loaded machine may take longer than the default 30 s.
 */
export async function convertVia(app: Service['app'], bytes: Buffer, filename: string, contentType = 'application/octet-stream'): Promise<Report> {
  const res = await request(app).post(`/v1/convert?filename=${encodeURIComponent(filename)}&wait=300`).set('Content-Type', contentType).send(bytes);
  assert.equal(res.status, 200, `${filename}: ${JSON.stringify(res.body)}`);
  assert.deepEqual(schemaErrors(res.body), [], `${filename} does not match the schema`);
  return res.body as Report;
}
