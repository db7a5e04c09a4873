/**
 * Conversions as jobs: POST /v1/jobs answers 202 at once; POST /v1/convert waits up to `wait`
 * seconds and answers with the model, or 202 with the job when it is not done by then. The same
 * bytes with the same options come from the cache unless `refresh=true`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { JobEnvelope, JobView } from '../../api/wire.js';
import { ConvertError } from '../../intake/errors.js';
import { sniff } from '../../intake/sniff.js';
import type { Job } from '../../store/store.js';
import { visibleOwner, type Principal } from '../auth.js';
import { errorBody } from '../errors.js';
import type { ServiceContext } from '../context.js';
import { uploadReader } from '../upload.js';
import { checkCallbackUrl } from '../webhooks.js';

/** Options that change the output; part of the cache key. None yet beyond the defaults. */
const OPTIONS_KEY = 'v1';
const MAX_WAIT_SECONDS = 300;

function jobView(job: Job): JobView {
  return {
    id: job.id,
    status: job.status,
    filename: job.filename,
    created: job.created,
    started: job.started,
    finished: job.finished,
    progress: { pagesDone: job.pagesDone, pagesTotal: job.pagesTotal },
    error: job.error ? { code: job.error.code, message: job.error.message } : null,
    resultId: job.resultId,
    links: { self: `/v1/jobs/${job.id}`, result: job.resultId ? `/v1/results/${job.resultId}` : null },
  };
}

export function jobsRouter(ctx: ServiceContext): Router {
  const router = Router();
  const readUpload = uploadReader(ctx.config.limits);
  const principal = (res: Response) => res.locals.principal as Principal;

  /** Reads, checks and queues an upload (or finds it in the cache). */
  async function submit(req: Request, res: Response): Promise<Job> {
    const upload = await readUpload(req, res);
    if (!upload.bytes.length) throw new ConvertError('EMPTY_BODY', 400, 'The request carries no file: the body is empty.');
    const filename = upload.filename ?? 'upload';
    const sniffed = await sniff(upload.bytes, filename, upload.charset);
    const callbackRaw = (typeof req.query.callbackUrl === 'string' ? req.query.callbackUrl : undefined) ?? upload.fields.callbackUrl;
    const callbackUrl = callbackRaw ? checkCallbackUrl(callbackRaw, ctx.config) : null;
    const lane = sniffed.format === 'image' ? 'ocr' : 'main';
    const p = principal(res);
    if (req.query.refresh !== 'true' && !callbackUrl) {
      const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
      const cached = await ctx.results.findCached(visibleOwner(ctx.config, p), sha256, OPTIONS_KEY);
      if (cached) return ctx.jobs.createFinished({ id: randomUUID(), owner: p.owner, sha256, filename, optionsKey: OPTIONS_KEY, lane, resultId: cached });
    }
    return ctx.queue.submit({ owner: p.owner, bytes: upload.bytes, filename, charset: upload.charset, optionsKey: OPTIONS_KEY, lane, callbackUrl });
  }

  async function ownJob(req: Request, res: Response): Promise<Job | null> {
    const job = await ctx.jobs.get(String(req.params.id));
    const owner = visibleOwner(ctx.config, principal(res));
    if (!job || (owner !== null && job.owner !== owner)) {
      res.status(404).json(errorBody('JOB_NOT_FOUND', `No job ${req.params.id}.`));
      return null;
    }
    return job;
  }

  const envelope = (job: Job): JobEnvelope => ({ job: jobView(job) });
  const accepted = (res: Response, job: Job) => res.status(202).location(`/v1/jobs/${job.id}`).json(envelope(job));

  router.post('/v1/jobs', async (req, res) => {
    accepted(res, await submit(req, res));
  });

  router.post('/v1/convert', async (req, res) => {
    const wait = req.query.wait === undefined ? ctx.config.syncWaitSeconds : Number(req.query.wait);
    if (!Number.isFinite(wait) || wait < 0 || wait > MAX_WAIT_SECONDS) {
      throw new ConvertError('BAD_WAIT', 400, `wait must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}.`);
    }
    const job = await ctx.queue.waitFor((await submit(req, res)).id, wait * 1000);
    if (job.status === 'succeeded') {
      res.json(await ctx.reportOf(job.resultId!));
    } else if (job.status === 'failed') {
      res.status(job.error!.status).json(errorBody(job.error!.code, job.error!.message));
    } else {
      accepted(res, job);
    }
  });

  router.get('/v1/jobs/:id', async (req, res) => {
    const job = await ownJob(req, res);
    if (job) res.json(envelope(job));
  });

  router.get('/v1/jobs/:id/result', async (req, res) => {
    const job = await ownJob(req, res);
    if (!job) return;
    if (job.status === 'succeeded') res.json(await ctx.reportOf(job.resultId!));
    else if (job.status === 'failed') res.status(job.error!.status).json(errorBody(job.error!.code, job.error!.message));
    else if (job.status === 'cancelled') res.status(410).json(errorBody('JOB_CANCELLED', 'The job was cancelled; it has no result.'));
    else res.status(409).location(`/v1/jobs/${job.id}`).json(errorBody('JOB_NOT_FINISHED', `The job is ${job.status}; ask again later.`));
  });

  router.delete('/v1/jobs/:id', async (req, res) => {
    const job = await ownJob(req, res);
    if (job) res.json(envelope((await ctx.queue.cancel(job.id))!));
  });

  return router;
}
