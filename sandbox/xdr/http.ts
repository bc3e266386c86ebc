/** Request/response plumbing of the XDR simulator, over `node:http`. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

/** A request, body read. */
export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A response to write: `json` is serialized, `text` sent as `text/plain`. */
export interface SimResponse {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** A 4xx/5xx answer thrown from deep inside a handler, with the body the real service would send. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`simulated ${status}`);
  }

  toResponse(): SimResponse {
    return typeof this.body === 'string'
      ? { status: this.status, text: this.body, headers: this.headers }
      : { status: this.status, json: this.body, headers: this.headers };
  }
}

/** A CTIA-style 400 for a request that is not valid; `errors` maps fields to what is wrong. */
export function badRequest(errors: unknown): SimHttpError {
  return new SimHttpError(400, { errors, type: 'compojure.api.exception/request-validation' });
}

/** A 404 naming what was not found. */
export function notFound(what: string): SimHttpError {
  return new SimHttpError(404, { error: 'not_found', message: `${what} not found` });
}

/** Reads the request; a body over 1 MiB is refused with a 413. */
export async function readRequest(req: IncomingMessage): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new SimHttpError(413, { error: 'payload_too_large', message: 'body over 1 MiB' });
    chunks.push(buffer);
  }
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

export function writeResponse(res: ServerResponse, response: SimResponse): void {
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.statusCode = response.status;
  if (response.text !== undefined) {
    res.setHeader('Content-Type', 'text/plain;charset=UTF-8');
    res.end(response.text);
  } else if (response.json !== undefined) {
    res.setHeader('Content-Type', 'application/json;charset=UTF-8');
    res.end(JSON.stringify(response.json));
  } else {
    res.end();
  }
}

/** Parses a JSON body, answering 400 when it is not JSON. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new SimHttpError(400, { error: 'malformed_json', message: 'request body is not valid JSON' });
  }
}
