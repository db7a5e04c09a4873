/** The HTTP service: a thin shell over the pipeline. */
import express, { type Request } from 'express';
import multer from 'multer';
import { ConvertError } from '../intake/errors.js';
import { reportSchema } from '../model/schema.js';
import { convert } from '../pipeline.js';
import type { ServiceConfig } from './config.js';
import { errorHandler, notFound } from './errors.js';

export interface AppOptions {
  config: ServiceConfig;
  log?: (err: unknown) => void;
}

function charsetOf(req: Request): string | null {
  return /charset\s*=\s*"?([\w-]+)/i.exec(req.headers['content-type'] ?? '')?.[1] ?? null;
}

export function createApp({ config, log = (e) => console.error(e) }: AppOptions) {
  const app = express();
  app.disable('x-powered-by');
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: config.limits.maxBytes, files: 1, fields: 10 }, defParamCharset: 'utf8' });
  const raw = express.raw({ type: () => true, limit: config.limits.maxBytes });

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/v1/schema', (_req, res) => { res.type('application/schema+json').send(JSON.stringify(reportSchema)); });

  app.post('/v1/convert', (req, res, next) => {
    const multipart = req.is('multipart/form-data');
    const parser = multipart ? upload.single('file') : raw;
    parser(req, res, async (err?: unknown) => {
      if (err) return next(err);
      try {
        let bytes: Uint8Array;
        let filename = typeof req.query.filename === 'string' ? req.query.filename : undefined;
        if (multipart) {
          if (!req.file) throw new ConvertError('EMPTY_BODY', 400, 'The multipart request has no file: send it in the field "file".');
          bytes = req.file.buffer;
          filename ??= req.file.originalname;
        } else {
          bytes = Buffer.isBuffer(req.body) ? req.body : new Uint8Array();
        }
        const report = await convert(bytes, {
          filename,
          charset: multipart ? null : charsetOf(req),
          limits: config.limits,
          reviewThreshold: config.reviewThreshold,
        });
        res.json(report);
      } catch (e) {
        next(e);
      }
    });
  });

  app.use(notFound);
  app.use(errorHandler(config.limits.maxBytes, log));
  return app;
}
