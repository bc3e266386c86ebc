/**
 * An HTTP proxy on 127.0.0.1 in front of a simulator, for faults the simulators do not inject
 * themselves: latency. A delay in the `request` phase holds a matching call before the
 * simulator sees it (and drops it if the caller goes away meanwhile: a killed bot's call never
 * arrives); a delay in the `response` phase lets the simulator handle the call at once and
 * holds its answer back (the caller cannot tell whether it happened).
 *
 * The `Host` header is passed through, so a simulator that builds URLs from it (the Webex
 * u2c catalog) points the caller back at the proxy.
 */
import { createServer, type IncomingMessage, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyMatch {
  method?: string;
  pathPrefix?: string;
}

export type DelayPhase = 'request' | 'response';

export interface ProxiedCall {
  method: string;
  path: string;
  /** `held` while delayed before forwarding; `dropped` when the caller left while held. */
  state: 'held' | 'forwarded' | 'answer-held' | 'answered' | 'dropped' | 'failed';
  status?: number;
  at: string;
}

export interface HttpFaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Every call so far, oldest first, with its current state. */
  readonly calls: readonly ProxiedCall[];
  /** Delays matching calls by `ms` in `phase` (0 removes that rule). Later rules win. */
  setDelay(ms: number, match?: ProxyMatch & { phase?: DelayPhase }): void;
  clearDelays(): void;
  close(): Promise<void>;
}

interface DelayRule {
  ms: number;
  phase: DelayPhase;
  match: ProxyMatch;
}

const matches = (match: ProxyMatch, method: string, path: string) =>
  (!match.method || match.method.toUpperCase() === method.toUpperCase()) &&
  (!match.pathPrefix || path.startsWith(match.pathPrefix));

export async function startHttpProxy(target: string): Promise<HttpFaultProxy> {
  const upstream = new URL(target);
  let rules: DelayRule[] = [];
  const calls: ProxiedCall[] = [];
  const delayFor = (phase: DelayPhase, method: string, path: string) =>
    rules.findLast((r) => r.phase === phase && matches(r.match, method, path))?.ms ?? 0;

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const method = (req.method ?? 'GET').toUpperCase();
      const path = req.url ?? '/';
      const call: ProxiedCall = {
        method,
        path: path.split('?')[0] ?? path,
        state: 'held',
        at: new Date().toISOString(),
      };
      calls.push(call);
      let gone = false;
      res.on('close', () => {
        if (!res.writableFinished) gone = true;
      });
      const body = await readBody(req);
      const holdMs = delayFor('request', method, call.path);
      if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
      if (gone) {
        call.state = 'dropped';
        return;
      }
      call.state = 'forwarded';
      const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
        (resolve, reject) => {
          const out = httpRequest(
            {
              host: upstream.hostname,
              port: upstream.port,
              method,
              path,
              headers: { ...req.headers, connection: 'close' },
            },
            (up) => {
              void readBody(up).then(
                (b) => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: b }),
                reject,
              );
            },
          );
          out.on('error', reject);
          out.end(body);
        },
      ).catch(() => undefined);
      if (!answer) {
        call.state = 'failed';
        if (!gone) res.writeHead(502).end();
        return;
      }
      call.status = answer.status;
      const answerHoldMs = delayFor('response', method, call.path);
      if (answerHoldMs > 0) {
        call.state = 'answer-held';
        await new Promise((r) => setTimeout(r, answerHoldMs));
      }
      call.state = gone ? 'dropped' : 'answered';
      if (gone) return;
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      delete headers.connection;
      headers['content-length'] = String(answer.body.length);
      res.writeHead(answer.status, headers).end(answer.body);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get calls() {
      return calls;
    },
    setDelay(ms, { phase = 'request', ...match } = {}) {
      const key = JSON.stringify([phase, match.method?.toUpperCase(), match.pathPrefix]);
      rules = rules.filter((r) => JSON.stringify([r.phase, r.match.method?.toUpperCase(), r.match.pathPrefix]) !== key);
      if (ms > 0) rules.push({ ms, phase, match });
    },
    clearDelays() {
      rules = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
