import express, { type Router } from 'express';
import type { Metrics } from './metrics.js';

/** `GET /metrics` in Prometheus' text format. */
export function metricsRoute(metrics: Metrics): Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    res.type('text/plain; version=0.0.4').send(await metrics.render());
  });
  return router;
}
