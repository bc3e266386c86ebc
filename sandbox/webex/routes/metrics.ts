/**
 * `/metrics/api/v1/clientmetrics`: where webex 2.4.2 posts its own client telemetry (device
 * registration, websocket connections) in batches. Accepted and dropped; the call log records
 * that it happened (never the token).
 */
import { Router } from 'express';

/** The metrics service under an origin, as the u2c catalog advertises it. */
export function metricsServiceUrl(origin: string): string {
  return `${origin}/metrics/api/v1`;
}

/** Routes of the metrics service (authenticated like the REST API). */
export function metricsRoutes(): Router {
  const router = Router();
  router.post(['/clientmetrics', '/metrics'], (_req, res) => {
    res.status(204).end();
  });
  return router;
}
