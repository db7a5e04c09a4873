/** A service instance for supertest, on the same configuration code the CLI uses. */
import request from 'supertest';
import { createApp } from '../../src/service/app.js';
import { configFromEnv } from '../../src/service/config.js';
import type { Report } from '../../src/model/report.js';
import { schemaErrors } from '../../src/model/schema.js';
import assert from 'node:assert/strict';

export function testApp(env: NodeJS.ProcessEnv = {}) {
  const errors: unknown[] = [];
  const app = createApp({ config: configFromEnv(env), log: (e) => errors.push(e) });
  return { app, errors };
}

/** POSTs raw bytes to /v1/convert and returns the validated model. */
export async function convertVia(app: ReturnType<typeof testApp>['app'], bytes: Buffer, filename: string, contentType = 'application/octet-stream'): Promise<Report> {
  const res = await request(app).post(`/v1/convert?filename=${encodeURIComponent(filename)}`).set('Content-Type', contentType).send(bytes);
  assert.equal(res.status, 200, `${filename}: ${JSON.stringify(res.body)}`);
  assert.deepEqual(schemaErrors(res.body), [], `${filename} does not match the schema`);
  return res.body as Report;
}
