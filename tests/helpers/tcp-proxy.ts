/**
 * A TCP proxy on 127.0.0.1 in front of a real service (Redis in the state tests) that a test
 * can cut and restore: `cut()` drops every open connection and stops listening, so new
 * connections are refused as if the service were gone; `restore()` listens on the same port
 * again. Bytes are passed through untouched.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** True between `cut()` and `restore()`. */
  readonly isCut: boolean;
  /** Connections accepted so far (a reconnecting client shows up here). */
  readonly accepted: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let isCut = false;

  const onConnection = (client: Socket): void => {
    accepted += 1;
    const upstream = createConnection({ host: target.host, port: target.port });
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });

  return {
    port,
    get isCut() {
      return isCut;
    },
    get accepted() {
      return accepted;
    },
    async cut() {
      if (isCut) return;
      isCut = true;
      await stopListening();
    },
    async restore() {
      if (!isCut) return;
      server = createServer(onConnection);
      await listen(port);
      isCut = false;
    },
    async close() {
      if (!isCut) await stopListening();
      isCut = true;
    },
  };
}
