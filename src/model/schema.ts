/** The published JSON Schema of `xxgk/report@1` (served as is; `validate.ts` checks reports against it). */
import schema from './report.schema.json' with { type: 'json' };

export const reportSchema = schema;
