/**
 * The web space's HTTP server: the page and its assets, two small JSON endpoints (`/api/space`,
 * `/api/world`), the SMC host stand-in page, and a proxy to the Webex simulator (`/v1/*` for what
 * people do, read-only `/_sim/*` for messages and live events). One origin, no credentials in
 * the page beyond the simulator's own person tokens.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { type Asset, loadAssets } from './assets.js';
import { type HostReport, hostPage } from './host-page.js';
import { proxyTo } from './proxy.js';
import { type RelayReport, relayPage } from './relay-page.js';
import type { SpaceInfo, WorldPanel, WorldView } from './types.js';

/** Options of {@link startWebSpace}. */
export interface WebSpaceOptions {
  /** Origin of the Webex simulator, e.g. `http://127.0.0.1:8781` (`WebexSimulator.url`). */
  webexUrl: string;
  /** The people, rooms and bot the page shows (read on every `GET /api/space`). */
  space(): SpaceInfo;
  /** The "World the bot changes" panels (read on every `GET /api/world`). */
  world?(): Promise<WorldPanel[]>;
  /** What the SMC knows about a host, for the "Open in SMC" stand-in page. */
  hostReport?(ip: string): Promise<HostReport | undefined>;
  /** What XDR gets from the bot's relay module about an address (`/xdr/relay/:ip`, linked from the host page). */
  relayReport?(ip: string): Promise<RelayReport | undefined>;
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`; `0.0.0.0` to open the demo to phones on the same network. */
  host?: string;
}

/** A running web space. */
export interface WebSpace {
  /** `http://<host>:<port>/`: the URL to open. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Starts the web space; resolves once it listens. */
export async function startWebSpace(options: WebSpaceOptions): Promise<WebSpace> {
  const app = createWebSpaceApp(options, await loadAssets());
  const server = createServer(app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`,
    port,
    close: () => closeServer(server),
  };
}

/** The express app of the web space (exported for tests that want it without a socket). */
export function createWebSpaceApp(options: WebSpaceOptions, assets: ReadonlyMap<string, Asset>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });

  const toWebex = proxyTo(options.webexUrl);
  app.use('/v1', toWebex);
  app.use('/_sim', (req, res, next) => (req.method === 'GET' ? toWebex(req, res, next) : readOnly(res)));

  app.get('/api/space', (_req, res) => {
    res.set('cache-control', 'no-store').json(options.space());
  });
  app.get('/api/world', async (_req, res) => {
    const view: WorldView = { panels: (await options.world?.()) ?? [], at: new Date().toISOString() };
    res.set('cache-control', 'no-store').json(view);
  });
  app.get('/smc/host/:ip', async (req, res) => {
    const ip = req.params.ip;
    res.type('html').send(hostPage(ip, await options.hostReport?.(ip), options.relayReport !== undefined));
  });
  app.get('/xdr/relay/:ip', async (req, res) => {
    const ip = req.params.ip;
    res.type('html').send(relayPage(ip, await options.relayReport?.(ip)));
  });
  app.get('/{*path}', (req, res, next) => {
    const asset = assets.get(req.path);
    if (!asset) return next();
    res.set({ 'content-type': asset.contentType, 'cache-control': 'no-cache' }).send(asset.body);
  });
  app.use((_req, res) => {
    res.status(404).type('text').send('Not found');
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ message: error instanceof Error ? error.message : 'internal error' });
  });
  return app;
}

function readOnly(res: Response): void {
  res.status(405).json({ message: 'The web space only reads the simulator control surface.' });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
