import express, { type Router } from 'express';
import type { Metrics } from './metrics.js';

/** `GET /metrics` in Prometheus' text format. */
export function metricsRoute(metrics: Metrics): Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    try {
      res.type(metrics.contentType).send(await metrics.render());
    } catch {
      res.status(500).type('text/plain').send('metrics unavailable\n');
    }
  });
  return router;
}
