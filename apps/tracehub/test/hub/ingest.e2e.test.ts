/**
 * tracehub as a real process: the real OTel JS exporters in, /api/v1 out.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubHandle, startHub } from '@tracelab/test-support/hub';
import { makeSdkSpans } from '../otlp/sdk-fixtures.js';
import { type Protocol, expectedSpan, exportSpans } from './exporters.js';

let hub: HubHandle;

beforeAll(async () => {
  hub = await startHub({ args: ['--max-body', '1MiB'] });
});
afterAll(async () => {
  await hub?.stop({ removeData: true });
});

async function getJson(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${hub.apiUrl}${path}`);
  return { status: res.status, body: await res.json() };
}

async function postOtlp(body: string | Uint8Array, headers: Record<string, string>, path = '/v1/traces') {
  const res = await fetch(`${hub.otlpHttpUrl}${path}`, { method: 'POST', body, headers });
  const text = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: text.toString('utf8'), raw: text };
}

/** The spec's examples/trace.json: upper-case hex ids, int64 as JSON numbers. */
const SPEC_EXAMPLE = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},
 "scopeSpans":[{"scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute","value":{"stringValue":"some scope attribute"}}]},
 "spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"EEE19B7EC3C1B173",
 "name":"I'm a server span","startTimeUnixNano":1544712660000000000,"endTimeUnixNano":1544712661000000001,"kind":2,
 "attributes":[{"key":"my.span.attr","value":{"stringValue":"some value"}}]}]}]}]}`;

describe.each<Protocol>(['http/protobuf', 'http/json', 'grpc'])('spans sent with the %s exporter', (protocol) => {
  it('come back field by field', async () => {
    const spans = await makeSdkSpans();
    await exportSpans(hub, protocol, spans);
    const traceId = spans[0]!.spanContext().traceId;
    const { status, body } = await getJson(`/api/v1/traces/${traceId}`);
    expect(status).toBe(200);
    expect(body.spanCount).toBe(spans.length);
    expect(body.errorCount).toBe(spans.filter((s) => s.status.code === 2).length);
    expect(body.rootName).toBe('GET /checkout');
    expect(body.rootService).toBe('checkout');
    for (const sdk of spans) {
      const want = expectedSpan(sdk);
      const got = body.spans.find((s: { spanId: string }) => s.spanId === want.spanId);
      expect(got, `span ${want.name}`).toBeDefined();
      expect(got).toMatchObject({
        traceId: want.traceId,
        parentSpanId: want.parentSpanId,
        name: want.name,
        kind: want.kind,
        service: want.service,
        startTimeUnixNano: want.startTimeUnixNano,
        endTimeUnixNano: want.endTimeUnixNano,
        status: want.status,
        scope: want.scope,
      });
      expect(got.attributes).toEqual(want.attributes);
      expect(got.events).toEqual(want.events);
      expect(got.links).toMatchObject(want.links);
      expect(got.resource.attributes).toEqual(want.resourceAttributes);
    }
  });
});

describe('OTLP/HTTP JSON', () => {
  it("stores the spec's example exactly, keeping the 19th digit", async () => {
    const r = await postOtlp(SPEC_EXAMPLE, { 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({});
    const { body } = await getJson('/api/v1/traces/5B8EFFF798038103D269B633813FC60C');
    expect(body.spans).toHaveLength(1);
    expect(body.spans[0]).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: "I'm a server span",
      kind: 'server',
      service: 'my.service',
      startTimeUnixNano: '1544712660000000000',
      endTimeUnixNano: '1544712661000000001',
      durationNs: '1000000001',
      attributes: [{ key: 'my.span.attr', value: { type: 'string', value: 'some value' } }],
      scope: {
        name: 'my.library',
        version: '1.0.0',
        attributes: [{ key: 'my.scope.attribute', value: { type: 'string', value: 'some scope attribute' } }],
      },
    });
    // The parent is not in the trace: the summary says the root has not arrived.
    expect(body.rootName).toBe('<root span not yet received>');
  });

  it('round-trips every value type, kept gzip-compressed on the wire', async () => {
    const traceId = 'aa'.repeat(16);
    const attributes = [
      { key: 's', value: { stringValue: 'text <b>' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'i', value: { intValue: '-9223372036854775808' } },
      { key: 'd', value: { doubleValue: 3.5 } },
      { key: 'y', value: { bytesValue: 'AAEC/w==' } },
      { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: 7 }] } } },
      { key: 'k', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: false } }] } } },
      { key: 'e', value: {} },
    ];
    const req = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'types' } }], droppedAttributesCount: 2 },
          schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
          scopeSpans: [
            {
              scope: { name: 'lib', version: '2' },
              spans: [
                {
                  traceId,
                  spanId: '0102030405060708',
                  traceState: 'k=v',
                  flags: 257,
                  name: 'all types',
                  kind: 5,
                  startTimeUnixNano: '1700000000000000001',
                  endTimeUnixNano: '1700000000000000999',
                  attributes,
                  droppedAttributesCount: 1,
                  events: [{ timeUnixNano: '1700000000000000500', name: 'ev', attributes: [attributes[2]], droppedAttributesCount: 3 }],
                  droppedEventsCount: 4,
                  links: [{ traceId: 'bb'.repeat(16), spanId: '1111111111111111', traceState: 'x=y', attributes: [attributes[0]], droppedAttributesCount: 5, flags: 1 }],
                  droppedLinksCount: 6,
                  status: { code: 2, message: 'it broke' },
                },
              ],
            },
          ],
        },
      ],
    };
    const r = await postOtlp(gzipSync(JSON.stringify(req)), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(r.status).toBe(200);
    const { body } = await getJson(`/api/v1/traces/${traceId}`);
    const span = body.spans[0];
    expect(span.attributes).toEqual([
      { key: 's', value: { type: 'string', value: 'text <b>' } },
      { key: 'b', value: { type: 'bool', value: true } },
      { key: 'i', value: { type: 'int', value: '-9223372036854775808' } },
      { key: 'd', value: { type: 'double', value: 3.5 } },
      { key: 'y', value: { type: 'bytes', value: 'AAEC/w==' } },
      { key: 'a', value: { type: 'array', value: [{ type: 'string', value: 'x' }, { type: 'int', value: '7' }] } },
      { key: 'k', value: { type: 'kvlist', value: [{ key: 'inner', value: { type: 'bool', value: false } }] } },
      { key: 'e', value: { type: 'empty' } },
    ]);
    expect(span).toMatchObject({
      kind: 'consumer',
      traceState: 'k=v',
      flags: 257,
      droppedAttributesCount: 1,
      droppedEventsCount: 4,
      droppedLinksCount: 6,
      status: { code: 'error', message: 'it broke' },
      events: [{ name: 'ev', timeUnixNano: '1700000000000000500', droppedAttributesCount: 3 }],
      links: [{ traceId: 'bb'.repeat(16), spanId: '1111111111111111', traceState: 'x=y', flags: 1, droppedAttributesCount: 5 }],
      resource: { droppedAttributesCount: 2 },
    });
    expect(body.errorCount).toBe(1);
  });
});

describe('bad input', () => {
  it('answers each with the right status and a google.rpc.Status, and stays up with earlier data intact', async () => {
    const before = await postOtlp(SPEC_EXAMPLE, { 'content-type': 'application/json' });
    expect(before.status).toBe(200);

    const invalidJson = await postOtlp('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(invalidJson.status).toBe(400);
    expect(JSON.parse(invalidJson.text)).toMatchObject({ code: 3, message: expect.stringMatching(/JSON/i) });

    // A truncated protobuf: a length prefix promising more bytes than follow.
    const truncated = await postOtlp(new Uint8Array([0x0a, 0x50, 0x0a, 0x10, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(truncated.status).toBe(400);
    expect(truncated.headers.get('content-type')).toMatch(/protobuf/);

    const wrongType = await postOtlp('hello', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(JSON.parse(wrongType.text).message).toMatch(/Content-Type/);

    const oversized = await postOtlp(Buffer.alloc(2 * 1024 * 1024, 0x20), { 'content-type': 'application/json' });
    expect(oversized.status).toBe(413);

    // 64 MiB of zeros gzip to about 64 KiB: limited after decompression.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const bombed = await postOtlp(bomb, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(bombed.status).toBe(413);

    const badGzip = await postOtlp('not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(badGzip.status).toBe(400);

    const badIds = await postOtlp(
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  { traceId: '00'.repeat(16), spanId: '0102030405060708', name: 'zero trace id', startTimeUnixNano: '1', endTimeUnixNano: '2' },
                  { traceId: 'ab'.repeat(8), spanId: '0102030405060708', name: 'short trace id', startTimeUnixNano: '1', endTimeUnixNano: '2' },
                  { traceId: 'cd'.repeat(16), spanId: '0102030405060708', name: 'ends first', startTimeUnixNano: '5', endTimeUnixNano: '2' },
                  { traceId: 'ef'.repeat(16), spanId: '0102030405060708', name: 'fine', startTimeUnixNano: '1', endTimeUnixNano: '2' },
                ],
              },
            ],
          },
        ],
      }),
      { 'content-type': 'application/json' },
    );
    expect(badIds.status).toBe(200);
    const partial = JSON.parse(badIds.text);
    expect(partial.partialSuccess.rejectedSpans).toBe('3');
    expect(partial.partialSuccess.errorMessage).toMatch(/trace/i);
    expect((await getJson(`/api/v1/traces/${'ef'.repeat(16)}`)).status).toBe(200);
    expect((await getJson(`/api/v1/traces/${'cd'.repeat(16)}`)).status).toBe(404);

    const invalid = await getJson(`/api/v1/traces?q=${encodeURIComponent('{ } | count() >')}`);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: 'INVALID_TRACEQL', message: expect.stringMatching(/^invalid TraceQL: .*at position 15/) });

    const malformedId = await getJson('/api/v1/traces/not-a-trace-id');
    expect(malformedId.status).toBe(400);
    expect(malformedId.body.error).toBe('INVALID_TRACE_ID');
    const unknown = await getJson(`/api/v1/traces/${'12'.repeat(16)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('TRACE_NOT_FOUND');
    const badParam = await getJson('/api/v1/traces?minDuration=fast');
    expect(badParam.status).toBe(400);
    expect(badParam.body.message).toMatch(/minDuration/);

    expect(hub.process.exitCode).toBeNull();
    expect((await fetch(`${hub.apiUrl}/health`)).status).toBe(200);
    const still = await getJson('/api/v1/traces/5B8EFFF798038103D269B633813FC60C');
    expect(still.status).toBe(200);
    expect(still.body.spans[0].endTimeUnixNano).toBe('1544712661000000001');
  });
});

describe('OTLP/gRPC errors', () => {
  it('answers INVALID_ARGUMENT for undecodable messages and RESOURCE_EXHAUSTED above the size limit', async () => {
    const grpc = await import('@grpc/grpc-js');
    const raw = (b: Buffer) => b;
    const Client = grpc.makeGenericClientConstructor(
      {
        Export: {
          path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          requestStream: false,
          responseStream: false,
          requestSerialize: raw,
          requestDeserialize: raw,
          responseSerialize: raw,
          responseDeserialize: raw,
        },
      },
      'TraceService',
    );
    const client = new Client(hub.otlpGrpcUrl, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
    const call = (body: Buffer) =>
      new Promise<{ code: number; details: string }>((resolve) =>
        (client as any).Export(body, (err: { code: number; details: string } | null) => resolve(err ?? { code: 0, details: '' })),
      );
    try {
      const garbage = await call(Buffer.from([0x0a, 0x50, 0x0a, 0x10, 0x01]));
      expect(garbage.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(garbage.details.length).toBeGreaterThan(0);
      const huge = await call(Buffer.alloc(2 * 1024 * 1024));
      expect(huge.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      const empty = await call(Buffer.alloc(0));
      expect(empty.code).toBe(0);
    } finally {
      client.close();
    }
    expect(hub.process.exitCode).toBeNull();
  });
});
