/** `/v1/people`: the caller (`me`), batch lookups by id, and lookups by email or name. */
import { Router } from 'express';
import { callerOf } from '../http/auth.js';
import { queryParam } from '../http/request.js';
import type { SimContext } from '../model/context.js';
import { notFound } from '../model/errors.js';
import { findPeople } from '../model/people.js';

/** Routes of the People API. The SDK's batcher calls `/people/?id=A,B&showAllTypes=false`. */
export function peopleRoutes(ctx: SimContext): Router {
  const router = Router();

  router.get('/people/me', (req, res) => {
    res.json(callerOf(req));
  });

  router.get('/people', (req, res) => {
    const ids = queryParam(req, 'id')
      ?.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    res.json(
      findPeople(ctx.store, {
        ids,
        email: queryParam(req, 'email'),
        displayName: queryParam(req, 'displayName'),
      }),
    );
  });

  router.get('/people/:personId', (req, res) => {
    const person = ctx.store.people.get(req.params.personId);
    if (!person) throw notFound('Could not find a person with provided ID.');
    res.json(person);
  });

  return router;
}
