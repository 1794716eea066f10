/**
 * Hand-built OTLP/JSON requests for the hub's end-to-end tests: simple
 * n-span traces, and the seed's three scenarios with fixed shapes.
 */
import { randomBytes } from 'node:crypto';
import type { HubHandle } from '@tracelab/test-support/hub';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (value: string) => ({ stringValue: value });
const int = (value: number) => ({ intValue: String(value) });

/** One trace of `spans` spans from service "frontend" (a root and its children). */
export function makeRequest(seed: number, spans: number): { body: string; traceId: string } {
  const traceId = hex(16);
  const rootId = hex(8);
  const t0 = BigInt(Date.now() - 5_000) * 1_000_000n + BigInt(seed);
  const list = Array.from({ length: spans }, (_, i) => ({
    traceId,
    spanId: i === 0 ? rootId : hex(8),
    parentSpanId: i === 0 ? '' : rootId,
    name: i === 0 ? 'GET /' : `step-${i}`,
    kind: i === 0 ? 2 : 1,
    startTimeUnixNano: String(t0 + BigInt(i) * 1000n),
    endTimeUnixNano: String(t0 + 5_000_000n),
    attributes: [{ key: 'seq', value: int(i) }],
  }));
  const body = JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: str('frontend') }] }, scopeSpans: [{ scope: { name: 't' }, spans: list }] }],
  });
  return { body, traceId };
}

interface SpanSpec {
  id: string;
  parent?: string;
  service: 'order-service' | 'payment-service';
  name: string;
  kind: number;
  startMs: number;
  durMs: number;
  error?: string;
  attrs?: Record<string, string | number>;
}

function traceRequest(traceId: string, t0Ms: number, specs: SpanSpec[]): string {
  const byService = new Map<string, unknown[]>();
  for (const s of specs) {
    const start = BigInt(t0Ms + s.startMs) * 1_000_000n;
    const span = {
      traceId,
      spanId: s.id,
      parentSpanId: s.parent ?? '',
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + BigInt(Math.round(s.durMs * 1e6))),
      attributes: Object.entries(s.attrs ?? {}).map(([key, v]) => ({ key, value: typeof v === 'number' ? int(v) : str(v) })),
      status: s.error ? { code: 2, message: s.error } : {},
      events: s.error
        ? [{ name: 'exception', timeUnixNano: String(start), attributes: [{ key: 'exception.message', value: str(s.error) }] }]
        : [],
    };
    byService.set(s.service, [...(byService.get(s.service) ?? []), span]);
  }
  return JSON.stringify({
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: str(service) },
          { key: 'deployment.environment.name', value: str('lab') },
        ],
      },
      scopeSpans: [{ scope: { name: 'seed' }, spans }],
    })),
  });
}

/** The seed's three scenarios as traces; returns their ids. */
export type SeededIds = { ok: string; outOfStock: string; slow: string };

export async function seedTraces(hub: HubHandle): Promise<SeededIds> {
  const { ids, bodies } = seedBodies();
  for (const body of bodies) {
    const res = await fetch(`${hub.otlpHttpUrl}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
  }
  return ids;
}

/** The three seed traces (ok, out of stock, payment timeout) as OTLP/JSON request bodies, a minute ago. */
export function seedBodies(): { ids: SeededIds; bodies: string[] } {
  const ids = { ok: hex(16), outOfStock: hex(16), slow: hex(16) };
  const t0 = Date.now() - 60_000;
  const [r1, r2, r3, r4, r5, r6] = Array.from({ length: 6 }, () => hex(8));
  const bodies = [
    traceRequest(ids.ok, t0, [
      { id: r1!, service: 'order-service', name: 'GET /order', kind: 2, startMs: 0, durMs: 150, attrs: { 'http.response.status_code': 200, 'product.name': 'Book' } },
      { id: hex(8), parent: r1, service: 'order-service', name: 'check-stock', kind: 1, startMs: 1, durMs: 10 },
      { id: r2!, parent: r1, service: 'order-service', name: 'call-payment-api', kind: 1, startMs: 12, durMs: 100 },
      { id: hex(8), parent: r2, service: 'payment-service', name: 'process-payment', kind: 2, startMs: 14, durMs: 90 },
      { id: hex(8), parent: r1, service: 'order-service', name: 'save-order', kind: 1, startMs: 120, durMs: 10 },
    ]),
    traceRequest(ids.outOfStock, t0 + 1000, [
      { id: r3!, service: 'order-service', name: 'GET /order', kind: 2, startMs: 0, durMs: 20, attrs: { 'http.response.status_code': 409 } },
      { id: hex(8), parent: r3, service: 'order-service', name: 'check-stock', kind: 1, startMs: 1, durMs: 15, error: 'Out of stock: OutOfStockItem', attrs: { 'product.name': 'OutOfStockItem' } },
    ]),
    traceRequest(ids.slow, t0 + 2000, [
      { id: r4!, service: 'order-service', name: 'GET /order', kind: 2, startMs: 0, durMs: 700, error: 'Gateway Timeout', attrs: { 'http.response.status_code': 504, 'product.name': 'Book' } },
      { id: r5!, parent: r4, service: 'order-service', name: 'check-stock', kind: 1, startMs: 1, durMs: 10 },
      { id: r6!, parent: r4, service: 'order-service', name: 'call-payment-api', kind: 1, startMs: 12, durMs: 500, error: 'payment timed out after 500 ms' },
      { id: hex(8), parent: r6, service: 'payment-service', name: 'process-payment', kind: 2, startMs: 14, durMs: 600 },
    ]),
  ];
  return { ids, bodies };
}
