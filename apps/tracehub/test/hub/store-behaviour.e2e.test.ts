/**
 * tracehub as a real process: durability across kill -9, logs, live SSE,
 * back-pressure, and the search/autocomplete API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { context, trace } from '@opentelemetry/api';
import { type HubHandle, startHub } from '@tracelab/test-support/hub';
import { makeRequest, seedTraces } from './synthetic.js';

const hubs: HubHandle[] = [];
afterEach(async () => {
  while (hubs.length) await hubs.pop()!.stop({ removeData: true });
});

async function hub(args: string[] = [], dataDir?: string): Promise<HubHandle> {
  const h = await startHub({ args, dataDir });
  hubs.push(h);
  return h;
}

async function post(h: HubHandle, body: string): Promise<number> {
  const res = await fetch(`${h.otlpHttpUrl}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}

describe('durability', () => {
  it('keeps every acknowledged span after kill -9', async () => {
    const h = await startHub();
    const traceIds: string[] = [];
    // 20 concurrent exports of 50 spans: the acknowledgements are what counts.
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const { body, traceId } = makeRequest(i, 50);
        traceIds.push(traceId);
        return post(h, body);
      }),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await h.kill();
    expect(h.process.signalCode).toBe('SIGKILL');

    const again = await hub([], h.dataDir);
    for (const id of traceIds) {
      const res = await fetch(`${again.apiUrl}/api/v1/traces/${id}`);
      expect(res.status, id).toBe(200);
      const body = await res.json();
      expect(body.spanCount).toBe(50);
    }
  });
});

describe('logs', () => {
  it('stores OTLP log records with their trace and span ids', async () => {
    const h = await hub();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'order-service' }),
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${h.otlpHttpUrl}/v1/logs` }) })],
    });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const spanId = 'b7ad6b7169203331';
    const ctx = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: 1 });
    const logger = provider.getLogger('test');
    logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment timed out', attributes: { 'order.id': 42 }, context: ctx });
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'unrelated' });
    await provider.forceFlush();
    await provider.shutdown();

    const res = await fetch(`${h.apiUrl}/api/v1/logs?traceId=${traceId}&spanId=${spanId}`);
    expect(res.status).toBe(200);
    const { logs } = await res.json();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      traceId,
      spanId,
      severityText: 'ERROR',
      severityNumber: SeverityNumber.ERROR,
      body: { type: 'string', value: 'payment timed out' },
      attributes: [{ key: 'order.id', value: { type: 'int', value: '42' } }],
      service: 'order-service',
    });
    const bad = await fetch(`${h.apiUrl}/api/v1/logs`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/traceId/);
  });
});

describe('live', () => {
  it('pushes a summary of a new trace over SSE', async () => {
    const h = await hub();
    const ac = new AbortController();
    const res = await fetch(`${h.apiUrl}/api/v1/live`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const { body, traceId } = makeRequest(7, 3);
    expect(await post(h, body)).toBe(200);
    let text = '';
    while (!text.includes(traceId)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ac.abort();
    const event = text.split('\n\n').find((e) => e.includes(traceId))!;
    expect(event).toMatch(/^event: trace/m);
    const summary = JSON.parse(event.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
    expect(summary).toMatchObject({ traceId, spanCount: 3, rootService: 'frontend' });
  });
});

describe('back-pressure', () => {
  it('refuses with 429 and Retry-After when the queue is full, and stores every accepted export', async () => {
    const h = await hub(['--max-queue', '1']);
    const reqs = Array.from({ length: 40 }, (_, i) => makeRequest(100 + i, 200));
    const results = await Promise.all(
      reqs.map(async (r) => {
        const res = await fetch(`${h.otlpHttpUrl}/v1/traces`, { method: 'POST', body: r.body, headers: { 'content-type': 'application/json' } });
        return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json(), traceId: r.traceId };
      }),
    );
    const refused = results.filter((r) => r.status === 429);
    const accepted = results.filter((r) => r.status === 200);
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length + refused.length).toBe(40);
    expect(refused[0]!.retryAfter).toMatch(/^\d+$/);
    expect(refused[0]!.body).toMatchObject({ code: 14, message: expect.stringMatching(/queue/) });
    for (const a of accepted) expect((await fetch(`${h.apiUrl}/api/v1/traces/${a.traceId}`)).status).toBe(200);
    for (const r of refused) expect((await fetch(`${h.apiUrl}/api/v1/traces/${r.traceId}`)).status).toBe(404);
  });
});

describe('search and autocomplete', () => {
  it('filters by service, operation, status, duration, attributes and TraceQL', async () => {
    const h = await hub();
    const seeded = await seedTraces(h);
    const search = async (qs: string) => {
      const res = await fetch(`${h.apiUrl}/api/v1/traces?${qs}`);
      expect(res.status, qs).toBe(200);
      return ((await res.json()).traces as { traceId: string }[]).map((t) => t.traceId).sort();
    };
    const ids = (...names: (keyof typeof seeded)[]) => names.map((n) => seeded[n]).sort();

    expect(await search('service=payment-service')).toEqual(ids('ok', 'slow'));
    // Span-level: service, operation, attributes and an error status hold on ONE span.
    expect(await search('service=order-service&operation=check-stock&status=error')).toEqual(ids('outOfStock'));
    expect(await search('service=payment-service&status=error')).toEqual(ids());
    expect(await search('operation=call-payment-api&status=error')).toEqual(ids('slow'));
    expect(await search('service=payment-service&attr.product.name=Book')).toEqual(ids());
    expect(await search('operation=GET%20%2Forder&attr.product.name=Book')).toEqual(ids('ok', 'slow'));
    expect(await search('operation=check-stock&attr.product.name=OutOfStockItem&status=error')).toEqual(ids('outOfStock'));
    expect(await search('attr.product.name=Book&status=error')).toEqual(ids('slow'));
    expect(await search('attr.product.name=Book&attr.http.response.status_code=200')).toEqual(ids('ok'));
    expect(await search('service=payment-service&attr.deployment.environment.name=lab')).toEqual(ids('ok', 'slow'));
    // Without other span conditions status=error is the trace's: it has an ERROR span.
    expect(await search('status=ok')).toEqual(ids());
    expect(await search('status=error')).toEqual(ids('outOfStock', 'slow'));
    expect(await search('minDuration=500ms')).toEqual(ids('slow'));
    expect(await search('maxDuration=0.5s')).toEqual(ids('ok', 'outOfStock'));
    expect(await search('attr.product.name=OutOfStockItem')).toEqual(ids('outOfStock'));
    expect(await search('attr.deployment.environment.name=lab')).toEqual(ids('ok', 'outOfStock', 'slow'));
    expect(await search(`q=${encodeURIComponent('{ resource.service.name = "order-service" && status = error && duration > 100ms }')}`)).toEqual(ids('slow'));
    expect(await search(`q=${encodeURIComponent('{ span.http.response.status_code >= 500 }')}`)).toEqual(ids('slow'));
    expect(await search('limit=1')).toHaveLength(1);

    const all = await (await fetch(`${h.apiUrl}/api/v1/traces`)).json();
    const starts = all.traces.map((t: { startTimeUnixNano: string }) => BigInt(t.startTimeUnixNano));
    expect([...starts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))).toEqual(starts);
    const slow = all.traces.find((t: { traceId: string }) => t.traceId === seeded.slow);
    expect(slow).toMatchObject({ rootService: 'order-service', rootName: 'GET /order', spanCount: 4, errorCount: 2 });
    expect(slow.services).toEqual([
      { name: 'order-service', spanCount: 3, errorCount: 2 },
      { name: 'payment-service', spanCount: 1, errorCount: 0 },
    ]);

    expect((await (await fetch(`${h.apiUrl}/api/v1/services`)).json()).services).toEqual(['order-service', 'payment-service']);
    const ops = (await (await fetch(`${h.apiUrl}/api/v1/services/order-service/operations`)).json()).operations;
    expect(ops).toContainEqual({ name: 'GET /order', kind: 'server' });
    expect(ops).toContainEqual({ name: 'check-stock', kind: 'internal' });
    const attrs = (await (await fetch(`${h.apiUrl}/api/v1/attributes`)).json()).attributes;
    expect(attrs).toContainEqual({ key: 'product.name', scope: 'span' });
    expect(attrs).toContainEqual({ key: 'service.name', scope: 'resource' });
    const values = (await (await fetch(`${h.apiUrl}/api/v1/attributes/product.name/values`)).json()).values;
    expect(values.sort()).toEqual(['Book', 'OutOfStockItem']);
    const deps = (await (await fetch(`${h.apiUrl}/api/v1/dependencies?start=0`)).json()).dependencies;
    expect(deps).toEqual([{ parent: 'order-service', child: 'payment-service', callCount: 2, errorCount: 0, p95Ms: expect.any(Number) }]);
    const openapi = await (await fetch(`${h.apiUrl}/api/v1/openapi.json`)).json();
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toContain('/api/v1/traces/{traceId}');
  });
});
