/** Small request/response plumbing of the simulator, over `node:http`. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

/** A request, body read. */
export interface SimRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  cookies: ReadonlyMap<string, string>;
}

/**
 * A response to write. `json` is serialized; `jsonText` is JSON already cut into pieces, written one
 * after another as the client reads them (a large answer is streamed, as a server that serializes
 * while it sends does, instead of built whole first); `headers` may repeat (`Set-Cookie`).
 */
export interface SimResponse {
  status: number;
  json?: unknown;
  jsonText?: Iterable<string>;
  headers?: Record<string, string | string[]>;
}

/** A 4xx/5xx answer thrown from deep inside a handler. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }

  toResponse(): SimResponse {
    // The SMC's error bodies are undocumented; this follows the one reported (BAD_REQUEST_UNMARSHALING_FAILED).
    return { status: this.status, json: { errorCode: this.errorCode, message: this.message } };
  }
}

/** Reads the request; a body over 1 MiB is refused with a 413. */
export async function readRequest(req: IncomingMessage): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new SimHttpError(413, 'PAYLOAD_TOO_LARGE', 'request body over 1 MiB');
    chunks.push(buffer);
  }
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    cookies: parseCookies(req.headers.cookie),
  };
}

export async function writeResponse(res: ServerResponse, response: SimResponse): Promise<void> {
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (response.json === undefined && response.jsonText === undefined) {
    res.statusCode = response.status;
    res.end();
    return;
  }
  if (!res.hasHeader('content-type')) res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.statusCode = response.status;
  if (response.jsonText === undefined) {
    res.end(JSON.stringify(response.json));
    return;
  }
  for (const piece of response.jsonText) {
    if (res.destroyed) return;
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

/** Parses a JSON body, answering 400 the way the SMC does when it cannot. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new SimHttpError(400, 'BAD_REQUEST_UNMARSHALING_FAILED', 'request body is not valid JSON');
  }
}
