// /api/v1/dependencies with a browser service and uninstrumented peers, from
// hand-built OTLP/JSON sent to a real tracehub: a web SDK span (resource
// telemetry.sdk.language = webjs) is the parent of an order-service SERVER
// span, which calls a database, a peer.service and a bare host:port.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (value: string) => ({ stringValue: value });

let hub: HubHandle;
const traceId = hex(16);
const t0 = BigInt(Date.now() - 10_000) * 1_000_000n;
const ms = (n: number) => String(t0 + BigInt(n) * 1_000_000n);

interface Spec {
  id: string;
  parent?: string;
  name: string;
  kind: number;
  start: number;
  end: number;
  attrs?: Record<string, string>;
  error?: boolean;
}
const span = (s: Spec) => ({
  traceId,
  spanId: s.id,
  parentSpanId: s.parent ?? '',
  name: s.name,
  kind: s.kind,
  startTimeUnixNano: ms(s.start),
  endTimeUnixNano: ms(s.end),
  attributes: Object.entries(s.attrs ?? {}).map(([key, v]) => ({ key, value: str(v) })),
  status: s.error ? { code: 2, message: 'failed' } : {},
});
const resource = (attrs: Record<string, string>) => ({ attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: str(v) })) });

const ids = { click: hex(8), fetch: hex(8), server: hex(8), db: hex(8), bank: hex(8), mail: hex(8), internal: hex(8) };

beforeAll(async () => {
  hub = await startHub();
  const body = {
    resourceSpans: [
      {
        resource: resource({ 'service.name': 'storefront-web', 'telemetry.sdk.language': 'webjs', 'telemetry.sdk.name': 'opentelemetry' }),
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-fetch' },
            spans: [
              span({ id: ids.click, name: 'click checkout', kind: 1, start: 0, end: 100 }),
              span({ id: ids.fetch, parent: ids.click, name: 'HTTP POST', kind: 3, start: 1, end: 90, attrs: { 'server.address': 'shop.example', 'server.port': '443' } }),
            ],
          },
        ],
      },
      {
        resource: resource({ 'service.name': 'order-service', 'telemetry.sdk.language': 'nodejs' }),
        scopeSpans: [
          {
            scope: { name: 'manual' },
            spans: [
              span({ id: ids.server, parent: ids.fetch, name: 'POST /order', kind: 2, start: 5, end: 80 }),
              span({ id: ids.db, parent: ids.server, name: 'INSERT orders', kind: 3, start: 10, end: 14, attrs: { 'db.system.name': 'postgresql', 'server.address': 'db' } }),
              span({ id: ids.bank, parent: ids.server, name: 'charge', kind: 3, start: 20, end: 60, error: true, attrs: { 'peer.service': 'bank', 'server.address': 'api.bank.example' } }),
              span({ id: ids.mail, parent: ids.server, name: 'send mail', kind: 4, start: 61, end: 62, attrs: { 'server.address': 'smtp.example', 'server.port': '25' } }),
              span({ id: ids.internal, parent: ids.server, name: 'no peer attributes', kind: 3, start: 63, end: 64 }),
            ],
          },
        ],
      },
    ],
  };
  const res = await fetch(`${hub.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await hub?.stop({ removeData: true });
});

describe('service map: browser services and uninstrumented peers', () => {
  it('has a browser node calling order-service, and database and peer nodes', async () => {
    const g = await (await fetch(`${hub.apiUrl}/api/v1/dependencies`)).json();
    expect(g.nodes.map((n: { id: string; kind: string }) => [n.id, n.kind])).toEqual([
      ['db:postgresql', 'database'],
      ['order-service', 'service'],
      ['peer:bank', 'peer'],
      ['peer:smtp.example:25', 'peer'],
      ['storefront-web', 'browser'],
    ]);
    expect(g.nodes.find((n: { id: string }) => n.id === 'storefront-web')).toMatchObject({ name: 'storefront-web', calls: 1, errors: 0, spans: 2 });
    expect(g.nodes.find((n: { id: string }) => n.id === 'order-service')).toMatchObject({ calls: 1, errors: 0, spans: 5 });
    const edges = Object.fromEntries(g.edges.map((e: { source: string; target: string }) => [`${e.source}>${e.target}`, e]));
    expect(Object.keys(edges).sort()).toEqual(['order-service>db:postgresql', 'order-service>peer:bank', 'order-service>peer:smtp.example:25', 'storefront-web>order-service']);
    // The browser's fetch span is the caller side: 89 ms. order-service's failed bank call counts on its own edge only.
    expect(edges['storefront-web>order-service']).toMatchObject({ kind: 'call', calls: 1, errors: 0, p95Ms: 89, exemplar: { traceId } });
    expect(edges['order-service>db:postgresql']).toMatchObject({ kind: 'database', calls: 1, errors: 0, p95Ms: 4 });
    expect(edges['order-service>peer:bank']).toMatchObject({ kind: 'peer', calls: 1, errors: 1, errorRate: 1, p95Ms: 40 });
    expect(edges['order-service>peer:smtp.example:25']).toMatchObject({ kind: 'peer', calls: 1 });
    expect(edges['storefront-web>order-service'].callsPerSec).toBeCloseTo(1 / 3600);
    expect(g.dependencies).toEqual([{ parent: 'storefront-web', child: 'order-service', callCount: 1, errorCount: 0, p95Ms: 75 }]);
  });

  it('lists the trace behind a browser edge and a peer edge; nothing outside the window', async () => {
    const traces = async (q: string) => (await (await fetch(`${hub.apiUrl}/api/v1/dependencies/traces?${q}`)).json()).traces.map((t: { traceId: string }) => t.traceId);
    expect(await traces('source=storefront-web&target=order-service')).toEqual([traceId]);
    expect(await traces('source=order-service&target=peer%3Abank')).toEqual([traceId]);
    expect(await traces('source=order-service&target=db%3Apostgresql')).toEqual([traceId]);
    expect(await traces('source=storefront-web&target=peer%3Abank')).toEqual([]);
    expect(await traces('source=order-service&target=storefront-web')).toEqual([]);
    const before = Date.now() - 3_600_000;
    expect(await traces(`source=storefront-web&target=order-service&start=${before - 60_000}&end=${before}`)).toEqual([]);
    const empty = await (await fetch(`${hub.apiUrl}/api/v1/dependencies?start=${before - 60_000}&end=${before}`)).json();
    expect(empty).toMatchObject({ dependencies: [], nodes: [], edges: [] });
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await fetch(`${hub.apiUrl}/api/v1/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/dependencies', '/api/v1/dependencies/traces']));
    expect(doc.components.schemas.ServiceGraph.properties.nodes.items.properties.kind.enum).toEqual(['service', 'database', 'peer', 'browser']);
  });
});
