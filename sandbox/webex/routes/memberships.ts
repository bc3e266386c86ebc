/** `/v1/memberships`: who is in which room; adding and removing people. */
import { Router } from 'express';
import { z } from 'zod';
import { callerOf } from '../http/auth.js';
import { sendPage } from '../http/pagination.js';
import { parseBody, queryParam } from '../http/request.js';
import type { SimContext } from '../model/context.js';
import { addMembership, getMembership, listMemberships, removeMembership } from '../model/rooms.js';

const NewMembershipBody = z.object({
  roomId: z.string().min(1),
  personId: z.string().optional(),
  personEmail: z.string().optional(),
  isModerator: z.boolean().optional(),
});

/** Routes of the Memberships API. Without `roomId`, the list is the caller's own memberships. */
export function membershipsRoutes(ctx: SimContext): Router {
  const router = Router();

  router.get('/memberships', (req, res) => {
    const items = listMemberships(ctx, callerOf(req).id, {
      roomId: queryParam(req, 'roomId'),
      personId: queryParam(req, 'personId'),
      personEmail: queryParam(req, 'personEmail'),
    });
    sendPage(req, res, items, 100);
  });

  router.get('/memberships/:membershipId', (req, res) => {
    res.json(getMembership(ctx, callerOf(req).id, req.params.membershipId));
  });

  router.post('/memberships', (req, res) => {
    const { value } = addMembership(ctx, callerOf(req).id, parseBody(req, NewMembershipBody));
    res.json(value);
  });

  router.delete('/memberships/:membershipId', (req, res) => {
    removeMembership(ctx, callerOf(req).id, req.params.membershipId);
    res.status(204).end();
  });

  return router;
}
