/**
 * Webex pagination: `max` limits a page, and an RFC 5988
 * `Link: <…>; rel="next"` header points at the next one.
 */
import type { Request, Response } from 'express';
import { badRequest } from '../model/errors.js';
import { queryParam } from './request.js';

const MAX_PAGE = 1000;

/** Sends `{items}` one page at a time, honouring `max` and the opaque `cursor`. */
export function sendPage<T>(req: Request, res: Response, items: readonly T[], defaultMax: number): void {
  const maxParam = queryParam(req, 'max');
  const max = maxParam === undefined ? defaultMax : Number(maxParam);
  if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE) {
    throw badRequest(`max must be an integer from 1 to ${MAX_PAGE}.`);
  }
  const cursor = queryParam(req, 'cursor');
  const offset = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('cursor is not valid.');
  const end = offset + max;
  if (end < items.length) {
    const next = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
    next.searchParams.set('max', String(max));
    next.searchParams.set('cursor', Buffer.from(String(end), 'utf8').toString('base64url'));
    res.set('link', `<${next.toString()}>; rel="next"`);
  }
  res.json({ items: items.slice(offset, end) });
}
