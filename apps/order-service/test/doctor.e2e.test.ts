// The propagation doctor on a real broken hop: real PostgreSQL, tracehub,
// order-service and payment-service (real OpenTelemetry SDK). With
// payment-service's propagators switched off (OTEL_PROPAGATORS=none) its
// SERVER span starts a trace of its own; /doctor of the order's trace must
// name the hop order-service → payment-service and link the payment trace.
// The same flow with propagation on gives no broken-hop finding. Through an
// OTLP proxy that withholds order-service's call span, or shifts
// payment-service's clock, the doctor finds the orphans and the skew.
import type { Diagnosis, Finding } from '@tracelab/api-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '@tracelab/trace-assert';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { shiftTime, startTamperProxy, type JsonSpan, type TamperProxy } from './helpers/otlp-tamper.js';
import { createTestDatabase, DB_TARGETS, startDbServer, startServices, type ApiSpan, type DbServer, type Services } from '@tracelab/test-support/system';

let hub: HubHandle;
let server: DbServer;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const running: Services[] = [];
const proxies: TamperProxy[] = [];

/** The services exporting OTLP/JSON through a proxy that applies `edit` to every span. */
async function tamperedServices(edit: (span: JsonSpan, service: string) => JsonSpan | null): Promise<{ services: Services; proxy: TamperProxy }> {
  const proxy = await startTamperProxy(hub.otlpHttpUrl, edit);
  proxies.push(proxy);
  const services = await startServices({ databaseUrl: db.url, otlpUrl: proxy.url, env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } });
  running.push(services);
  return { services, proxy };
}

const isPaymentCall = (s: JsonSpan, service: string) =>
  service === 'order-service' && s.kind === 3 && (s.attributes ?? []).some((a) => a.key === 'url.full' && (a.value.stringValue ?? '').includes('/payments'));

/** Span ids of `root` and everything under it. */
function subtree(spans: ApiSpan[], root: string): Set<string> {
  const out = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of spans) if (s.parentSpanId && out.has(s.parentSpanId) && !out.has(s.spanId)) grew = out.add(s.spanId).size > 0;
  }
  return out;
}

async function placeOrder(services: Services): Promise<{ traceId: string; spans: ApiSpan[] }> {
  const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=20`);
  expect(res.status).toBe(200);
  const traceId = ((await res.json()) as { traceId: string }).traceId;
  const spans = (await readTrace(hub.apiUrl, traceId, 15_000, 500)) as unknown as ApiSpan[] | undefined;
  expect(spans).toBeDefined();
  return { traceId, spans: spans! };
}

/** An order whose trace will never be whole (a parent withheld): read once both services' entry spans are in and the count held for 500 ms. */
async function placeOrderWithOrphans(services: Services): Promise<{ traceId: string; spans: ApiSpan[] }> {
  const res = await fetch(`${services.orderUrl}/order?productName=Book&delay=20`);
  expect(res.status).toBe(200);
  const traceId = ((await res.json()) as { traceId: string }).traceId;
  const deadline = Date.now() + 15_000;
  let last = { count: -1, since: Date.now() };
  for (;;) {
    const r = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`);
    const spans = r.ok ? ((await r.json()) as { spans: ApiSpan[] }).spans : [];
    if (spans.length !== last.count) last = { count: spans.length, since: Date.now() };
    const entries = new Set(spans.filter((s) => s.kind === 'server').map((s) => s.service));
    if (entries.has('order-service') && entries.has('payment-service') && Date.now() - last.since >= 500) return { traceId, spans };
    if (Date.now() > deadline) throw new Error(`trace ${traceId} has ${spans.length} spans: ${spans.map((s) => `${s.service} ${s.name}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function doctor(traceId: string): Promise<Diagnosis> {
  const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}/doctor`);
  expect(res.status).toBe(200);
  return (await res.json()) as Diagnosis;
}

/** The doctor's answer once a broken-hop finding shows (the callee's trace is exported on its own schedule). */
async function brokenHops(traceId: string): Promise<Finding[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const hops = (await doctor(traceId)).findings.filter((f) => f.kind === 'broken-hop');
    if (hops.length > 0 || Date.now() > deadline) return hops;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  hub = await startHub();
  server = await startDbServer(DB_TARGETS.at(-1)!);
  db = await createTestDatabase(server);
}, 120_000);
afterAll(async () => {
  for (const s of running) await s.stop();
  for (const p of proxies) await p.close();
  await db?.drop();
  await server?.stop();
  await hub?.stop({ removeData: true });
});

describe('propagation doctor on the real services', () => {
  it('payment-service with OTEL_PROPAGATORS=none: the hop order-service → payment-service is named and the payment trace linked', async () => {
    const services = await startServices({ databaseUrl: db.url, otlpUrl: hub.otlpHttpUrl, paymentEnv: { OTEL_PROPAGATORS: 'none' } });
    running.push(services);
    const { traceId, spans } = await placeOrder(services);
    // The order's trace holds no payment-service span: the context did not cross.
    expect(spans.filter((s) => s.service === 'payment-service')).toEqual([]);

    const hops = await brokenHops(traceId);
    expect(hops).toHaveLength(1);
    const hop = hops[0]!;
    expect(hop.side).toBe('client');
    expect(hop.services).toEqual(['order-service', 'payment-service']);
    expect(hop.hop).toMatch(/^order-service → payment-service: POST \/payments/);
    // The span concerned is order-service's outgoing call in this trace.
    const call = spans.find((s) => s.spanId === hop.spanIds[0]);
    expect(call).toMatchObject({ service: 'order-service', kind: 'client' });
    expect(hop.fix).toContain('OTEL_PROPAGATORS');

    // The linked trace is payment-service's, rooted at the SERVER span that answered the call.
    expect(hop.otherTraceId).not.toBe(traceId);
    const other = (await readTrace(hub.apiUrl, hop.otherTraceId!, 15_000, 300)) as unknown as ApiSpan[];
    const root = other.find((s) => s.spanId === hop.otherSpanId);
    expect(root).toMatchObject({ service: 'payment-service', kind: 'server', parentSpanId: null });
    const start = (s: ApiSpan) => BigInt(s.startTimeUnixNano);
    expect(start(root!) >= start(call!) - 1_000_000_000n).toBe(true);
    expect(start(root!) <= start(call!) + BigInt(Math.round(call!.durationMs * 1e6)) + 1_000_000_000n).toBe(true);

    // From the payment trace, the doctor finds the caller on the other side.
    const reverse = (await doctor(hop.otherTraceId!)).findings.filter((f) => f.kind === 'broken-hop');
    expect(reverse).toHaveLength(1);
    expect(reverse[0]).toMatchObject({ side: 'server', otherTraceId: traceId, otherSpanId: call!.spanId, spanIds: [root!.spanId] });
    await services.stop();
    running.pop();
  }, 120_000);

  it('with propagation on, the same flow has no broken hop', async () => {
    const services = await startServices({ databaseUrl: db.url, otlpUrl: hub.otlpHttpUrl });
    running.push(services);
    const { traceId, spans } = await placeOrder(services);
    expect(spans.some((s) => s.service === 'payment-service' && s.kind === 'server')).toBe(true);
    const d = await doctor(traceId);
    expect(d.findings.filter((f) => f.kind === 'broken-hop')).toEqual([]);
    expect(d.findings.filter((f) => f.kind === 'orphan-spans' || f.kind === 'missing-service-name' || f.kind === 'unknown-sdk')).toEqual([]);
    await services.stop();
    running.pop();
  }, 120_000);

  it('a real trace minus its call span: the payment spans are orphans under the parent that never arrived', async () => {
    const { services, proxy } = await tamperedServices((s, service) => (isPaymentCall(s, service) ? null : s));
    const { traceId, spans } = await placeOrderWithOrphans(services);
    const gone = proxy.withheld.find((w) => w.span.traceId === traceId);
    expect(gone).toBeDefined();
    const serve = spans.find((s) => s.service === 'payment-service' && s.kind === 'server')!;
    expect(serve.parentSpanId).toBe(gone!.span.spanId);

    const orphans = (await doctor(traceId)).findings.filter((f) => f.kind === 'orphan-spans');
    expect(orphans).toHaveLength(1);
    expect(orphans[0]).toMatchObject({ missingParentSpanId: gone!.span.spanId, spanIds: [serve.spanId], services: ['payment-service'], spanCount: subtree(spans, serve.spanId).size });
    await services.stop();
    running.pop();
  }, 120_000);

  it("payment-service's spans sent 200 ms early: clock skew between the pair, with the offset that puts them back", async () => {
    const shift = -200_000_000n;
    const { services } = await tamperedServices((s, service) =>
      service === 'payment-service' ? { ...s, startTimeUnixNano: shiftTime(s.startTimeUnixNano, shift), endTimeUnixNano: shiftTime(s.endTimeUnixNano, shift) } : s,
    );
    const { traceId, spans } = await placeOrder(services);
    const serve = spans.find((s) => s.service === 'payment-service' && s.kind === 'server')!;
    const call = spans.find((s) => s.spanId === serve.parentSpanId)!;
    expect(call.service).toBe('order-service');

    const d = await doctor(traceId);
    const skew = d.findings.filter((f) => f.kind === 'clock-skew');
    expect(skew).toHaveLength(1);
    expect(skew[0]!.services).toEqual(['order-service', 'payment-service']);
    expect(skew[0]!.spanIds[0]).toBe(serve.spanId);
    // The one crossing pair: the shift that moves the SERVER span's start to its CLIENT parent's.
    const offset = BigInt((skew[0] as Finding & { offsetNs: string }).offsetNs);
    expect(offset).toBe(BigInt(call.startTimeUnixNano) - BigInt(serve.startTimeUnixNano));
    expect(offset > 0n && offset <= -shift).toBe(true);
    expect(d.findings.filter((f) => f.kind === 'broken-hop' || f.kind === 'orphan-spans')).toEqual([]);
    await services.stop();
    running.pop();
  }, 120_000);
});
