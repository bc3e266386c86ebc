import { z } from 'zod';

/** A Webex message as the REST API returns it (fields we use; others pass through). */
export const messageSchema = z.looseObject({
  id: z.string().min(1),
  roomId: z.string().min(1),
  parentId: z.string().optional(),
  personId: z.string().optional(),
  text: z.string().optional(),
  markdown: z.string().optional(),
  created: z.string().optional(),
});

export type WebexMessage = z.infer<typeof messageSchema>;

export const cardAttachmentSchema = z.object({
  contentType: z.literal('application/vnd.microsoft.card.adaptive'),
  content: z.record(z.string(), z.unknown()),
});

export type CardAttachment = z.infer<typeof cardAttachmentSchema>;

/** A membership: who is in which space. */
export const membershipSchema = z.looseObject({
  id: z.string().min(1),
  roomId: z.string().min(1),
  personId: z.string().min(1),
  personEmail: z.string().optional(),
});

export type WebexMembership = z.infer<typeof membershipSchema>;

export const membershipPageSchema = z.object({ items: z.array(membershipSchema) });
