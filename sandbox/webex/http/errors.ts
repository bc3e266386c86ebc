/** Turns thrown errors into Webex error responses. */
import type { NextFunction, Request, Response } from 'express';
import { WebexApiError, webexErrorBody } from '../model/errors.js';
import { trackingId } from '../model/ids.js';

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}

/**
 * Error middleware: `WebexApiError` keeps its status and headers; body-parser
 * errors (bad JSON, too large) keep their 4xx status; anything else is a 500.
 */
export function webexErrorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const tracking = trackingId();
  let status = 500;
  let message = 'Internal server error.';
  if (error instanceof WebexApiError) {
    status = error.status;
    message = error.message;
    res.set(error.headers);
  } else {
    const parserStatus = statusOf(error);
    if (parserStatus !== undefined && parserStatus >= 400 && parserStatus < 500) {
      status = parserStatus;
      message = error instanceof Error ? error.message : 'Bad request.';
    }
  }
  res.set('trackingid', tracking).status(status).json(webexErrorBody(message, tracking));
}

/** Fallback route: 404 with a Webex error body. */
export function unknownRoute(req: Request, _res: Response): void {
  throw new WebexApiError(404, `The requested resource could not be found: ${req.method} ${req.path}`);
}
