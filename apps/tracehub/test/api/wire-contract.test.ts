// The /api/v1 wire contract (@tracelab/api-contract) against the hub's real answers, in process:
// every GET route of the OpenAPI document (and the two JSON POSTs, a 400 and a 404) answers JSON that
// the contract's schema for it accepts, with no field beyond it; and a wrong answer is refused with a
// message naming the field.
import { schemas, type SchemaName } from '@tracelab/api-contract';
import { contractErrors } from '@tracelab/api-contract/validate';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { type SeededIds, seedBodies } from '../hub/synthetic.js';
import { type InProcessHub, openInProcessHub } from '../inprocess.js';

let hub: InProcessHub;
let ids: SeededIds;
const linkingTrace = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const linkingSpan = 'c0ffee00c0ffee01';

/** A trace with what the seed lacks: a span link to the ok trace, an event, a database call, resource and scope fields. */
function linkingBody(toTraceId: string, toSpanId: string, startNs: bigint): string {
  const ns = (ms: number) => (startNs + BigInt(ms) * 1_000_000n).toString();
  const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'billing-worker'), str('telemetry.sdk.name', 'opentelemetry'), { key: 'host.cpus', value: { intValue: '4' } }] },
        scopeSpans: [
          {
            scope: { name: 'billing', version: '1.2.3' },
            spans: [
              {
                traceId: linkingTrace, spanId: linkingSpan, name: 'bill order', kind: 5,
                startTimeUnixNano: ns(0), endTimeUnixNano: ns(40),
                attributes: [str('messaging.system', 'kafka'), { key: 'retry', value: { boolValue: false } }, { key: 'ratio', value: { doubleValue: 0.5 } }],
                events: [{ timeUnixNano: ns(5), name: 'picked up', attributes: [str('queue', 'orders')] }],
                links: [{ traceId: toTraceId, spanId: toSpanId, attributes: [str('link.kind', 'follows')] }],
                status: {},
              },
              {
                traceId: linkingTrace, spanId: 'c0ffee00c0ffee02', parentSpanId: linkingSpan, name: 'INSERT invoices', kind: 3,
                startTimeUnixNano: ns(10), endTimeUnixNano: ns(30),
                attributes: [str('db.system.name', 'postgresql'), str('db.namespace', 'billing'), str('db.query.text', 'INSERT INTO invoices VALUES ($1)')],
                status: { code: 2, message: 'duplicate key' },
              },
            ],
          },
        ],
      },
    ],
  });
}

function logBody(traceId: string, spanId: string, timeNs: bigint): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing-worker' } }] },
        scopeLogs: [
          {
            scope: { name: 'billing' },
            logRecords: [
              { timeUnixNano: timeNs.toString(), severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'invoice rejected' }, traceId, spanId, attributes: [{ key: 'invoice.id', value: { intValue: '42' } }] },
            ],
          },
        ],
      },
    ],
  });
}

let okRoot = '';

beforeAll(async () => {
  hub = await openInProcessHub();
  const seed = seedBodies();
  ids = seed.ids;
  for (const body of seed.bodies) await hub.postTraces(body);
  const ok = (await hub.api.inject({ method: 'GET', url: `/api/v1/traces/${ids.ok}` })).json() as { spans: { spanId: string; parentSpanId: string | null }[]; startTimeUnixNano: string };
  const root = ok.spans.find((s) => s.parentSpanId === null)!;
  okRoot = root.spanId;
  const start = BigInt(ok.startTimeUnixNano) + 5_000_000_000n;
  await hub.postTraces(linkingBody(ids.ok, root.spanId, start));
  const logs = await hub.otlpHttp.inject({ method: 'POST', url: '/v1/logs', payload: logBody(linkingTrace, linkingSpan, start + 6_000_000n), headers: { 'content-type': 'application/json' } });
  expect(logs.statusCode, logs.body).toBe(200);
});
afterAll(async () => {
  await hub?.close();
});

interface Case {
  /** The OpenAPI path this case covers. */
  path: string;
  url: string;
  schema: SchemaName;
  status?: number;
  method?: 'GET' | 'POST';
  payload?: string;
  /** A check on the content, so an empty answer does not pass for a full one. */
  has?: (body: any) => boolean;
}

function cases(): Case[] {
  const end = Date.now();
  const start = end - 10 * 60_000;
  const win = `start=${start}&end=${end}`;
  return [
    { path: '/api/v1/traces/{traceId}', url: `/api/v1/traces/${ids.ok}`, schema: 'TraceDetail', has: (b) => b.spans.length === 5 },
    { path: '/api/v1/traces/{traceId}', url: `/api/v1/traces/${linkingTrace}`, schema: 'TraceDetail', has: (b) => b.spans.some((s: any) => s.links.length === 1 && s.events.length === 1) },
    { path: '/api/v1/traces/{traceId}', url: `/api/v1/traces/${ids.ok}?format=compact`, schema: 'CompactTraceDetail', has: (b) => b.format === 'tracehub.compact/1' && b.spanCount === 5 },
    { path: '/api/v1/traces/{traceId}', url: `/api/v1/traces/${ids.ok}?root=${okRoot}`, schema: 'TraceDetail', has: (b) => b.subtree.rootSpanId === okRoot && b.subtree.traceSpanCount === 5 },
    { path: '/api/v1/traces/{traceId}', url: `/api/v1/traces/${ids.ok}?format=xml`, schema: 'Error', status: 400, has: (b) => /format/.test(b.message) },
    { path: '/api/v1/traces/{traceId}/search', url: `/api/v1/traces/${ids.ok}/search?q=check`, schema: 'TraceSearch', has: (b) => b.total === 1 && b.spanIds.length === 1 },
    { path: '/api/v1/traces/{traceId}', url: '/api/v1/traces/not-hex', schema: 'Error', status: 400, has: (b) => b.error === 'BAD_PARAMETER' || /trace/i.test(b.message) },
    { path: '/api/v1/traces/{traceId}', url: '/api/v1/traces/0123456789abcdef0123456789abcdef', schema: 'Error', status: 404, has: (b) => b.error === 'TRACE_NOT_FOUND' },
    { path: '/api/v1/traces/{traceId}/explain', url: `/api/v1/traces/${ids.slow}/explain`, schema: 'Explanation', has: (b) => b.status === 'error' && b.cause !== null },
    { path: '/api/v1/traces/{traceId}/explain', url: `/api/v1/traces/${ids.ok}/explain`, schema: 'Explanation', has: (b) => b.status === 'ok' },
    { path: '/api/v1/traces/{traceId}/links', url: `/api/v1/traces/${ids.ok}/links`, schema: 'IncomingLinks', has: (b) => b.incoming.length === 1 },
    { path: '/api/v1/traces/{traceId}/doctor', url: `/api/v1/traces/${ids.ok}/doctor`, schema: 'Diagnosis', has: (b) => b.traceId === ids.ok },
    { path: '/api/v1/traces', url: '/api/v1/traces', schema: 'TraceList', has: (b) => b.traces.length === 4 },
    { path: '/api/v1/traces', url: `/api/v1/traces?q=${encodeURIComponent('{ status = error } | by(resource.service.name)')}`, schema: 'TraceList', has: (b) => b.traces.length >= 2 && b.traces.every((t: any) => t.spanSets.length > 0) },
    { path: '/api/v1/traces', url: '/api/v1/traces?limit=0', schema: 'Error', status: 400, has: (b) => /limit/.test(b.message) },
    { path: '/api/v1/services', url: '/api/v1/services', schema: 'ServiceList', has: (b) => b.services.includes('payment-service') },
    { path: '/api/v1/services/{service}/operations', url: '/api/v1/services/order-service/operations', schema: 'Operations', has: (b) => b.operations.length >= 4 },
    { path: '/api/v1/attributes', url: '/api/v1/attributes', schema: 'AttributeKeys', has: (b) => b.attributes.some((a: any) => a.key === 'product.name') },
    { path: '/api/v1/attributes/{key}/values', url: '/api/v1/attributes/product.name/values', schema: 'AttributeValues', has: (b) => b.values.includes('Book') },
    { path: '/api/v1/logs', url: `/api/v1/logs?traceId=${linkingTrace}`, schema: 'LogList', has: (b) => b.logs.length === 1 },
    { path: '/api/v1/logs', url: '/api/v1/logs', schema: 'Error', status: 400, has: (b) => /traceId/.test(b.message) },
    { path: '/api/v1/dependencies', url: `/api/v1/dependencies?${win}`, schema: 'ServiceGraph', has: (b) => b.edges.length >= 2 && b.nodes.some((n: any) => n.kind === 'database') },
    { path: '/api/v1/dependencies/traces', url: `/api/v1/dependencies/traces?source=order-service&target=payment-service&${win}`, schema: 'TraceList', has: (b) => b.traces.length === 2 },
    { path: '/api/v1/metrics', url: `/api/v1/metrics?${win}`, schema: 'Metrics', has: (b) => b.series.length >= 2 },
    { path: '/api/v1/metrics', url: `/api/v1/metrics?service=order-service&kind=any&${win}`, schema: 'Metrics', has: (b) => b.series.some((s: any) => s.operation === 'check-stock') },
    { path: '/api/v1/metrics/traceql', url: `/api/v1/metrics/traceql?q=${encodeURIComponent('{ } | rate() by (resource.service.name)')}&${win}&step=1m`, schema: 'TraceqlMetrics', has: (b) => b.series.length === 3 && b.series[0].exemplars.length > 0 },
    { path: '/api/v1/metrics/traceql', url: `/api/v1/metrics/traceql?q=${encodeURIComponent('{ } | count_over_time()')}&${win}&instant=true`, schema: 'TraceqlMetrics', has: (b) => b.series.length === 1 && typeof b.series[0].value === 'number' },
    { path: '/api/v1/compare', url: `/api/v1/compare?a=${ids.slow}&b=${ids.ok}`, schema: 'Comparison', has: (b) => b.b.traceId === ids.ok && b.rows.length > 0 },
    { path: '/api/v1/compare', url: `/api/v1/compare?a=${ids.slow}&baseline=auto`, schema: 'Comparison', has: (b) => b.baseline.traceCount === 2 },
    { path: '/api/v1/compare', url: `/api/v1/compare?a=${ids.slow}&b=0123456789abcdef0123456789abcdef`, schema: 'Error', status: 404 },
    {
      path: '/api/v1/analyze/attributes', method: 'POST', url: '/api/v1/analyze/attributes', schema: 'AttributeAnalysis',
      payload: JSON.stringify({ selection: { status: 'error' }, start: `${BigInt(start) * 1_000_000n}`, end: `${BigInt(end) * 1_000_000n}` }),
      has: (b) => b.selection.traceCount === 3,
    },
    {
      path: '/api/v1/import', method: 'POST', url: '/api/v1/import', schema: 'ImportResult',
      payload: linkingBody(ids.slow, '0000000000000001', BigInt(start) * 1_000_000n).replaceAll('c0ffee00', 'beef0000'),
      has: (b) => b.format === 'otlp-json' && b.spans === 2,
    },
  ];
}

/** Paths whose answer is not /api/v1 JSON: OTLP files (export) and Server-Sent Events (live). */
const NOT_JSON = ['/api/v1/traces/{traceId}/export', '/api/v1/export', '/api/v1/live'];

describe('/api/v1 answers match @tracelab/api-contract (in process)', () => {
  it('every route of the OpenAPI document with a JSON answer has a case here', () => {
    const covered = new Set(cases().map((c) => c.path));
    const documented = Object.keys(openApiDocument.paths).filter((p) => !NOT_JSON.includes(p));
    expect(documented.filter((p) => !covered.has(p))).toEqual([]);
  });

  it('each answer (200, 400, 404) is valid against its schema and has the expected content', async () => {
    const failures: string[] = [];
    for (const c of cases()) {
      const res = await hub.api.inject({ method: c.method ?? 'GET', url: c.url, payload: c.payload, headers: c.payload ? { 'content-type': 'application/json' } : {} });
      const label = `${c.method ?? 'GET'} ${c.url.slice(0, 120)}`;
      if (res.statusCode !== (c.status ?? 200)) {
        failures.push(`${label}: status ${res.statusCode}, expected ${c.status ?? 200}: ${res.body.slice(0, 300)}`);
        continue;
      }
      const body = res.json();
      for (const p of contractErrors(c.schema, body)) failures.push(`${label} (${c.schema}) ${p}`);
      if (c.has && !c.has(body)) failures.push(`${label}: unexpected content ${res.body.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('the contract refuses a wrong answer, naming the field', () => {
  const real = async (url: string) => (await hub.api.inject({ method: 'GET', url })).json();

  it('spanCount as a string, a missing rootName, an extra field, a bad enum, a ms number where ns text belongs', async () => {
    const list = await real('/api/v1/traces');
    expect(contractErrors('TraceList', list)).toEqual([]);

    const asString = structuredClone(list);
    asString.traces[1].spanCount = String(asString.traces[1].spanCount);
    expect(contractErrors('TraceList', asString).join('\n')).toMatch(/^\/traces\/1\/spanCount: Expected integer/m);

    const missing = structuredClone(list);
    delete missing.traces[0].rootName;
    expect(contractErrors('TraceList', missing).join('\n')).toMatch(/\/traces\/0\/rootName: Expected required property/);

    const extra = structuredClone(list);
    extra.traces[0].spanCnt = 5;
    expect(contractErrors('TraceList', extra).join('\n')).toMatch(/\/traces\/0\/spanCnt: Unexpected property/);

    const detail = await real(`/api/v1/traces/${ids.slow}`);
    expect(contractErrors('TraceDetail', detail)).toEqual([]);
    const kind = structuredClone(detail);
    kind.spans[2].kind = 'SPAN_KIND_SERVER';
    expect(contractErrors('TraceDetail', kind).join('\n')).toMatch(/^\/spans\/2\/kind: /m);
    const ns = structuredClone(detail);
    ns.spans[0].startTimeUnixNano = Number(ns.spans[0].startTimeUnixNano);
    expect(contractErrors('TraceDetail', ns).join('\n')).toMatch(/^\/spans\/0\/startTimeUnixNano: Expected string/m);
  });

  it('an error answer without its message', () => {
    expect(contractErrors('Error', { error: 'TRACE_NOT_FOUND', message: 'trace x not found' })).toEqual([]);
    expect(contractErrors('Error', { error: 'TRACE_NOT_FOUND' })).toContain('/message: Expected required property');
  });
});

describe('/api/v1/openapi.json', () => {
  it('is OpenAPI 3.1 with every path and JSON Schema components that another validator (ajv, draft 2020-12) reads the same way', async () => {
    const res = await hub.api.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/analyze/attributes', '/api/v1/attributes', '/api/v1/attributes/{key}/values', '/api/v1/compare', '/api/v1/dependencies',
        '/api/v1/dependencies/traces', '/api/v1/export', '/api/v1/import', '/api/v1/live', '/api/v1/logs', '/api/v1/metrics', '/api/v1/metrics/traceql',
        '/api/v1/services', '/api/v1/services/{service}/operations', '/api/v1/traces', '/api/v1/traces/{traceId}', '/api/v1/traces/{traceId}/doctor',
        '/api/v1/traces/{traceId}/explain', '/api/v1/traces/{traceId}/export', '/api/v1/traces/{traceId}/links', '/api/v1/traces/{traceId}/search',
      ].sort(),
    );
    expect(Object.keys(doc.components.schemas).sort()).toEqual(Object.keys(schemas).sort());
    const refs = [...JSON.stringify(doc.paths).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.filter((r) => !(r! in doc.components.schemas))).toEqual([]);

    const ajv = new Ajv2020({ strict: false });
    const traceList = ajv.compile(doc.components.schemas.TraceList);
    const list = (await hub.api.inject({ method: 'GET', url: '/api/v1/traces' })).json();
    expect(traceList(list)).toBe(true);
    list.traces[0].errorCount = 'none';
    expect(traceList(list)).toBe(false);
    expect(traceList.errors?.[0]?.instancePath).toBe('/traces/0/errorCount');
  });
});
