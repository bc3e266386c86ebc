/** `/v1/webhooks`: the caller's webhook registrations. */
import { Router } from 'express';
import { z } from 'zod';
import { callerOf } from '../http/auth.js';
import { sendPage } from '../http/pagination.js';
import { parseBody } from '../http/request.js';
import type { SimContext } from '../model/context.js';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook } from '../model/webhooks.js';

const NewWebhookBody = z.object({
  name: z.string().optional(),
  targetUrl: z.string().optional(),
  resource: z.string().optional(),
  event: z.string().optional(),
  filter: z.string().optional(),
  secret: z.string().optional(),
});

const UpdateWebhookBody = z.object({
  name: z.string().optional(),
  targetUrl: z.string().optional(),
  secret: z.string().optional(),
  status: z.string().optional(),
});

/** Routes of the Webhooks API. `POST` echoes `name` and `secret`, with `status: 'active'`. */
export function webhooksRoutes(ctx: SimContext): Router {
  const router = Router();

  router.get('/webhooks', (req, res) => {
    sendPage(req, res, listWebhooks(ctx, callerOf(req).id), 100);
  });

  router.post('/webhooks', (req, res) => {
    res.json(createWebhook(ctx, callerOf(req).id, parseBody(req, NewWebhookBody)));
  });

  router.get('/webhooks/:webhookId', (req, res) => {
    res.json(getWebhook(ctx, callerOf(req).id, req.params.webhookId));
  });

  router.put('/webhooks/:webhookId', (req, res) => {
    res.json(updateWebhook(ctx, callerOf(req).id, req.params.webhookId, parseBody(req, UpdateWebhookBody)));
  });

  router.delete('/webhooks/:webhookId', (req, res) => {
    deleteWebhook(ctx, callerOf(req).id, req.params.webhookId);
    res.status(204).end();
  });

  return router;
}
