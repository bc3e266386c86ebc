/**
 * The express app of the simulator: REST under `/v1`, u2c, WDM (device registration) and the
 * `/_sim` control surface. The Mercury websocket is served on the same port (`simulator.ts`).
 */
import express, { type Express } from 'express';
import { authenticate } from './http/auth.js';
import { recordCalls } from './http/call-log.js';
import { unknownRoute, webexErrorHandler } from './http/errors.js';
import { attachmentActionsRoutes } from './routes/attachment-actions.js';
import { controlRoutes } from './routes/control.js';
import { mercuryControlRoutes } from './routes/mercury-control.js';
import { membershipsRoutes } from './routes/memberships.js';
import { messagesRoutes } from './routes/messages.js';
import { peopleRoutes } from './routes/people.js';
import { roomsRoutes } from './routes/rooms.js';
import { metricsRoutes } from './routes/metrics.js';
import { u2cRoutes } from './routes/u2c.js';
import { wdmRoutes } from './routes/wdm.js';
import { webhooksRoutes } from './routes/webhooks.js';
import type { WebexSimulation } from './simulation.js';

/** Builds the HTTP app around a simulation. */
export function createSimulatorApp(sim: WebexSimulation): Express {
  const ctx = sim.context;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(['/v1', '/u2c', '/wdm', '/metrics'], recordCalls(ctx.store));
  app.use(express.json({ limit: '1mb' }));

  app.use('/u2c/api/v1', u2cRoutes(ctx.store));
  app.use('/wdm/api/v1', authenticate(ctx.store), sim.faults.middleware(), wdmRoutes(sim.devices, sim.mercury));
  app.use(
    '/v1',
    authenticate(ctx.store),
    sim.faults.middleware(),
    peopleRoutes(ctx),
    roomsRoutes(ctx),
    membershipsRoutes(ctx),
    messagesRoutes(ctx),
    attachmentActionsRoutes(ctx),
    webhooksRoutes(ctx),
    unknownRoute,
  );
  app.use('/metrics/api/v1', authenticate(ctx.store), metricsRoutes());
  app.use(['/wdm', '/metrics'], unknownRoute);
  app.use('/_sim/mercury', mercuryControlRoutes(sim));
  app.use('/_sim', controlRoutes(sim));

  app.use(webexErrorHandler);
  return app;
}
