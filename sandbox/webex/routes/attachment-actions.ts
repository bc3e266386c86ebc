/** `/v1/attachment/actions`: reading card submissions; submitting one with a person token. */
import { Router } from 'express';
import { z } from 'zod';
import { callerOf } from '../http/auth.js';
import { parseBody } from '../http/request.js';
import { getAttachmentAction, submitAttachmentAction } from '../model/attachment-actions.js';
import type { SimContext } from '../model/context.js';

const NewActionBody = z.object({
  type: z.string().optional(),
  messageId: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()).default({}),
});

/** Routes of the Attachment Actions API. */
export function attachmentActionsRoutes(ctx: SimContext): Router {
  const router = Router();

  router.get('/attachment/actions/:actionId', (req, res) => {
    res.json(getAttachmentAction(ctx, callerOf(req).id, req.params.actionId));
  });

  router.post('/attachment/actions', (req, res) => {
    const { value } = submitAttachmentAction(ctx, callerOf(req).id, parseBody(req, NewActionBody));
    res.json(value);
  });

  return router;
}
