// The storefront server against a real HTTP server standing in for
// order-service: what it forwards and what it hands back.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { build } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';

let upstream: Server;
let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(req.url!.includes('OutOfStock') ? 409 : 200, {
        'content-type': 'application/json',
        traceresponse: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'set-cookie': 'leak=1',
      });
      res.end(JSON.stringify({ status: 'CONFIRMED', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const config = loadConfig({ ORDER_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, PORT: '0' });
  app = await build(config);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await new Promise((r) => upstream?.close(r));
});

describe('storefront server', () => {
  it('proxies GET /api/order with the trace context untouched and returns traceresponse', async () => {
    seen = [];
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01';
    const res = await fetch(`${base}/api/order?productName=Book&delay=100`, { headers: { traceparent, tracestate: 'vendor=1', baggage: 'lab=1', cookie: 'c=1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('traceresponse')).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toMatchObject({ status: 'CONFIRMED' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/order?productName=Book&delay=100');
    expect(seen[0]!.headers).toMatchObject({ traceparent, tracestate: 'vendor=1', baggage: 'lab=1' });
    expect(seen[0]!.headers.cookie).toBeUndefined();
  });

  it('passes fault switch changes to order-service\'s admin API', async () => {
    seen = [];
    const res = await fetch(`${base}/api/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ 'payment.errorRate': 50 }) });
    expect(res.status).toBe(200);
    await fetch(`${base}/api/faults`, { method: 'DELETE' });
    await fetch(`${base}/api/faults`);
    expect(seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ['PUT', '/admin/faults', '{"payment.errorRate":50}'],
      ['DELETE', '/admin/faults', ''],
      ['GET', '/admin/faults', ''],
    ]);
    // An empty JSON body would be refused by Fastify: only PUT/PATCH say they carry one.
    expect(seen.map((r) => r.headers['content-type'])).toEqual(['application/json', undefined, undefined]);
  });

  it('passes the upstream status on', async () => {
    const res = await fetch(`${base}/api/order?productName=OutOfStockItem`);
    expect(res.status).toBe(409);
  });

  it('proxies POST /api/orders as JSON', async () => {
    seen = [];
    const res = await fetch(`${base}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productName: 'Book', quantity: 2 }) });
    expect(res.status).toBe(200);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/orders', body: '{"productName":"Book","quantity":2}' });
  });

  it('serves the page under a CSP without unsafe-inline, and its config', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-scenario="normal"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await (await fetch(`${base}/api/config`)).json()).toEqual({ tracehubUiUrl: 'http://127.0.0.1:3000', otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces' });
  });

  it('bad input: 413 for a big body, 400 for bad JSON, 404 naming the route', async () => {
    const big = await fetch(`${base}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'a'.repeat(20_000) }) });
    expect(big.status).toBe(413);
    const bad = await fetch(`${base}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/JSON/i);
    const missing = await fetch(`${base}/api/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain('GET /api/nothing is not a storefront route');
  });

  it('lab controls answer only this machine', async () => {
    for (const url of ['/api/faults', '/api/load']) {
      const far = await app.inject({ method: 'GET', url, remoteAddress: '10.1.2.3' });
      expect(far.statusCode).toBe(403);
      expect(far.json().message).toContain('only requests from this machine');
    }
    expect((await app.inject({ method: 'GET', url: '/api/load', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    // Orders are not lab controls.
    expect((await app.inject({ method: 'GET', url: '/api/order?productName=Book', remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
  });

  it('lab controls take JSON only (no cross-site form posts)', async () => {
    const form = await fetch(`${base}/api/load`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'rate=200' });
    expect(form.status).toBe(415);
    const faults = await fetch(`${base}/api/faults`, { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(faults.status).toBe(415);
    expect(((await (await fetch(`${base}/api/load`)).json()) as { running: boolean }).running).toBe(false);
  });

  it('the Load button: one bounded run at a time, its counts are what the server answered', async () => {
    const tooFast = await fetch(`${base}/api/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 1000, durationS: 1 }) });
    expect(tooFast.status).toBe(400);
    expect(((await tooFast.json()) as { message: string }).message).toContain('rate must be above 0 and at most 200');
    const badMix = await fetch(`${base}/api/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 5, durationS: 1, mix: 'checkout:1' }) });
    expect(badMix.status).toBe(400);
    expect(((await badMix.json()) as { message: string }).message).toContain('unknown scenario "checkout"');

    seen = [];
    const start = await fetch(`${base}/api/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 20, durationS: 1, mix: 'normal' }) });
    expect(start.status).toBe(202);
    const again = await fetch(`${base}/api/load`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rate: 20, durationS: 1 }) });
    expect(again.status).toBe(409);
    type Status = { running: boolean; progress: string; table?: string; report?: { sent: number; total: { byStatus: Record<string, number> } } };
    let status: Status;
    do {
      await new Promise((r) => setTimeout(r, 100));
      status = (await (await fetch(`${base}/api/load`)).json()) as Status;
    } while (status.running);
    expect(status.report!.sent).toBe(20);
    expect(status.report!.total.byStatus).toEqual({ 200: 20 });
    expect(status.table).toMatch(/^total +20 +200:20 /m);
    expect(seen.filter((r) => r.url === '/order?productName=Book&delay=100')).toHaveLength(20);
  });

  it('502 naming order-service when it is down', async () => {
    const down = await build(loadConfig({ ORDER_URL: 'http://127.0.0.1:9', PORT: '0' }));
    const res = await down.inject({ method: 'GET', url: '/api/order?productName=Book' });
    await down.close();
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ error: 'ORDER_SERVICE_UNAVAILABLE' });
    expect(res.json().message).toContain('order-service did not answer');
  });
});
