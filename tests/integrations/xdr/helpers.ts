/** Shared by the XDR client tests: fixtures, a recording fetch, a clock, and a tiny fixture server. */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchLike } from '../../../integrations/http.js';

/** A fixture of `tests/fixtures/xdr/`, parsed. */
export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/xdr/${name}`, import.meta.url), 'utf8')) as T;
}

/** A string described as `{ repeat, times }` in `huge-values.json`. */
export function huge(key: string): string {
  const spec = fixture<Record<string, { repeat: string; times: number }>>('huge-values.json')[key];
  if (!spec) throw new Error(`no huge value ${key}`);
  return spec.repeat.repeat(spec.times);
}

export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string | undefined;
}

/** Real fetch, plus a record of what the client sent. */
export function recordingFetch(): { fetch: FetchLike; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const fetch: FetchLike = (input, init) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    return globalThis.fetch(input, init);
  };
  return { fetch, sent };
}

/** A clock tests move by hand. */
export function manualClock(start = Date.parse('2024-06-18T10:00:00.000Z')): {
  now: () => number;
  advance: (seconds: number) => void;
} {
  let current = start;
  return { now: () => current, advance: (seconds) => (current += seconds * 1000) };
}

/** Everything an error exposes that could end up in a log or a chat message. */
export function everythingShownBy(error: unknown): string {
  const e = error as Error & Record<string, unknown>;
  return [String(e), e.message, e.stack, JSON.stringify(e), e.detail, e.endpoint].join('\n');
}

/** A server answering every request with `handler`, for wire shapes the simulator never sends. */
export async function startFixtureServer(
  handler: (req: IncomingMessage, body: string) => { status: number; json?: unknown; text?: string },
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = handler(req, Buffer.concat(chunks).toString('utf8'));
      res.statusCode = answer.status;
      res.setHeader('Content-Type', answer.text === undefined ? 'application/json' : 'text/plain');
      res.end(answer.text ?? JSON.stringify(answer.json ?? null));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
