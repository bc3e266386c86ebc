/**
 * `Authorization: Bearer <token>` for the simulated API: the bot's token or a
 * person token the simulator issued. Anything else gets Webex's 401.
 */
import type { NextFunction, Request, Response } from 'express';
import { WebexApiError } from '../model/errors.js';
import type { SimStore } from '../model/store.js';
import type { AuthKind, WebexPerson } from '../model/types.js';

const callers = new WeakMap<Request, WebexPerson>();

/** How a request authenticated, and as whom. Never exposes the token. */
export function classifyAuth(store: SimStore, req: Request): { kind: AuthKind; person?: WebexPerson } {
  const header = req.get('authorization');
  if (!header) return { kind: 'none' };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const person = match?.[1] ? store.personByToken(match[1]) : undefined;
  if (!person) return { kind: 'invalid' };
  return { kind: person.type === 'bot' ? 'bot' : 'person', person };
}

/** Middleware: rejects unauthenticated requests with 401, remembers the caller otherwise. */
export function authenticate(store: SimStore) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const { person } = classifyAuth(store, req);
    if (!person) {
      throw new WebexApiError(
        401,
        'The request requires a valid access token set in the Authorization request header.',
      );
    }
    callers.set(req, person);
    next();
  };
}

/** The authenticated caller of a request that went through {@link authenticate}. */
export function callerOf(req: Request): WebexPerson {
  const person = callers.get(req);
  if (!person) throw new WebexApiError(401, 'The request is not authenticated.');
  return person;
}
