/** `/v1/rooms`: the caller's rooms; creating a group room. */
import { Router } from 'express';
import { z } from 'zod';
import { callerOf } from '../http/auth.js';
import { sendPage } from '../http/pagination.js';
import { parseBody, queryParam } from '../http/request.js';
import type { SimContext } from '../model/context.js';
import { badRequest } from '../model/errors.js';
import { createRoom, listRooms } from '../model/rooms.js';

const NewRoomBody = z.object({ title: z.string().min(1) });

/** Routes of the Rooms API. */
export function roomsRoutes(ctx: SimContext): Router {
  const router = Router();

  router.get('/rooms', (req, res) => {
    const type = queryParam(req, 'type');
    if (type !== undefined && type !== 'group' && type !== 'direct') throw badRequest('type must be group or direct.');
    sendPage(req, res, listRooms(ctx, callerOf(req).id, type), 100);
  });

  router.get('/rooms/:roomId', (req, res) => {
    res.json(ctx.store.requireRoomOfMember(req.params.roomId, callerOf(req).id));
  });

  router.post('/rooms', (req, res) => {
    const { title } = parseBody(req, NewRoomBody);
    const { value } = createRoom(ctx, { title, type: 'group', memberIds: [callerOf(req).id] });
    res.json(value);
  });

  return router;
}
