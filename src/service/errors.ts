/** Every error leaves the service as `{ error: { code, message } }` with a status that fits; never a stack trace. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '../api/wire.js';
import { ConvertError } from '../intake/errors.js';

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

const BUSBOY_MALFORMED = /^(Unexpected end of (form|file)|Malformed part header|Malformed urlencoded form)$/;

/** body-parser and multer errors, translated into what the user did wrong. */
function fromParserError(err: { type?: string; code?: string; status?: number; message?: string }, maxBytes: number): ConvertError | null {
  if (err.type === 'entity.too.large' || err.code === 'LIMIT_FILE_SIZE') {
    return new ConvertError('TOO_LARGE', 413, `The upload is larger than the limit of ${maxBytes} bytes (XXGK_MAX_BYTES).`);
  }
  if (err.code === 'LIMIT_UNEXPECTED_FILE' || err.code === 'LIMIT_FILE_COUNT') {
    return new ConvertError('BAD_MULTIPART', 400, 'Send exactly one file, in the multipart field "file".');
  }
  if (typeof err.code === 'string' && err.code.startsWith('LIMIT_')) {
    return new ConvertError('BAD_MULTIPART', 400, `The multipart request breaks a limit (${err.code}).`);
  }
  if (err.type === 'request.aborted') return new ConvertError('ABORTED', 400, 'The client aborted the upload.');
  if (err.type === 'charset.unsupported') {
    return new ConvertError('UNSUPPORTED_CHARSET', 415, `The body's charset is not supported (${err.message ?? 'unknown'}): send JSON as UTF-8.`);
  }
  if (err.type === 'encoding.unsupported') {
    return new ConvertError('UNSUPPORTED_CONTENT_ENCODING', 415, `The body's Content-Encoding is not supported (${err.message ?? 'unknown'}): send it uncompressed, or as gzip, deflate or br.`);
  }
  // busboy's words for a multipart body that breaks off or has a part header it cannot read.
  if (BUSBOY_MALFORMED.test(err.message ?? '')) {
    return new ConvertError('BAD_MULTIPART', 400, `The multipart body is malformed (${err.message}): send one complete part named "file", ended by its closing boundary.`);
  }
  if (err.status === 400 || /multipart|boundary/i.test(err.message ?? '')) {
    return new ConvertError('BAD_REQUEST', 400, `The request body cannot be read: ${err.message ?? 'malformed'}.`);
  }
  return null;
}

/** SQLite refusing writes (a read-only or full data folder): the service cannot store, so 503 rather than 500. */
function fromDatabaseError(err: { code?: unknown }): ConvertError | null {
  const code = typeof err.code === 'string' ? err.code : '';
  if (!/^SQLITE_(READONLY|FULL|IOERR|CANTOPEN)/.test(code)) return null;
  return new ConvertError('STORAGE_UNAVAILABLE', 503, `The service cannot write to its database in the data folder (XXGK_DATA_DIR): ${code}. Nothing was stored; an operator must make the folder writable.`);
}

export function errorHandler(maxBytes: number, log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    // Already answered (a body that timed out, then broke off): nothing more to say on this connection.
    if (res.headersSent) return;
    const known = err instanceof ConvertError ? err : fromParserError(err, maxBytes) ?? fromDatabaseError(err);
    if (known) {
      const retryAfter = (known as ConvertError & { retryAfter?: number }).retryAfter;
      if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
      res.status(known.status).json(errorBody(known.code, known.message));
      return;
    }
    log(err);
    res.status(500).json(errorBody('INTERNAL', 'The conversion failed unexpectedly; the error was logged.'));
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('NOT_FOUND', `No route ${req.method} ${req.path}.`));
};
