/** Hand-built SpanRecords for the pure translator tests. */
import type { Resource, Scope, SpanRecord } from '../../src/model.js';

export function resource(service: string, extra: Record<string, string> = {}): Resource {
  return {
    attributes: [
      { key: 'service.name', value: { type: 'string', value: service } },
      ...Object.entries(extra).map(([key, value]) => ({ key, value: { type: 'string' as const, value } })),
    ],
    droppedAttributesCount: 0,
    schemaUrl: '',
    serviceName: service,
  };
}

export const scope: Scope = { name: 'tracelab', version: '1.0.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };

export function span(p: Partial<SpanRecord> & { spanId: string }): SpanRecord {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    parentSpanId: '',
    traceState: '',
    flags: 1,
    name: 'op',
    kind: 2,
    startTimeUnixNano: 1_732_560_000_123_456_789n,
    endTimeUnixNano: 1_732_560_000_223_456_789n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: 0,
    statusMessage: '',
    resource: resource('order-service'),
    scope,
    ...p,
  };
}
