/**
 * The HTTP side of the bot: the Webex webhook and the health endpoint. The webhook is
 * verified on the raw body before anything else runs; only then does the framework see it.
 */
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from '../log.js';
import { signWebexBody, verifyWebexSignature } from './signature.js';

export interface ReceiverOptions {
  /** Path part of WEBEX_WEBHOOK_URL; absent in websocket mode. */
  webhookPath: string | undefined;
  webhookSecret: string | undefined;
  /** Hands a verified event to the framework. */
  onEvent: (event: { body: unknown; headers: Record<string, string> }) => void;
  health: () => Promise<{ ok: boolean; [key: string]: unknown }>;
  /** Readiness: serving and able to do its job (state reachable, Webex initialized). */
  ready?: () => Promise<{ ok: boolean; [key: string]: unknown }>;
  /** More routes (push intake, metrics), mounted before the 404. */
  routes?: Router[];
  log: Logger;
}

export function createHttpApp(opts: ReceiverOptions): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', async (_req, res) => {
    const health = await opts.health().catch(() => ({ ok: false }));
    res.status(health.ok ? 200 : 503).json(health);
  });

  if (opts.webhookPath && opts.webhookSecret) {
    const secret = opts.webhookSecret;
    app.post(opts.webhookPath, express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verifyWebexSignature({ rawBody, signatureHeader: req.headers['x-spark-signature'], secret })) {
        opts.log.warn(
          { ip: req.ip, bytes: rawBody.length },
          'rejected a webhook call with a missing or wrong signature',
        );
        res.status(401).json({ message: 'signature required' });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        res.status(400).json({ message: 'body is not JSON' });
        return;
      }
      res.status(200).json({ ok: true });
      // The framework re-checks a signature over JSON.stringify(body); sign that form for it,
      // now that the real signature over the raw bytes has been verified.
      const resigned = signWebexBody(JSON.stringify(body), secret);
      try {
        opts.onEvent({ body, headers: { 'x-spark-signature': resigned } });
      } catch (err) {
        opts.log.error({ err }, 'webhook event handling failed');
      }
    });
  }

  app.get('/readyz', async (_req, res) => {
    const ready = await (opts.ready ?? opts.health)().catch(() => ({ ok: false }));
    res.status(ready.ok ? 200 : 503).json(ready);
  });

  for (const router of opts.routes ?? []) app.use(router);

  app.use((_req, res) => {
    res.status(404).json({ message: 'not found' });
  });
  app.use(jsonErrors(opts.log));
  return app;
}

/** What a caller is told when a body cannot be read; never a stack, whatever NODE_ENV says. */
const BODY_ERRORS: Record<number, string> = {
  400: 'the body could not be read (not valid JSON, or a broken encoding)',
  413: 'the body is too large',
  415: 'the body has an unsupported content encoding or charset',
};

/**
 * The one error handler of the HTTP side: bad JSON, oversize bodies, bad gzip and anything a
 * route throws become a short JSON answer; the details go to the log only.
 */
function jsonErrors(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const raw = (err as { status?: unknown; statusCode?: unknown } | null) ?? {};
    const given = typeof raw.status === 'number' ? raw.status : raw.statusCode;
    const status = typeof given === 'number' && given >= 400 && given < 500 ? given : 500;
    const type = (err as { type?: unknown } | null)?.type;
    if (status >= 500) log.error({ err, path: req.path }, 'HTTP request failed');
    else
      log.warn(
        { status, type: typeof type === 'string' ? type : undefined, path: req.path },
        'rejected a request body',
      );
    res.status(status).json({ message: BODY_ERRORS[status] ?? (status >= 500 ? 'internal error' : 'bad request') });
  };
}
