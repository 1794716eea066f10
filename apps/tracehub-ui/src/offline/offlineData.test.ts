import { describe, expect, it } from 'vitest';
import { logsOfSpan, parseOfflineData } from './offlineData';

const T = 'a'.repeat(32);
const span = {
  traceId: T, spanId: '1'.repeat(16), parentSpanId: null, name: '<img src=x>', kind: 'server', service: 'svc',
  startTimeUnixNano: '1000000', endTimeUnixNano: '3000000', durationNs: '2000000', durationMs: 2,
  status: { code: 'error', message: 'boom' }, traceState: '', flags: 1, attributes: [], droppedAttributesCount: 0,
  events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0,
  resource: { attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
  scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
};
const trace = {
  traceId: T, rootService: 'svc', rootName: '<img src=x>', startTimeUnixNano: '1000000', start: '1970-01-01T00:00:00.001Z',
  durationMs: 2, spanCount: 1, errorCount: 1, services: [{ name: 'svc', spanCount: 1, errorCount: 1 }], spans: [span],
};
const log = (spanId: string | null) => ({
  timeUnixNano: '2000000', observedTimeUnixNano: '2000000', severityNumber: 17, severityText: 'ERROR', body: { type: 'string', value: 'x' },
  attributes: [], droppedAttributesCount: 0, flags: 0, traceId: T, spanId, eventName: '', service: 'svc',
  resource: { attributes: [], droppedAttributesCount: 0, schemaUrl: '' }, scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
});
const explain = { status: 'error', summary: 'svc <img src=x> failed.', cause: { spanId: '1'.repeat(16), service: 'svc', name: '<img src=x>', kind: 'error' }, chain: [{ spanId: '1'.repeat(16), service: 'svc', name: '<img src=x>', role: 'cause' }] };

describe('parseOfflineData', () => {
  it('reads the embedded trace, explanation and logs', () => {
    const d = parseOfflineData(JSON.stringify({ trace, explain, logs: { logs: [log('1'.repeat(16)), log(null)] }, exportedAt: '2026-01-01T00:00:00Z', source: 'http://h' }));
    expect(d.trace.summary.traceId).toBe(T);
    expect(d.trace.spans.map((s) => s.name)).toEqual(['<img src=x>']);
    expect(d.explain).toEqual(explain);
    expect(logsOfSpan(d.logs, '1'.repeat(16))).toHaveLength(1);
    expect([d.exportedAt, d.source]).toEqual(['2026-01-01T00:00:00Z', 'http://h']);
  });

  it('shows no explanation when it is missing or malformed, and says what is wrong with bad data', () => {
    expect(parseOfflineData(JSON.stringify({ trace, explain: { status: 'maybe' } })).explain).toBeNull();
    expect(() => parseOfflineData('{')).toThrow(/^The trace data in this file is not valid JSON/);
    expect(() => parseOfflineData('[]')).toThrow('The trace data in this file is not an object.');
    expect(() => parseOfflineData(JSON.stringify({ trace: { ...trace, spans: 3 } }))).toThrow(/trace\.spans should be an array/);
  });
});
