/** Request/response plumbing shared by the enrichment simulators, over `node:http`. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

const MAX_BODY_BYTES = 1024 * 1024;

/** A request, body read. */
export interface SimRequest {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** `http://127.0.0.1:<port>`, for links the answer carries. */
  origin: string;
}

/** A response to write; `json` is serialized, `rawJson` is sent as it is. */
export interface SimResponse {
  status: number;
  json?: unknown;
  /** A body already serialized: for numbers `JSON.stringify` cannot write, such as 64-bit ids. */
  rawJson?: string;
  headers?: Record<string, string>;
}

/** A 4xx/5xx answer thrown from inside a handler; each product formats its own error body. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** A product error code, such as VirusTotal's `NotFoundError`. */
    readonly code?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Reads the request; a body over 1 MiB is refused with a 413. */
export async function readRequest(req: IncomingMessage): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new SimHttpError(413, 'request body over 1 MiB');
    chunks.push(buffer);
  }
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    throw new SimHttpError(400, 'malformed percent-encoding in the path');
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    origin: `http://${req.headers.host ?? '127.0.0.1'}`,
  };
}

/** Writes the answer, gzipped when `gzip` is set and the client accepts it. Skipped if the client left. */
export function writeResponse(req: IncomingMessage, res: ServerResponse, response: SimResponse, gzip: boolean): void {
  if (res.destroyed || res.writableEnded) return;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.statusCode = response.status;
  if (response.json === undefined && response.rawJson === undefined) {
    res.end();
    return;
  }
  if (!res.hasHeader('content-type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
  const body = Buffer.from(response.rawJson ?? JSON.stringify(response.json), 'utf8');
  if (gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('Content-Encoding', 'gzip');
    res.end(gzipSync(body));
    return;
  }
  res.end(body);
}

/** Parses a JSON control body; an empty body is `{}`. */
export function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new SimHttpError(400, 'request body is not valid JSON');
  }
}
