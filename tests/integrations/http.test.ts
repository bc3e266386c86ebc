/** The one exchange every client uses, against a real local HTTP server. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, NetworkError, WireError } from '../../integrations/errors.js';
import { type Auth, HttpClient } from '../../integrations/http.js';
import { parseJsonKeepingBigIntegers } from '../../integrations/wire.js';

const SECRET = 'Sup3r-Secret-Value';

describe('HttpClient', () => {
  let server: Server;
  let base: string;
  let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{}');

  beforeAll(async () => {
    server = createServer((req, res) => answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  const client = <C = unknown>(extra: Partial<ConstructorParameters<typeof HttpClient<C>>[0]> = {}) =>
    new HttpClient<C>({
      service: 'umbrella',
      fetch: globalThis.fetch,
      timeoutMs: 2000,
      secrets: () => [SECRET],
      ...extra,
    });

  it('maps a non-2xx to an ApiError with Retry-After, a scrubbed detail and a redacted URL', async () => {
    answer = (_req, res) => res.writeHead(503, { 'Retry-After': '12' }).end(`{"message":"bad key ${SECRET}"}`);
    const error = await client()
      .request({ method: 'GET', url: `${base}/x?api_key=${SECRET}` })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, retryAfterSeconds: 12, transient: true });
    const shown = [String(error), JSON.stringify(error), (error as ApiError).detail].join('\n');
    expect(shown).not.toContain(SECRET);
    expect(shown).toContain('[REDACTED]');
  });

  it("reads a vendor's error envelope and its own Retry-After header through hooks", async () => {
    answer = (_req, res) => res.writeHead(429, { 'X-RateLimit-Reset': '40' }).end('{"errors":["slow down"]}');
    const error = await client({
      hooks: {
        errorDetail: (text) => (JSON.parse(text) as { errors: string[] }).errors[0],
        retryAfter: ({ headers }) => Number(headers.get('x-ratelimit-reset')),
      },
    })
      .request({ method: 'GET', url: base })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 40, detail: 'slow down' });
  });

  it("times out a request that gets no answer as a NetworkError, and rejects with the caller's reason on abort", async () => {
    answer = () => undefined;
    await expect(client({ timeoutMs: 50 }).request({ method: 'GET', url: base })).rejects.toSatisfy(
      (e) => e instanceof NetworkError && e.timedOut,
    );
    const controller = new AbortController();
    const pending = client().request({ method: 'GET', url: base, signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });

  it('renews the credential once after a 401 and tells the auth when it is refused again', async () => {
    let valid = 'second';
    answer = (req, res) =>
      res.writeHead(req.headers.authorization === `Bearer ${valid}` ? 200 : 401).end('{"ok":true}');
    const refused: string[] = [];
    let current = 'first';
    const auth: Auth<string> = {
      headers: async () => ({ headers: { Authorization: `Bearer ${current}` }, credential: current }),
      renew: async () => {
        current = current === 'first' ? 'second' : 'third';
        return true;
      },
      refused: (credential) => refused.push(credential),
    };
    await expect(client({ auth }).json({ method: 'GET', url: base }, z.object({ ok: z.boolean() }))).resolves.toEqual({
      ok: true,
    });

    valid = 'never';
    await expect(client({ auth }).request({ method: 'GET', url: base })).rejects.toMatchObject({ status: 401 });
    expect(refused).toEqual(['third']);
  });

  it('sends JSON and form bodies with their content type', async () => {
    const seen: string[] = [];
    answer = (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.headers['content-type']} ${body}`);
        res.end('{}');
      });
    };
    await client().request({ method: 'POST', url: base, json: { a: 1 } });
    await client().request({ method: 'POST', url: base, form: { grant_type: 'client_credentials' } });
    expect(seen).toEqual([
      'application/json {"a":1}',
      'application/x-www-form-urlencoded grant_type=client_credentials',
    ]);
  });

  it('rejects a 2xx that is not JSON, or not the documented shape, as a WireError naming the field only', async () => {
    answer = (_req, res) => res.end('<html>');
    await expect(client().json({ method: 'GET', url: base }, z.object({}))).rejects.toBeInstanceOf(WireError);
    answer = (_req, res) => res.end(`{"count":"${SECRET}"}`);
    const error = await client()
      .json({ method: 'GET', url: base }, z.object({ count: z.number() }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WireError);
    expect((error as WireError).issues[0]).toMatch(/^count: /);
    expect(JSON.stringify(error) + String(error)).not.toContain(SECRET);
  });
});

describe('parseJsonKeepingBigIntegers', () => {
  it('keeps integers beyond 2^53 of the named keys exact, as strings, and leaves the rest alone', () => {
    const text =
      '{"data":[{"id":6533241145273614339,"n":6533241145273614339,"x":{"id":-9007199254740993}},{"id":42},' +
      '{"id":"6533241145273614338","note":"{\\"id\\":6533241145273614339,"}]}';
    expect(parseJsonKeepingBigIntegers(text, ['id'])).toEqual({
      data: [
        { id: '6533241145273614339', n: 6533241145273614000, x: { id: '-9007199254740993' } },
        { id: 42 },
        { id: '6533241145273614338', note: '{"id":6533241145273614339,' },
      ],
    });
  });
});
