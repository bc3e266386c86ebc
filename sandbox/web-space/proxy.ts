/**
 * Forwards requests to the Webex simulator byte for byte, streaming both ways, so the page talks
 * to one origin (no CORS) and server-sent events flow through unbuffered.
 */
import { request } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';

/** An express handler that replays the request (path included) against `origin`. */
export function proxyTo(origin: string): RequestHandler {
  const target = new URL(origin);
  return (req: Request, res: Response) => {
    const upstream = request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.originalUrl,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders(); // an event stream's headers must reach the browser before its first event
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.status(502).json({ message: 'The Webex simulator is not reachable.' });
      else res.end();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };
}
