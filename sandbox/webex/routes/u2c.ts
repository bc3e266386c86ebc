/**
 * `/u2c/api/v1/*catalog`: the service catalog the SDK fetches at start-up. It points every
 * service the SDK uses back at this simulator, so no call leaves the machine:
 * - `hydra`: the REST API;
 * - `wdm`: device registration, which websocket mode needs (without it the SDK refuses:
 *   "'wdm' service is not available from the postauth catalog");
 * - `metrics`: the SDK's own telemetry, which it posts once it registers a device (an unknown
 *   service there is an unhandled rejection in the SDK);
 * - `conversation`: never called, but socket activities name their space by a URL on it, and the
 *   SDK finds the space's cluster from that URL's host in `hostCatalog` (`urn:TEAM:us-east-2_a:…`,
 *   Webex's original US cluster, which the SDK writes as `us` in REST ids).
 *
 * `limited/catalog` needs no token (as on Webex); `catalog` does.
 */
import { type Request, Router } from 'express';
import { authenticate } from '../http/auth.js';
import { conversationServiceUrl } from '../mercury/activities.js';
import { wdmServiceUrl } from '../mercury/devices.js';
import { metricsServiceUrl } from './metrics.js';
import type { SimStore } from '../model/store.js';

/** The cluster id the simulator's spaces live in (what REST ids call `us`). */
export const CONVERSATION_CLUSTER = 'urn:TEAM:us-east-2_a:conversation';

function catalog(req: Request) {
  const origin = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
  return {
    serviceLinks: {
      hydra: `${origin}/v1`,
      wdm: wdmServiceUrl(origin),
      conversation: conversationServiceUrl(origin),
      metrics: metricsServiceUrl(origin),
    },
    hostCatalog: {
      [req.hostname]: [{ host: req.hostname, ttl: -1, priority: 5, id: CONVERSATION_CLUSTER }],
    },
    format: 'hostmap',
  };
}

/** Routes of the u2c catalog. */
export function u2cRoutes(store: SimStore): Router {
  const router = Router();
  router.get('/limited/catalog', (req, res) => {
    res.json(catalog(req));
  });
  router.get('/catalog', authenticate(store), (req, res) => {
    res.json(catalog(req));
  });
  return router;
}
