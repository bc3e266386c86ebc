/** Fixed default ports with a fallback to free ones, so a second demo (or a busy port) still starts. */
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';

/** The ports `npm run demo` prefers. */
export const DEFAULT_PORTS = { web: 8780, webex: 8781, smc: 8782, bot: 8783 } as const;

/** Which server a port is for. */
export type PortName = keyof typeof DEFAULT_PORTS;

/** Runs `start` on `preferred`, and on a free port (0) when that one is taken. */
export async function withPortFallback<T>(preferred: number, start: (port: number) => Promise<T>): Promise<T> {
  if (preferred === 0) return start(0);
  try {
    return await start(preferred);
  } catch (error) {
    if ((error as { code?: unknown } | undefined)?.code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}

/**
 * `preferred` when nothing listens on it, else a free port. For servers that must know their
 * port before they start (the bot names its webhook URL in its configuration).
 */
export async function availablePort(preferred: number, host = '0.0.0.0'): Promise<number> {
  if (preferred !== 0) {
    const port = await tryListen(preferred, host).catch(() => undefined);
    if (port !== undefined) return port;
  }
  return tryListen(0, host);
}

function tryListen(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** This machine's first non-internal IPv4 address (what a phone on the same network can reach). */
export function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
}
