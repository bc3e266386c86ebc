/**
 * `/u2c/api/v1/*catalog`: the service catalog the SDK fetches at start-up.
 * It points `hydra` (the REST API) back at this simulator, so no call leaves
 * the machine.
 */
import { type Request, Router } from 'express';

function catalog(req: Request) {
  const origin = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
  return { serviceLinks: { hydra: `${origin}/v1` }, hostCatalog: {}, format: 'hostmap' };
}

/** Routes of the u2c catalog (no authentication needed). */
export function u2cRoutes(): Router {
  const router = Router();
  router.get('/limited/catalog', (req, res) => {
    res.json(catalog(req));
  });
  router.get('/catalog', (req, res) => {
    res.json(catalog(req));
  });
  return router;
}
