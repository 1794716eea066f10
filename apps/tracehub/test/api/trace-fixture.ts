// Spans that use every field of the model, for the trace-by-id format tests.
import type { Resource, Scope, SpanRecord } from '../../src/model.js';
import { span as baseSpan } from '../compat/span-fixtures.js';

const T0 = 1_764_000_000_123_456_789n;
export const TRACE_ID = 'aa'.repeat(16);

const shop: Resource = {
  serviceName: 'shop',
  attributes: [
    { key: 'service.name', value: { type: 'string', value: 'shop' } },
    { key: 'host.cores', value: { type: 'int', value: '8' } },
  ],
  droppedAttributesCount: 1,
  schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
};
const db: Resource = { serviceName: 'postgres', attributes: [{ key: 'service.name', value: { type: 'string', value: 'postgres' } }], droppedAttributesCount: 0, schemaUrl: '' };
const http: Scope = { name: '@opentelemetry/instrumentation-http', version: '0.57.0', attributes: [{ key: 'lib', value: { type: 'bool', value: true } }], droppedAttributesCount: 2, schemaUrl: 's' };
const pg: Scope = { name: 'pg', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };

function span(id: string, parent: string, startOffNs: bigint, durNs: bigint, o: Partial<SpanRecord> = {}): SpanRecord {
  return baseSpan({
    traceId: TRACE_ID,
    spanId: id.padStart(16, '0'),
    parentSpanId: parent === '' ? '' : parent.padStart(16, '0'),
    name: 'work',
    kind: 1,
    startTimeUnixNano: T0 + startOffNs,
    endTimeUnixNano: T0 + startOffNs + durNs,
    resource: shop,
    scope: http,
    ...o,
  });
}

/** A root, children with every value type, events (one before the trace start), links, drops, an orphan. */
export function fixtureSpans(): SpanRecord[] {
  return [
    span('1', '', 0n, 900_000_001n, {
      name: 'GET /checkout',
      kind: 2,
      traceState: 'vendor=x',
      flags: 769,
      attributes: [
        { key: 'http.method', value: { type: 'string', value: 'GET' } },
        { key: 'http.status_code', value: { type: 'int', value: '500' } },
        { key: 'ratio', value: { type: 'double', value: 0.25 } },
        { key: 'inf', value: { type: 'double', value: 'Infinity' } },
        { key: 'ok', value: { type: 'bool', value: false } },
        { key: 'blob', value: { type: 'bytes', value: 'AAEC' } },
        { key: 'list', value: { type: 'array', value: [{ type: 'string', value: 'a' }, { type: 'int', value: '2' }] } },
        { key: 'map', value: { type: 'kvlist', value: [{ key: 'k', value: { type: 'string', value: 'v' } }] } },
        { key: 'nothing', value: { type: 'empty' } },
      ],
      statusCode: 2,
      statusMessage: 'payment failed',
      droppedAttributesCount: 3,
      droppedEventsCount: 4,
      droppedLinksCount: 5,
      events: [
        { timeUnixNano: T0 - 5n, name: 'before start', attributes: [], droppedAttributesCount: 0 },
        { timeUnixNano: T0 + 7n, name: 'exception', attributes: [{ key: 'exception.type', value: { type: 'string', value: 'PaymentError' } }], droppedAttributesCount: 1 },
      ],
      links: [{ traceId: 'bb'.repeat(16), spanId: 'cc'.repeat(8), traceState: 'a=b', flags: 1, attributes: [{ key: 'link.kind', value: { type: 'string', value: 'follows' } }], droppedAttributesCount: 2 }],
    }),
    span('2', '1', 1_000n, 5_000_000n, { name: 'SELECT orders', kind: 3, resource: db, scope: pg, attributes: [{ key: 'http.method', value: { type: 'string', value: 'GET' } }] }),
    span('3', '1', 2_000n, 6_000_000n, { name: 'SELECT orders', kind: 3, resource: db, scope: pg, statusCode: 1 }),
    span('4', '3', 3_000n, 1_000n, { name: 'parse', attributes: [{ key: 'rows', value: { type: 'int', value: '12' } }] }),
    span('5', 'dead', 4_000n, 10n, { name: 'orphan', kind: 5 }),
  ];
}
