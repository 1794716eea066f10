// The storefront server: the built page, its config, and the order proxy.
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopback } from '@tracelab/lab-faults';
import type { StorefrontConfig } from './config.js';
import { contentSecurityPolicy } from './csp.js';
import { PageLoad } from './load.js';
import { forward, FORWARDED_REQUEST_HEADERS, pickHeaders, type Forwarded } from './proxy.js';

export interface BuildOptions extends StorefrontConfig {
  logger?: boolean;
  /** Abort a proxied order after this long. @default 30000 */
  proxyTimeoutMs?: number;
}

export async function build(opts: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 16 * 1024 });
  const csp = contentSecurityPolicy(opts.otlpTracesUrl);
  const timeoutMs = opts.proxyTimeoutMs ?? 30_000;

  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', csp);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  if (!existsSync(join(opts.publicDir, 'index.html'))) {
    throw new Error(`the storefront page is not built (${join(opts.publicDir, 'index.html')} missing): run npm run build`);
  }
  await app.register(fastifyStatic, { root: opts.publicDir, index: ['index.html'] });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async () => ({ status: 'ready' }));

  // What the page needs to know at run time; fetched before the browser SDK starts, so it is not traced.
  app.get('/api/config', async () => ({ tracehubUiUrl: opts.tracehubUiUrl, otlpTracesUrl: opts.otlpTracesUrl }));

  const send = (reply: FastifyReply, f: Forwarded) => reply.code(f.status).headers(f.headers).send(f.body);

  app.get('/api/order', async (req, reply) => {
    // The query string as the browser sent it; order-service validates it.
    const at = req.raw.url!.indexOf('?');
    const qs = at >= 0 ? req.raw.url!.slice(at) : '';
    return send(reply, await forward(`${opts.orderUrl}/order${qs}`, { method: 'GET', headers: pickHeaders(req.headers, FORWARDED_REQUEST_HEADERS), timeoutMs }));
  });

  app.post('/api/orders', async (req, reply) => {
    return send(
      reply,
      await forward(`${opts.orderUrl}/orders`, {
        method: 'POST',
        headers: { ...pickHeaders(req.headers, FORWARDED_REQUEST_HEADERS), 'content-type': 'application/json' },
        body: JSON.stringify(req.body ?? {}),
        timeoutMs,
      }),
    );
  });

  // The lab controls change the whole system: only from this machine (like the services' admin API),
  // and only as JSON, which a foreign page cannot send without a CORS preflight this server never allows.
  const LAB_CONTROLS = new Set(['/api/faults', '/api/load']);
  app.addHook('onRequest', async (req, reply) => {
    if (!LAB_CONTROLS.has(req.url.split('?')[0]!)) return;
    if (!isLoopback(req.socket.remoteAddress)) {
      return reply.code(403).send({ error: 'FORBIDDEN', message: 'The lab controls answer only requests from this machine (127.0.0.1).' });
    }
    if ((req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') && !String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return reply.code(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the lab control as JSON (content-type: application/json).' });
    }
  });

  // The fault switches: order-service's admin API is the lab's control point (it passes changes on to payment-service).
  const faults = async (req: { method: string; body?: unknown }, reply: FastifyReply) => {
    const hasBody = req.method === 'PUT' || req.method === 'PATCH';
    // No content-type without a body: Fastify refuses an empty application/json body.
    return send(
      reply,
      await forward(`${opts.orderUrl}/admin/faults`, {
        method: req.method,
        headers: hasBody ? { 'content-type': 'application/json' } : {},
        body: hasBody ? JSON.stringify(req.body ?? {}) : undefined,
        timeoutMs: 5000,
      }),
    );
  };
  app.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: '/api/faults', handler: (req, reply) => faults(req, reply) });

  // The Load button: the load generator run from here against order-service.
  const load = new PageLoad(opts.orderUrl);
  app.get('/api/load', async () => load.get());
  app.post('/api/load', async (req, reply) => {
    const started = load.start(req.body);
    if (!started.ok) return reply.code(started.status).send({ error: started.status === 409 ? 'LOAD_RUNNING' : 'INVALID_LOAD', message: started.message });
    return reply.code(202).send(load.get());
  });
  app.delete('/api/load', async () => {
    load.abort();
    return load.get();
  });
  app.addHook('onClose', async () => load.abort());

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: 'NOT_FOUND', message: `${req.method} ${req.url.split('?')[0]} is not a storefront route: the page is /, orders go to /api/order` });
  });
  app.setErrorHandler((err: { statusCode?: number; message: string; code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    reply.code(status).send({ error: status === 500 ? 'INTERNAL_ERROR' : (err.code ?? 'BAD_REQUEST'), message: err.message });
  });
  return app;
}
