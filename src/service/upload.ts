/** Reading the uploaded file from a request: multipart (field `file`) or the raw body with its Content-Type. */
import express, { type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { ConvertError } from '../intake/errors.js';
import type { Limits } from '../intake/limits.js';
import { errorBody } from './errors.js';

export interface Upload {
  bytes: Buffer;
  filename: string | undefined;
  charset: string | null;
  /** Text fields of a multipart form (callbackUrl …). */
  fields: Record<string, string>;
}

export function uploadReader(limits: Limits) {
  const multipart = multer({ storage: multer.memoryStorage(), limits: { fileSize: limits.maxBytes, files: 1, fields: 10 }, defParamCharset: 'utf8' }).single('file');
  const raw = express.raw({ type: () => true, limit: limits.maxBytes });
  return (req: Request, res: Response): Promise<Upload> =>
    new Promise((resolve, reject) => {
      const isMultipart = !!req.is('multipart/form-data');
      (isMultipart ? multipart : raw)(req, res, (err?: unknown) => {
        if (err) return reject(err);
        const query = typeof req.query.filename === 'string' ? req.query.filename : undefined;
        if (isMultipart) {
          if (!req.file) return reject(new ConvertError('EMPTY_BODY', 400, 'The multipart request has no file: send it in the field "file".'));
          return resolve({ bytes: req.file.buffer, filename: query ?? req.file.originalname, charset: null, fields: { ...(req.body as Record<string, string>) } });
        }
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const charset = /charset\s*=\s*"?([\w-]+)/i.exec(req.headers['content-type'] ?? '')?.[1] ?? null;
        resolve({ bytes, filename: query, charset, fields: {} });
      });
    });
}

/**
 * A request's body must have arrived `timeoutMs` after its headers: a client trickling it gets 408 and
 * its connection is closed, so slow clients cannot pin connections (the headers' own limit is the
 * server's headersTimeout).
 */
export function bodyDeadline(timeoutMs: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
      res.status(408).json(errorBody('BODY_TIMEOUT', `The request body did not arrive within ${timeoutMs / 1000} s (XXGK_CLIENT_TIMEOUT_SECONDS); send it again on a faster connection.`));
    }, timeoutMs);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}
