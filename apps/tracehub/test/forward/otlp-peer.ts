/**
 * A real OTLP/HTTP peer for the forwarder tests: a node:http server whose
 * answer can be switched between 200, 503 (with Retry-After), 400, and
 * "down" (listener closed: connection refused), reopening on the same port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type PeerMode = { status: 200 } | { status: 503 | 429; retryAfter?: string } | { status: 400 };

export interface ReceivedRequest {
  path: string;
  contentType: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface OtlpPeer {
  url: string;
  received: ReceivedRequest[];
  /** Requests answered 2xx. */
  accepted: ReceivedRequest[];
  setMode(m: PeerMode | ((req: ReceivedRequest, n: number) => PeerMode)): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startOtlpPeer(): Promise<OtlpPeer> {
  let mode: PeerMode | ((req: ReceivedRequest, n: number) => PeerMode) = { status: 200 };
  const received: ReceivedRequest[] = [];
  const accepted: ReceivedRequest[] = [];
  let port = 0;
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = { path: req.url ?? '', contentType: req.headers['content-type'] ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      const m = typeof mode === 'function' ? mode(r, received.length) : mode;
      if (m.status === 200) {
        accepted.push(r);
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } else if (m.status === 400) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('bad data');
      } else {
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        if (m.retryAfter !== undefined) headers['retry-after'] = m.retryAfter;
        res.writeHead(m.status, headers).end('try later');
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    accepted,
    setMode: (m) => {
      mode = m;
    },
    down: stop,
    up: listen,
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
