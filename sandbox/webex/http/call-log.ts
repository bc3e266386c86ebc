/** Records every API request (never the token) once its response is sent. */
import type { NextFunction, Request, Response } from 'express';
import type { SimStore } from '../model/store.js';
import type { ApiCall } from '../model/types.js';
import { classifyAuth } from './auth.js';

const faults = new WeakMap<Response, ApiCall['fault']>();

/** Marks a response as produced by an injected fault, for the call log. */
export function markFault(res: Response, fault: NonNullable<ApiCall['fault']>): void {
  faults.set(res, fault);
}

/** Middleware: appends an {@link ApiCall} to the store when the response finishes. */
export function recordCalls(store: SimStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const at = store.now();
    res.on('finish', () => {
      const { kind, person } = classifyAuth(store, req);
      const body: unknown = req.body;
      const fault = faults.get(res);
      const call: ApiCall = {
        seq: store.nextSeq(),
        at,
        method: req.method,
        path: req.originalUrl.split('?')[0] ?? req.originalUrl,
        query: { ...req.query },
        body: body === undefined ? undefined : structuredClone(body),
        status: res.statusCode,
        auth: kind,
        ...(person ? { personId: person.id } : {}),
        ...(fault ? { fault } : {}),
      };
      store.recordCall(call);
    });
    next();
  };
}
