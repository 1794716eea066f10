/**
 * Export and import between real tracehub processes: a rich trace in through
 * the OTLP/HTTP receiver, out as OTLP/JSON, into a fresh hub, compared field by
 * field; a search as JSON lines; Jaeger JSON from the hub's own Jaeger API;
 * bad input → 400/413 naming what is wrong.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanJson } from '../../src/api/present.js';
import type { SpanRecord } from '../../src/model.js';
import { encodeTracesProtobuf } from '../../src/otlp/index.js';
import { type HubHandle, startHub } from '@tracelab/test-support/hub';
import { richTrace } from './rich-trace.js';

let source: HubHandle;
let fresh: HubHandle;
let jaegerTarget: HubHandle;
const traces: SpanRecord[][] = [];

async function postOtlp(hub: HubHandle, spans: SpanRecord[]) {
  const res = await fetch(`${hub.otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: encodeTracesProtobuf(spans),
  });
  expect(res.status).toBe(200);
}

async function importBody(hub: HubHandle, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(`${hub.apiUrl}/api/v1/import`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

async function detail(hub: HubHandle, traceId: string) {
  const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as any;
}

const bySpanId = (a: { spanId: string }, b: { spanId: string }) => a.spanId.localeCompare(b.spanId);
/** What /api/v1/traces/{id} must answer for these spans, as parsed JSON. */
const expectedSpans = (spans: SpanRecord[]) => JSON.parse(JSON.stringify(spans.map(spanJson))).sort(bySpanId);

async function waitForSpans(hub: HubHandle, traceId: string, count: number) {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`);
    if (res.ok && ((await res.json()) as any).spans.length === count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trace ${traceId} did not reach ${count} spans`);
}

beforeAll(async () => {
  [source, fresh, jaegerTarget] = await Promise.all([startHub(), startHub({ args: ['--max-body', '256KiB'] }), startHub()]);
  for (const svc of ['rich-a', 'rich-b', 'rich-c']) traces.push(richTrace(svc));
  for (const t of traces) await postOtlp(source, t);
  for (const t of traces) await waitForSpans(source, t[0]!.traceId, t.length);
}, 60_000);

afterAll(async () => {
  await Promise.all([source?.stop({ removeData: true }), fresh?.stop({ removeData: true }), jaegerTarget?.stop({ removeData: true })]);
});

describe('GET /api/v1/traces/{id}/export', () => {
  it('answers the trace as an OTLP/JSON ExportTraceServiceRequest attachment in the spec encoding', async () => {
    const t = traces[0]!;
    const res = await fetch(`${source.apiUrl}/api/v1/traces/${t[0]!.traceId}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="trace-${t[0]!.traceId}.json"`);
    const text = await res.text();
    const doc = JSON.parse(text);
    const spans = doc.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    expect(spans.map((s: any) => s.spanId).sort()).toEqual(t.map((s) => s.spanId).sort());
    const child = spans.find((s: any) => s.spanId === t[1]!.spanId);
    // Hex ids, int64 as decimal strings (also beyond 2^53), enums as integers.
    expect(child.traceId).toBe(t[0]!.traceId);
    expect(child.startTimeUnixNano).toBe(t[1]!.startTimeUnixNano.toString());
    expect(child.kind).toBe(4);
    expect(child.status).toEqual({ code: 2, message: 'it broke: ✗' });
    expect(child.attributes.find((a: any) => a.key === 'int.max').value).toEqual({ intValue: '9223372036854775807' });
    expect(text).toContain('"intValue":"9007199254740993"');
    expect(child.links[0]).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', traceState: 'k=v', flags: 0x101, droppedAttributesCount: 6 });
    const group = doc.resourceSpans.find((r: any) => r.resource.attributes[0].value.stringValue === 'rich-a');
    expect(group.schemaUrl).toBe('https://opentelemetry.io/schemas/1.30.0');
    expect(group.scopeSpans[0].scope).toMatchObject({ name: 'value-lib', version: '3.1.4' });
  });

  it('round-trips losslessly into a fresh hub: every field of every span', async () => {
    const t = traces[0]!;
    const exported = await (await fetch(`${source.apiUrl}/api/v1/traces/${t[0]!.traceId}/export`)).text();
    const answer = await importBody(fresh, exported);
    expect(answer).toEqual({ status: 200, body: { format: 'otlp-json', traces: [t[0]!.traceId], spans: 3, rejected: 0 } });
    const got = await detail(fresh, t[0]!.traceId);
    expect([...got.spans].sort(bySpanId)).toEqual(expectedSpans(t));
    const before = await detail(source, t[0]!.traceId);
    expect({ ...got, spans: [...got.spans].sort(bySpanId) }).toEqual({ ...before, spans: [...before.spans].sort(bySpanId) });
    // And the fresh hub exports the same file.
    const again = await (await fetch(`${fresh.apiUrl}/api/v1/traces/${t[0]!.traceId}/export`)).text();
    expect(JSON.parse(again)).toEqual(JSON.parse(exported));
  });

  it('404 for an unknown trace, 400 for a malformed id or format', async () => {
    const unknown = await fetch(`${source.apiUrl}/api/v1/traces/${'ab'.repeat(16)}/export`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error).toBe('TRACE_NOT_FOUND');
    const bad = await fetch(`${source.apiUrl}/api/v1/traces/xyz/export`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error).toBe('INVALID_TRACE_ID');
    const fmt = await fetch(`${source.apiUrl}/api/v1/traces/${traces[0]![0]!.traceId}/export?format=pdf`);
    expect(fmt.status).toBe(400);
    expect(((await fmt.json()) as any).message).toBe('format: must be one of json, html');
  });
});

describe('GET /api/v1/export (a search as JSON lines)', () => {
  it('one ExportTraceServiceRequest per line per matching trace, bounded by limit; imported back in full', async () => {
    const all = await fetch(`${source.apiUrl}/api/v1/export?limit=10`);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await all.text()).split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    const idsOf = (line: string) => [...new Set(JSON.parse(line).resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans.map((x: any) => x.traceId))))];
    expect(lines.map(idsOf).map((ids) => ids.length)).toEqual([1, 1, 1]);
    expect(lines.map((l) => idsOf(l)[0]).sort()).toEqual(traces.map((t) => t[0]!.traceId).sort());

    const one = (await (await fetch(`${source.apiUrl}/api/v1/export?service=rich-b`)).text()).split('\n').filter(Boolean);
    expect(one.map((l) => idsOf(l)[0])).toEqual([traces[1]![0]!.traceId]);
    const limited = (await (await fetch(`${source.apiUrl}/api/v1/export?limit=2`)).text()).split('\n').filter(Boolean);
    expect(limited).toHaveLength(2);

    // b and c into the fresh hub (a is there already from the other test or not: import only these two).
    const two = lines.filter((l) => idsOf(l)[0] !== traces[0]![0]!.traceId).join('\n') + '\n';
    const answer = await importBody(fresh, two, { 'content-type': 'application/x-ndjson' });
    expect(answer.status).toBe(200);
    expect(answer.body.format).toBe('otlp-jsonl');
    expect(answer.body.spans).toBe(6);
    expect([...answer.body.traces].sort()).toEqual([traces[1]![0]!.traceId, traces[2]![0]!.traceId].sort());
    for (const t of traces.slice(1)) expect([...(await detail(fresh, t[0]!.traceId)).spans].sort(bySpanId)).toEqual(expectedSpans(t));
  });

  it('400 for a bad search parameter', async () => {
    const res = await fetch(`${source.apiUrl}/api/v1/export?limit=0`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).message).toBe('limit: must be an integer from 1 to 1000');
  });
});

describe('POST /api/v1/import of Jaeger JSON', () => {
  it("imports the hub's own Jaeger API answer: names, ids, parents, times, kinds, status and tags kept", async () => {
    const t = traces[0]!;
    const jaeger = await (await fetch(`${source.jaegerUrl}/api/traces/${t[0]!.traceId}`)).text();
    const answer = await importBody(jaegerTarget, jaeger);
    expect(answer).toEqual({ status: 200, body: { format: 'jaeger-json', traces: [t[0]!.traceId], spans: 3, rejected: 0 } });
    const got = [...(await detail(jaegerTarget, t[0]!.traceId)).spans].sort(bySpanId);
    const want = expectedSpans(t);
    for (let i = 0; i < want.length; i++) {
      const [g, w] = [got[i], want[i]];
      expect({ spanId: g.spanId, parentSpanId: g.parentSpanId, name: g.name, kind: g.kind, service: g.service, status: g.status }).toEqual({
        spanId: w.spanId, parentSpanId: w.parentSpanId, name: w.name, kind: w.kind, service: w.service, status: w.status,
      });
      // Jaeger keeps microseconds.
      expect(BigInt(g.startTimeUnixNano)).toBe((BigInt(w.startTimeUnixNano) / 1000n) * 1000n);
      expect(g.scope.name).toBe(w.scope.name);
      expect(g.links.map((l: any) => l.spanId)).toEqual(w.links.map((l: any) => l.spanId));
      expect(g.events.map((e: any) => e.name)).toEqual(w.events.map((e: any) => e.name));
    }
    const child = got.find((s: any) => s.spanId === t[1]!.spanId);
    const attr = (k: string) => child.attributes.find((a: any) => a.key === k)?.value;
    expect(attr('str.unicode')).toEqual({ type: 'string', value: 'héllo wörld ✓ 日本 🚀' });
    expect(attr('int.small')).toEqual({ type: 'int', value: '42' });
    expect(attr('bool.false')).toEqual({ type: 'bool', value: false });
    expect(attr('double')).toEqual({ type: 'double', value: 1.5 });
    expect(attr('bytes')).toEqual({ type: 'bytes', value: Buffer.from([0, 1, 2, 0xfe, 0xff]).toString('base64') });
    // Beyond 2^53 Jaeger carries the exact digits as a string tag.
    expect(attr('int.max')).toEqual({ type: 'string', value: '9223372036854775807' });
    expect(child.traceState).toBe(t[1]!.traceState);
    const root = got.find((s: any) => s.spanId === t[0]!.spanId);
    expect(root.resource.attributes.find((a: any) => a.key === 'str').value).toEqual({ type: 'string', value: 'hello' });
  });
});

it('the OpenAPI document describes the routes', async () => {
  const doc = (await (await fetch(`${source.apiUrl}/api/v1/openapi.json`)).json()) as any;
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/traces/{traceId}/export', '/api/v1/export', '/api/v1/import']));
  expect(doc.paths['/api/v1/import'].post.responses[200].content['application/json'].schema.$ref).toBe('#/components/schemas/ImportResult');
});

describe('POST /api/v1/import: bad input', () => {
  const traceId = 'ab'.repeat(16);
  const otlp = (span: Record<string, unknown>) =>
    JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: 'cd'.repeat(8), name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2', ...span }] }] }] });

  it('not JSON → 400 naming the position', async () => {
    const r = await importBody(fresh, '{"resourceSpans": [');
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('INVALID_BODY');
    expect(r.body.message).toMatch(/^invalid JSON: .*position/);
  });

  it('JSON of the wrong shape → 400 saying what is expected', async () => {
    const r = await importBody(fresh, '{"spans": 3}');
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^not a trace file: expected an OTLP\/JSON ExportTraceServiceRequest/);
    const field = await importBody(fresh, otlp({ startTimeUnixNano: 'soon' }));
    expect(field.status).toBe(400);
    expect(field.body.message).toBe('resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: not an integer');
    const jaeger = await importBody(fresh, JSON.stringify({ data: [{ traceID: traceId, spans: [{ spanID: 'x1', processID: 'p1' }], processes: { p1: { serviceName: 's' } } }] }));
    expect(jaeger.status).toBe(400);
    expect(jaeger.body.message).toBe('data[0].spans[0].spanID: not a hex id of up to 16 digits');
    const line = await importBody(fresh, `${otlp({})}\n{"nope": 1}\n`);
    expect(line.status).toBe(400);
    expect(line.body.message).toBe('line 2: not an OTLP/JSON ExportTraceServiceRequest ({"resourceSpans": [...]})');
    const empty = await importBody(fresh, '');
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/^the body is empty/);
  });

  it('bad ids: a non-hex id → 400; a wrong-length id is rejected and counted, and when nothing is left → 400', async () => {
    const nonHex = await importBody(fresh, otlp({ spanId: 'zz'.repeat(8) }));
    expect(nonHex.status).toBe(400);
    expect(nonHex.body.message).toBe('resourceSpans[0].scopeSpans[0].spans[0].spanId: not a hex-encoded id');
    const short = await importBody(fresh, otlp({ spanId: 'cdcd' }));
    expect(short.status).toBe(400);
    expect(short.body.message).toBe('every span was rejected (1): resourceSpans[0].scopeSpans[0].spans[0]: span id must be 8 bytes, got 2');
    const doc = JSON.parse(otlp({}));
    doc.resourceSpans[0].scopeSpans[0].spans.push({ ...doc.resourceSpans[0].scopeSpans[0].spans[0], spanId: '00'.repeat(8) });
    const partial = await importBody(fresh, JSON.stringify(doc));
    expect(partial).toEqual({
      status: 200,
      body: { format: 'otlp-json', traces: [traceId], spans: 1, rejected: 1, message: 'resourceSpans[0].scopeSpans[0].spans[1]: span id is all zeros' },
    });
  });

  it('too big → 413 naming the limit', async () => {
    const big = JSON.stringify({ resourceSpans: [], pad: 'x'.repeat(300 * 1024) });
    const r = await importBody(fresh, big);
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ error: 'BODY_TOO_LARGE', message: 'the file is larger than the import limit of 262144 bytes (--max-body)' });
  });

  it('gzip as the OTLP receiver takes it; another encoding → 415, corrupt gzip → 400, too big once inflated → 413', async () => {
    const gz = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const ok = await importBody(fresh, gzipSync(otlp({ spanId: 'ef'.repeat(8) })), gz);
    expect(ok).toEqual({ status: 200, body: { format: 'otlp-json', traces: [traceId], spans: 1, rejected: 0 } });
    const br = await importBody(fresh, otlp({}), { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(br).toEqual({ status: 415, body: { error: 'UNSUPPORTED_ENCODING', message: 'unsupported Content-Encoding "br": send gzip or none' } });
    const corrupt = await importBody(fresh, Buffer.from('not gzip at all'), gz);
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error).toBe('INVALID_BODY');
    expect(corrupt.body.message).toMatch(/^body is not valid gzip: /);
    const bomb = await importBody(fresh, gzipSync(' '.repeat(300 * 1024)), gz);
    expect(bomb).toEqual({ status: 413, body: { error: 'BODY_TOO_LARGE', message: 'request body exceeds 262144 bytes after decompression' } });
  });
});
