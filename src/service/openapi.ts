/** The OpenAPI 3.1 description of the service, served at /openapi.json; a test holds it to the real routes. */
import { reportSchema } from '../model/schema.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

const uploadBody = {
  required: true,
  description: 'The report file: the raw body (any Content-Type; a charset parameter is honoured for text and HTML) or multipart with the field `file`.',
  content: {
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    'multipart/form-data': {
      schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, callbackUrl: { type: 'string', format: 'uri' } } },
    },
  },
};

const uploadParams = [
  { name: 'filename', in: 'query', schema: { type: 'string' }, description: 'Name of the file; its extension must agree with the bytes.' },
  { name: 'refresh', in: 'query', schema: { type: 'boolean' }, description: 'Convert again even when the same bytes were converted before.' },
];

const uploadErrors = {
  '400': error('No file, an unreadable body, or a bad parameter.'),
  '401': error('An API key is required.'),
  '403': error('The API key is not valid.'),
  '413': error('Over a size, page or pixel limit.'),
  '415': error('Not a supported type, or the name contradicts the bytes.'),
  '422': error('A damaged file, or a callback host off the allowlist.'),
  '429': { ...error('The queue is full; the Retry-After header says when to try again.'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  '503': error('The service is shutting down.'),
};

const authErrors = { '401': error('An API key is required.'), '403': error('The API key is not valid.') };

export const openapi = {
  openapi: '3.1.0',
  info: {
    title: 'xxgk-convert',
    version: '1',
    description: 'Converts government information-disclosure annual reports into the canonical model xxgk/report@1.',
  },
  components: {
    securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'One of XXGK_API_KEYS; not needed when none are set.' } },
    schemas: {
      Report: reportSchema,
      Error: {
        type: 'object', required: ['error'], additionalProperties: false,
        properties: { error: { type: 'object', required: ['code', 'message'], additionalProperties: false, properties: { code: { type: 'string' }, message: { type: 'string' } } } },
      },
      Job: {
        type: 'object',
        required: ['id', 'status', 'filename', 'created', 'started', 'finished', 'progress', 'error', 'resultId', 'links'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          status: { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
          filename: { type: 'string' },
          created: { type: 'string' },
          started: { type: ['string', 'null'] },
          finished: { type: ['string', 'null'] },
          progress: {
            type: 'object', required: ['pagesDone', 'pagesTotal'], additionalProperties: false,
            properties: { pagesDone: { type: 'integer' }, pagesTotal: { type: ['integer', 'null'] } },
          },
          error: { oneOf: [{ type: 'null' }, { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } }] },
          resultId: { type: ['string', 'null'] },
          links: { type: 'object', required: ['self', 'result'], properties: { self: { type: 'string' }, result: { type: ['string', 'null'] } } },
        },
      },
      Correction: {
        type: 'object', required: ['key', 'oldValue', 'newValue', 'oldText', 'newText', 'oldState', 'newState', 'who', 'at', 'version'],
        properties: {
          key: { type: 'string', description: 'A cell key, or report.agency, report.year or report.title.' },
          oldValue: { type: ['number', 'null'] }, newValue: { type: ['number', 'null'], description: "A cell's value or the year." },
          oldText: { type: ['string', 'null'] }, newText: { type: ['string', 'null'], description: 'The agency or the title.' },
          oldState: { enum: ['number', 'blank', 'missing', 'illegible', 'text'] }, newState: { enum: ['number', 'blank', 'text'] },
          who: { type: 'string', description: "The API key's name; without keys, the reviewer name sent with the save, else XXGK_USER_NAME." },
          at: { type: 'string' }, version: { type: 'integer' },
        },
      },
      CorrectionHistory: {
        type: 'object', required: ['resultId', 'version', 'corrections'],
        properties: { resultId: { type: 'string' }, version: { type: 'integer' }, corrections: { type: 'array', items: ref('Correction') } },
      },
      JobEnvelope: { type: 'object', required: ['job'], additionalProperties: false, properties: { job: ref('Job') } },
      ResultList: {
        type: 'object', required: ['results', 'nextCursor', 'counts'], additionalProperties: false,
        properties: {
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'filename', 'mediaType', 'agency', 'year', 'template', 'confidence', 'checksFailed', 'lowConfidence', 'queued', 'version', 'created'],
              properties: {
                id: { type: 'string' }, filename: { type: 'string' }, mediaType: { type: 'string' }, agency: { type: ['string', 'null'] },
                year: { type: ['integer', 'null'] }, template: { type: 'string' }, confidence: { type: 'number' }, checksFailed: { type: 'integer' },
                lowConfidence: { type: 'integer' },
                queued: { type: 'integer', description: 'Cells in the review queue at the service threshold (low confidence or in a failing check), as of the last save.' },
                version: { type: 'integer', description: '0 until a correction is saved.' }, created: { type: 'string' },
              },
            },
          },
          nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' },
          counts: {
            type: 'object', required: ['results', 'needsReview'], additionalProperties: false,
            description: 'Over every result the caller may see, whatever the page and filter.',
            properties: { results: { type: 'integer' }, needsReview: { type: 'integer' } },
          },
        },
      },
    },
  },
  security: [{ apiKey: [] }],
  paths: {
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'The process is up.', content: json({ type: 'object', required: ['status'], properties: { status: { const: 'ok' } } }) } } } },
    '/readyz': {
      get: {
        summary: 'Readiness: the database answers and the workers are there',
        responses: { '200': { description: 'Ready.', content: json({ type: 'object', required: ['status', 'queue'] }) }, '503': error('Not ready.'), ...authErrors },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } }, ...authErrors } } },
    '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) }, ...authErrors } } },
    '/v1/schema': { get: { summary: 'JSON Schema of xxgk/report@1', responses: { '200': { description: 'The schema.', content: { 'application/schema+json': { schema: { type: 'object' } } } }, ...authErrors } } },
    '/v1/convert': {
      post: {
        summary: 'Convert a file, waiting up to `wait` seconds',
        parameters: [...uploadParams, { name: 'wait', in: 'query', schema: { type: 'number', minimum: 0, maximum: 300 }, description: 'Seconds to wait before answering 202 with the job (default XXGK_SYNC_WAIT_SECONDS).' }],
        requestBody: uploadBody,
        responses: {
          '200': { description: 'The converted report.', content: json(ref('Report')) },
          '202': { description: 'Not done in time: the job, to poll.', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('JobEnvelope')) },
          '504': error('The conversion ran past the time limit.'),
          ...uploadErrors,
        },
      },
    },
    '/v1/jobs': {
      post: {
        summary: 'Queue a conversion',
        parameters: [...uploadParams, { name: 'callbackUrl', in: 'query', schema: { type: 'string', format: 'uri' }, description: 'Called (POST, signed) when the job finishes; the host must be on XXGK_CALLBACK_HOSTS.' }],
        requestBody: uploadBody,
        responses: { '202': { description: 'Queued (or answered from the cache).', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('JobEnvelope')) }, ...uploadErrors },
      },
    },
    '/v1/jobs/{id}': {
      get: { summary: 'Job status and progress', parameters: [idParam], responses: { '200': { description: 'The job.', content: json(ref('JobEnvelope')) }, '404': error('No such job.'), ...authErrors } },
      delete: { summary: 'Cancel a job', parameters: [idParam], responses: { '200': { description: 'The job after cancelling.', content: json(ref('JobEnvelope')) }, '404': error('No such job.'), ...authErrors } },
    },
    '/v1/jobs/{id}/result': {
      get: {
        summary: 'The result of a finished job',
        parameters: [idParam],
        responses: {
          '200': { description: 'The report.', content: json(ref('Report')) },
          '404': error('No such job.'),
          '409': error('Not finished yet.'),
          '410': error('Cancelled.'),
          '413': error('The job failed: over a limit.'),
          '415': error('The job failed: unsupported type.'),
          '422': error('The job failed: damaged file.'),
          '504': error('The job failed: time limit.'),
          ...authErrors,
        },
      },
    },
    '/v1/results': {
      get: {
        summary: 'Stored results visible to the caller, a page at a time',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 500 }, description: 'Results per page.' },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'The nextCursor of the page before: the results after it.' },
          { name: 'needsReview', in: 'query', schema: { type: 'boolean' }, description: 'Only results with cells in the review queue.' },
          { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'Words that must each appear in the agency, the file name or the year (case-insensitive).' },
        ],
        responses: { '200': { description: 'Newest first.', content: json(ref('ResultList')) }, '400': error('A bad limit, cursor, needsReview or q.'), ...authErrors },
      },
    },
    '/v1/results/{id}/corrections': {
      get: { summary: 'Every saved change of a result, oldest first, and its current version', parameters: [idParam], responses: { '200': { description: 'The history.', content: json(ref('CorrectionHistory')) }, '404': error('No such result.'), ...authErrors } },
      put: {
        summary: 'Save corrections made against a version of the result',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: json({
            type: 'object', required: ['baseVersion', 'changes'],
            properties: {
              baseVersion: { type: 'integer', description: 'The version the changes were made against (from GET …/corrections).' },
              changes: {
                type: 'array', minItems: 1, maxItems: 1000,
                items: {
                  type: 'object', required: ['key', 'value'],
                  properties: {
                    key: { type: 'string', description: 'A cell key, or report.agency, report.year or report.title.' },
                    value: { type: ['number', 'string', 'null'], description: 'A number for a cell (null: blank) or the year (1990–2100); text for the agency or title; null clears a field.' },
                  },
                },
              },
              reviewer: { type: 'string', maxLength: 60, description: 'Who saves, recorded with each change when the service has no API keys (with keys, the key\'s name is).' },
            },
          }),
        },
        responses: {
          '200': { description: 'Saved: the new version and the corrected report.', content: json({ type: 'object', required: ['resultId', 'version', 'saved', 'report'], properties: { report: ref('Report') } }) },
          '404': error('No such result.'),
          '409': error('Someone else saved since that version: reload and apply again.'),
          '422': error('A key that is not in the result, a cell that is not printed, a value of the wrong kind, or a bad reviewer name.'),
          ...authErrors,
        },
      },
    },
    '/v1/results/{id}/pages/{file}': {
      get: {
        summary: 'A page of the document as PNG (PDF and image sources), for outlining cells',
        parameters: [idParam, { name: 'file', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+\\.png$' }, description: '`<page>.png`, pages from 1' }],
        responses: {
          '200': { description: 'The page image.', headers: { 'X-Page-Scale': { schema: { type: 'number' }, description: 'Image pixels per bbox unit.' } }, content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } },
          '404': error('No such result or page, or a markup document (no page images).'),
          ...authErrors,
        },
      },
    },
    '/v1/results/{id}': {
      get: { summary: 'A stored result, with its corrections applied', parameters: [idParam], responses: { '200': { description: 'The report.', content: json(ref('Report')) }, '404': error('No such result.'), ...authErrors } },
    },
  },
} as const;
