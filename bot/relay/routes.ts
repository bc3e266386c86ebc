/**
 * The XDR relay module, served under `/relay` on PORT when RELAY_ENABLED=true: the endpoints XDR
 * calls on a module (all `POST`, JSON in and out, as in Cisco's relay modules). Every call is
 * authenticated before its body is read; every failure answers the relay error shape, never a
 * stack. docs/relay.md describes the contract and what of it is verified.
 */
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { type RelayIdentity, verifyRelayToken } from './auth.js';
import { RelayError, type RelayErrorEntry, invalidArgument } from './errors.js';
import { ipObservables, triggerRequest } from './observables.js';
import { observe } from './observe.js';
import { refer } from './refer.js';
import { respondActions, trigger } from './respond.js';
import type { RelayDeps } from './types.js';

export const RELAY_PREFIX = '/relay';

type Handler = (req: Request, identity: RelayIdentity) => Promise<{ status?: number; body: object }>;

export function relayRoute(deps: RelayDeps): Router {
  const router = express.Router();
  const auth = {
    audience: deps.config.audience,
    allowedJwksHosts: deps.config.allowedJwksHosts,
    userClaims: deps.config.userClaims,
    jwks: deps.jwks,
  };
  const send = (res: Response, status: number, body: object) => {
    res.status(deps.config.errorStatus === 'always-200' && status >= 400 ? 200 : status).json(body);
  };
  const fail = (res: Response, err: RelayError) => send(res, err.status, { errors: [err.entry] });

  const endpoint = (path: string, handler: Handler) => {
    router.post(
      `${RELAY_PREFIX}${path}`,
      // The token is checked before the body is read: a stranger's body is never parsed.
      async (req, res, next) => {
        try {
          res.locals.identity = await verifyRelayToken(req.headers.authorization, auth);
          next();
        } catch (err) {
          if (!(err instanceof RelayError)) throw err;
          deps.log.warn({ ip: req.ip, path: req.path, reason: err.message }, 'relay: refused a call');
          fail(res, err);
        }
      },
      express.json({ limit: '1mb', type: () => true }),
      async (req, res) => {
        const answer = await handler(req, res.locals.identity as RelayIdentity);
        send(res, answer.status ?? 200, answer.body);
      },
    );
  };

  endpoint('/health', async () => {
    try {
      await deps.smc.check();
      return { body: { data: { status: 'ok' } } };
    } catch (err) {
      deps.log.warn({ err }, 'relay: health check failed');
      throw new RelayError(503, 'health check failed', 'The SMC did not answer with a valid session.');
    }
  });
  endpoint('/version', () => Promise.resolve({ body: { version: deps.version } }));
  endpoint('/observe/observables', async (req, identity) => {
    const answer = await observe(ipObservables(req.body), identity, deps);
    return { body: answer };
  });
  endpoint('/refer/observables', async (req) => ({ body: { data: await refer(ipObservables(req.body), deps) } }));
  endpoint('/respond/observables', (req) =>
    Promise.resolve({ body: { data: respondActions(ipObservables(req.body), deps) } }),
  );
  endpoint('/respond/trigger', async (req, identity) => {
    const request = triggerRequest(req.body, req.query);
    try {
      await trigger(request, identity, deps);
      return { body: { data: { status: 'success' } } };
    } catch (err) {
      if (!(err instanceof RelayError)) throw err;
      // Cisco's modules answer a failed action with its status beside the error.
      return { status: err.status, body: { data: { status: 'failure' }, errors: [err.entry] } };
    }
  });

  router.all(`${RELAY_PREFIX}/{*rest}`, (_req, res) => {
    fail(res, new RelayError(404, 'not found', 'No such relay endpoint (they are all POST).'));
  });
  router.use(RELAY_PREFIX, relayErrors(deps, send));
  return router;
}

/** Bad JSON, oversize bodies and anything a handler throws, in the relay's shape; details only in the log. */
function relayErrors(
  deps: RelayDeps,
  send: (res: Response, status: number, body: object) => void,
): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    let error: RelayError;
    if (err instanceof RelayError) error = err;
    else if (isBodyError(err))
      error =
        err.status === 413
          ? new RelayError(413, 'invalid argument', 'The body is too large.')
          : invalidArgument('The body is not valid JSON.');
    else {
      deps.log.error({ err, path: req.path }, 'relay: call failed');
      error = new RelayError(500, 'unknown', 'Something went wrong in the relay (the bot logged it).');
    }
    const entry: RelayErrorEntry = error.entry;
    send(res, error.status, { errors: [entry] });
  };
}

function isBodyError(err: unknown): err is { status: number } {
  const status = (err as { status?: unknown } | null)?.status;
  const type = (err as { type?: unknown } | null)?.type;
  return typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string';
}
