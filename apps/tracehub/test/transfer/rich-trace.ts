/** A small trace whose spans use every OTLP field, timed around now (so searches and retention keep it). */
import { randomBytes } from 'node:crypto';
import type { Resource, Scope, SpanRecord } from '../../src/model.js';
import { fullSpan, RESOURCE, SCOPE } from '../otlp/value-fixtures.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function richTrace(service = 'value-svc', t0 = BigInt(Date.now() - 60_000) * 1_000_000n): SpanRecord[] {
  const traceId = hex(16);
  const rootId = hex(8);
  const resource: Resource = {
    ...RESOURCE,
    attributes: [{ key: 'service.name', value: { type: 'string', value: service } }, ...RESOURCE.attributes.slice(1)],
    serviceName: service,
  };
  const other: Resource = { attributes: [{ key: 'service.name', value: { type: 'string', value: `${service}-db` } }], droppedAttributesCount: 0, schemaUrl: '', serviceName: `${service}-db` };
  const plainScope: Scope = { name: 'plain', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
  const root = fullSpan({
    traceId, spanId: rootId, parentSpanId: '', name: 'GET /rich', kind: 2, statusCode: 1, statusMessage: '',
    startTimeUnixNano: t0, endTimeUnixNano: t0 + 90_000_123n, resource, scope: SCOPE,
    events: [], links: [], droppedEventsCount: 0, droppedLinksCount: 0,
  });
  const child = fullSpan({
    traceId, spanId: hex(8), parentSpanId: rootId, startTimeUnixNano: t0 + 1_000_001n, endTimeUnixNano: t0 + 80_000_002n, resource,
    events: fullSpan().events.map((e, i) => ({ ...e, timeUnixNano: t0 + 2_000_000n + BigInt(i) })),
  });
  const db = fullSpan({
    traceId, spanId: hex(8), parentSpanId: child.spanId, name: 'SELECT', kind: 3, traceState: '', flags: 1, statusCode: 0, statusMessage: '',
    startTimeUnixNano: t0 + 3_000_000n, endTimeUnixNano: t0 + 4_000_000n, attributes: [{ key: 'db.system.name', value: { type: 'string', value: 'postgresql' } }],
    droppedAttributesCount: 0, events: [], links: [], droppedEventsCount: 0, droppedLinksCount: 0, resource: other, scope: plainScope,
  });
  return [root, child, db];
}
