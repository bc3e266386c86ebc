import { z } from 'zod';

/** A membership: who is in which space (fields we use; others pass through). */
export const membershipSchema = z.looseObject({
  id: z.string().min(1),
  roomId: z.string().min(1),
  personId: z.string().min(1),
  personEmail: z.string().optional(),
});

export type WebexMembership = z.infer<typeof membershipSchema>;

export const membershipPageSchema = z.object({ items: z.array(membershipSchema) });
