/**
 * A validator for `xxgk/report@1`. Apart from schema.ts because ajv takes a tenth of a second to load,
 * and the service only serves the schema: the tests and tools that validate load it.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { reportSchema } from './schema.js';

let validator: ReturnType<Ajv2020['compile']> | null = null;

/** Validation errors of a report against the schema, as readable lines (empty when valid). */
export function schemaErrors(report: unknown): string[] {
  validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(reportSchema);
  if (validator(report)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
