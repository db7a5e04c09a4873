/** The published JSON Schema of `xxgk/report@1` and a validator for it. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import schema from './report.schema.json' with { type: 'json' };

export const reportSchema = schema;

let validator: ReturnType<Ajv2020['compile']> | null = null;

/** Validation errors of a report against the schema, as readable lines (empty when valid). */
export function schemaErrors(report: unknown): string[] {
  validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  if (validator(report)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
