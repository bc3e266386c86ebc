/**
 * `/_sim/mercury/*`: the websocket side of the control surface (JSON, no auth), for tests in
 * other processes and the demo. In-process: `sim.devices` and `sim.mercury`.
 */
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '../http/request.js';
import type { WebexSimulation } from '../simulation.js';

const DropBody = z.object({
  personId: z.string().min(1).optional(),
  code: z.number().int().min(1000).max(4999).optional(),
  reason: z.string().max(120).optional(),
});
const PingsBody = z.object({ answer: z.boolean() });
const RefuseBody = z.object({ count: z.number().int().positive(), code: z.number().int().min(1000).max(4999) });

/** Routes of the Mercury control surface. */
export function mercuryControlRoutes(sim: WebexSimulation): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({
      devices: sim.devices.list().map((d) => ({ ...sim.devices.dto(d), personId: d.personId })),
      connections: sim.mercury.connections,
      frames: sim.mercury.frames,
    });
  });
  router.post('/drop', (req, res) => {
    const body = parseBody(req, DropBody);
    res.json({ dropped: sim.mercury.drop(body) });
  });
  router.put('/pings', (req, res) => {
    sim.mercury.setAnswerPings(parseBody(req, PingsBody).answer);
    res.status(204).end();
  });
  router.post('/refusals', (req, res) => {
    const { count, code } = parseBody(req, RefuseBody);
    sim.mercury.refuseNext(count, code);
    res.status(204).end();
  });
  return router;
}
