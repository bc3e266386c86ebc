/** `/v1/messages`: post, list, read, edit and delete messages. */
import { Router } from 'express';
import { z } from 'zod';
import { callerOf } from '../http/auth.js';
import { sendPage } from '../http/pagination.js';
import { parseBody, queryParam } from '../http/request.js';
import type { SimContext } from '../model/context.js';
import { deleteMessage, editMessage, getMessage, listMessages, postMessage } from '../model/messages.js';

const Attachment = z.object({
  contentType: z.string(),
  content: z.record(z.string(), z.unknown()),
});

const NewMessageBody = z.object({
  roomId: z.string().optional(),
  toPersonId: z.string().optional(),
  toPersonEmail: z.string().optional(),
  text: z.string().optional(),
  markdown: z.string().optional(),
  parentId: z.string().optional(),
  files: z.array(z.string()).optional(),
  attachments: z.array(Attachment).optional(),
});

/**
 * The Messages OpenAPI documents `roomId`, `text` and `markdown` for an edit, and nothing else:
 * any other field (`attachments`, `files`, `html`, `parentId`…) is a 400.
 */
const EditMessageBody = z.strictObject({
  roomId: z.string().optional(),
  text: z.string().optional(),
  markdown: z.string().optional(),
});

/** Routes of the Messages API. `POST` answers 200 with the full message, as Webex does. */
export function messagesRoutes(ctx: SimContext): Router {
  const router = Router();

  router.post('/messages', (req, res) => {
    const { value } = postMessage(ctx, callerOf(req).id, parseBody(req, NewMessageBody));
    res.status(200).json(value);
  });

  router.get('/messages', (req, res) => {
    const items = listMessages(ctx, callerOf(req).id, {
      roomId: queryParam(req, 'roomId'),
      parentId: queryParam(req, 'parentId'),
      mentionedPeople: queryParam(req, 'mentionedPeople'),
      before: queryParam(req, 'before'),
      beforeMessage: queryParam(req, 'beforeMessage'),
    });
    sendPage(req, res, items, 50);
  });

  router.get('/messages/:messageId', (req, res) => {
    res.json(getMessage(ctx, callerOf(req).id, req.params.messageId));
  });

  router.put('/messages/:messageId', (req, res) => {
    const { value } = editMessage(ctx, callerOf(req).id, req.params.messageId, parseBody(req, EditMessageBody));
    res.json(value);
  });

  router.delete('/messages/:messageId', (req, res) => {
    deleteMessage(ctx, callerOf(req).id, req.params.messageId);
    res.status(204).end();
  });

  return router;
}
