/**
 * `/_sim/*`: the simulator's control surface over HTTP (JSON, no auth), for
 * the local web space and for tests in other processes. Every route maps to a
 * method of {@link WebexSimulation}; `GET /_sim/events` streams changes (SSE).
 */
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '../http/request.js';
import type { WebexSimulation } from '../simulation.js';

const NewPersonBody = z.object({ displayName: z.string().min(1), email: z.string().min(3) });
const NewRoomBody = z.object({
  title: z.string().default(''),
  type: z.enum(['group', 'direct']).default('group'),
  memberIds: z.array(z.string()).min(1),
});
const AddBotBody = z.object({ addedByPersonId: z.string().min(1) });
const UserSaysBody = z.object({
  personId: z.string().min(1),
  roomId: z.string().min(1),
  text: z.string(),
  mentionBot: z.boolean().optional(),
  parentId: z.string().optional(),
});
const SubmitCardBody = z.object({
  personId: z.string().min(1),
  messageId: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()).default({}),
});
const RawDeliveryBody = z.object({
  target: z.string().min(1).default('all'),
  rawBody: z.string(),
  headers: z.record(z.string(), z.string()).default({}),
});
const Match = z.object({ method: z.string().optional(), pathPrefix: z.string().optional() }).default({});
const RateLimitBody = z.object({
  count: z.number().int().positive(),
  retryAfterSeconds: z.number().int().nonnegative(),
  match: Match,
});
const FailBody = z.object({
  count: z.number().int().positive(),
  status: z.number().int().min(400).max(599),
  match: Match,
});
const ResetBody = z.object({ keepWebhooks: z.boolean().optional() });

/** Routes of the control surface. */
export function controlRoutes(sim: WebexSimulation): Router {
  const router = Router();

  router.get('/state', (_req, res) => {
    res.json(sim.state);
  });
  router.get('/calls', (_req, res) => {
    res.json({ items: sim.calls });
  });
  router.delete('/calls', (_req, res) => {
    sim.clearCalls();
    res.status(204).end();
  });
  router.get('/deliveries', (_req, res) => {
    res.json({ items: sim.deliveries });
  });

  router.get('/bot', (_req, res) => {
    res.json(sim.bot);
  });
  router.get('/people', (_req, res) => {
    res.json({ items: sim.people() });
  });
  router.post('/people', (req, res) => {
    res.json(sim.addPerson(parseBody(req, NewPersonBody)));
  });

  router.post('/rooms', async (req, res) => {
    res.json(await sim.createRoom(parseBody(req, NewRoomBody)));
  });
  router.post('/rooms/:roomId/bot', async (req, res) => {
    const { addedByPersonId } = parseBody(req, AddBotBody);
    res.json(await sim.addBotToRoom(req.params.roomId, addedByPersonId));
  });
  router.get('/rooms/:roomId/messages', (req, res) => {
    res.json({ items: sim.messagesIn(req.params.roomId) });
  });

  router.post('/messages', async (req, res) => {
    res.json(await sim.userSays(parseBody(req, UserSaysBody)));
  });
  router.post('/card-submits', async (req, res) => {
    res.json(await sim.submitCard(parseBody(req, SubmitCardBody)));
  });
  router.post('/deliveries', async (req, res) => {
    const { target, rawBody, headers } = parseBody(req, RawDeliveryBody);
    res.json({ items: await sim.deliverRaw(target, rawBody, headers) });
  });

  router.post('/faults/rate-limit', (req, res) => {
    const { count, retryAfterSeconds, match } = parseBody(req, RateLimitBody);
    sim.rateLimitNext(count, retryAfterSeconds, match);
    res.status(204).end();
  });
  router.post('/faults/fail', (req, res) => {
    const { count, status, match } = parseBody(req, FailBody);
    sim.failNext(count, status, match);
    res.status(204).end();
  });
  router.delete('/faults', (_req, res) => {
    sim.faults.clear();
    res.status(204).end();
  });

  router.post('/reset', (req, res) => {
    sim.reset(parseBody(req, ResetBody));
    res.status(204).end();
  });

  router.get('/events', (req, res) => {
    res.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    const send = (change: unknown): void => {
      res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
    };
    sim.events.on('change', send);
    req.on('close', () => sim.events.off('change', send));
  });

  return router;
}
