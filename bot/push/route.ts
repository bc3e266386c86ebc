/**
 * `POST /sna/alarms`: SNA Response Management pushes alarms here the moment they fire.
 * Authenticated by SNA_WEBHOOK_TOKEN (`Authorization: Bearer …` or `X-SNA-Token`), compared in
 * constant time. Events join the same pipeline as polled ones, so the poller (the safety net)
 * recognizes them as seen and never doubles a card.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import type { Logger } from '../log.js';
import type { EventPipeline } from '../pipeline/event-pipeline.js';
import { FUTURE_TOLERANCE_MS } from '../pipeline/event-pipeline.js';
import { pushBodySchema, toEvents } from './schema.js';

export interface PushRouteOptions {
  token: string;
  pipeline: EventPipeline;
  /** The tenant key the poller uses, so both share one seen-set. */
  tenantKey: () => Promise<string>;
  /** Names of event types, when the SMC is configured (pushed alarms may carry their own). */
  typeNames: () => Promise<ReadonlyMap<number, string>>;
  log: Logger;
  now: () => Date;
  onAccepted?: (count: number) => void;
}

export function pushRoute(opts: PushRouteOptions): Router {
  const router = express.Router();
  // The token is checked before the body is read: a stranger's body is never parsed.
  const checkToken: RequestHandler = (req, res, next) => {
    if (!authorized(req.headers.authorization, req.headers['x-sna-token'], opts.token)) {
      opts.log.warn({ ip: req.ip }, 'rejected an SNA push with a missing or wrong token');
      res.status(401).json({ message: 'missing or wrong token (Authorization: Bearer <SNA_WEBHOOK_TOKEN>)' });
      return;
    }
    next();
  };
  router.post('/sna/alarms', checkToken, express.json({ limit: '2mb', type: () => true }), (req, res) => {
    const parsed = pushBodySchema.safeParse(req.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      res.status(400).json({
        message: 'the body is not an SNA alarm this bot understands; see the README for the template',
        problems,
      });
      return;
    }
    const events = toEvents(parsed.data);
    // A time far in the future would make an event "seen" for good: refused, naming the field.
    const latest = opts.now().getTime() + FUTURE_TOLERANCE_MS;
    const future = events.flatMap((e, n) =>
      (['firstActive', 'lastActive'] as const)
        .filter((field) => Date.parse(e[field]) > latest)
        .map((field) => `events[${n}].${field}: ${e[field]} is in the future (more than 5 minutes ahead)`),
    );
    if (future.length > 0) {
      res
        .status(400)
        .json({ message: 'an event is dated in the future; nothing was accepted', problems: future.slice(0, 10) });
      return;
    }
    void (async () => {
      try {
        const names = new Map(await opts.typeNames().catch(() => new Map<number, string>()));
        for (const e of events) if (e.typeName && !names.has(e.typeId)) names.set(e.typeId, e.typeName);
        const tenantKey = await opts.tenantKey();
        const now = opts.now();
        const result = await opts.pipeline.process(events, { tenantKey, names, window: { from: now, to: now } });
        opts.onAccepted?.(result.newOrChanged);
        opts.log.info({ received: events.length, ...result }, 'SNA push processed');
      } catch (err) {
        opts.log.error({ err }, 'SNA push processing failed; the poller will pick the events up');
      }
    })();
    res.status(202).json({ accepted: events.length });
  });
  return router;
}

function authorized(authorization: string | undefined, header: string | string[] | undefined, token: string): boolean {
  const given = authorization?.replace(/^Bearer\s+/i, '') ?? (Array.isArray(header) ? header[0] : header) ?? '';
  // Hashing first makes the comparison constant-time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return given !== '' && timingSafeEqual(a, b);
}
