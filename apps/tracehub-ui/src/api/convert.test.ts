import { describe, expect, it } from 'vitest';
import { toTraceDetail, toTraceList, WireFormatError } from './convert';
import { toServiceMap } from './convert';

const wireSpan = (spanId: string, parentSpanId: string | null, start: string, durationNs: string) => ({
  traceId: 'a'.repeat(32),
  spanId,
  parentSpanId,
  name: `op-${spanId}`,
  kind: 'server',
  service: 'svc',
  startTimeUnixNano: start,
  endTimeUnixNano: String(BigInt(start) + BigInt(durationNs)),
  durationNs,
  durationMs: Number(durationNs) / 1e6,
  status: { code: 'error', message: 'boom' },
  traceState: '',
  flags: 1,
  attributes: [
    { key: 'big', value: { type: 'int', value: '9223372036854775807' } },
    { key: 'list', value: { type: 'array', value: [{ type: 'double', value: 'NaN' }] } },
  ],
  droppedAttributesCount: 0,
  events: [{ timeUnixNano: String(BigInt(start) + 500n), name: 'exception', attributes: [], droppedAttributesCount: 0 }],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  resource: { attributes: [{ key: 'service.name', value: { type: 'string', value: 'svc' } }], droppedAttributesCount: 0, schemaUrl: '' },
  scope: { name: 'lib', version: '1', attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
});

const summary = {
  traceId: 'a'.repeat(32),
  rootService: 'svc',
  rootName: 'op-1',
  startTimeUnixNano: '1732560000123456789',
  start: '2024-11-25T18:40:00.123Z',
  durationMs: 2,
  spanCount: 2,
  errorCount: 2,
  services: [{ name: 'svc', spanCount: 2, errorCount: 2 }],
};

describe('wire conversion', () => {
  it('makes span times relative to the earliest start, in microseconds, without losing nanoseconds', () => {
    const t = toTraceDetail({
      ...summary,
      spans: [wireSpan('2', '1', '1732560000123457789', '1500'), wireSpan('1', null, '1732560000123456789', '2000000')],
    });
    expect(t.startNs).toBe(1732560000123456789n);
    expect(t.spans[0]!.startUs).toBe(1);
    expect(t.spans[0]!.durationUs).toBe(1.5);
    expect(t.spans[1]!.startUs).toBe(0);
    expect(t.spans[1]!.events[0]!.timeUs).toBe(0.5);
    expect(t.spans[1]!.attributes[0]!.value).toEqual({ type: 'int', value: '9223372036854775807' });
    expect(t.summary.startMs).toBe(1732560000123);
  });

  it('rejects malformed responses with the path of the bad field', () => {
    const bad = { ...summary, spans: [{ ...wireSpan('1', null, '1', '1'), startTimeUnixNano: 12 }] };
    expect(() => toTraceDetail(bad)).toThrow(WireFormatError);
    expect(() => toTraceDetail(bad)).toThrow('trace.spans[0].startTimeUnixNano');
    expect(() => toTraceList({ traces: [{ ...summary, services: 'x' }] })).toThrow('traces[0].services');
    expect(() => toTraceList({})).toThrow('response.traces');
  });
});

describe('toServiceMap', () => {
  const wire = {
    dependencies: [],
    nodes: [
      { id: 'db:postgresql', name: 'postgresql', kind: 'database', calls: 2, errors: 0, system: 'postgresql' },
      { id: 'order-service', name: 'order-service', kind: 'service', calls: 1, errors: 0, spans: 5 },
    ],
    edges: [
      { source: 'order-service', target: 'db:postgresql', kind: 'database', calls: 2, errors: 0, callsPerSec: 0.5, errorRate: 0, p50Ms: 1, p95Ms: 2, exemplar: { traceId: 'ab' } },
    ],
  };
  it('keeps nodes and edges, with the exemplar trace id flattened', () => {
    const map = toServiceMap(wire);
    expect(map.nodes[0]).toEqual({ id: 'db:postgresql', name: 'postgresql', kind: 'database', calls: 2, errors: 0, system: 'postgresql' });
    expect(map.nodes[1]!.spans).toBe(5);
    expect(map.edges[0]).toMatchObject({ kind: 'database', callsPerSec: 0.5, p50Ms: 1, p95Ms: 2, exemplarTraceId: 'ab' });
  });
  it('refuses unknown kinds and missing numbers', () => {
    expect(() => toServiceMap({ ...wire, nodes: [{ ...wire.nodes[0], kind: 'cloud' }] })).toThrow(/nodes\[0\]\.kind should be one of/);
    expect(() => toServiceMap({ ...wire, edges: [{ ...wire.edges[0], p95Ms: '2' }] })).toThrow(/edges\[0\]\.p95Ms/);
  });
});
