/** Reading query parameters and JSON bodies of requests. */
import type { Request } from 'express';
import type { z } from 'zod';
import { badRequest } from '../model/errors.js';

/** A query parameter as one string (the first, if repeated). */
export function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** Parses a JSON body with a zod schema; a mismatch is a 400 naming the first bad field. */
export function parseBody<T>(req: Request, schema: z.ZodType<T>): T {
  const body: unknown = req.body ?? {};
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  throw badRequest(`Invalid request body: ${where}: ${issue?.message ?? 'invalid'}`);
}
