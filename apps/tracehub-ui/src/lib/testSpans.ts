// Builders for unit tests: spans described by id, parent, start and duration.
import type { SpanData } from './types';

export function span(
  spanId: string,
  parentSpanId: string | null,
  startUs: number,
  durationUs: number,
  extra: Partial<SpanData> = {},
): SpanData {
  return {
    traceId: 't'.repeat(32),
    spanId,
    parentSpanId,
    name: spanId,
    kind: 'internal',
    service: 'svc',
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(Math.round(startUs * 1000))),
    startUs,
    durationUs,
    status: { code: 'unset', message: '' },
    traceState: '',
    attributes: [],
    events: [],
    links: [],
    resource: { attributes: [], schemaUrl: '' },
    scope: { name: '', version: '', attributes: [] },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...extra,
  };
}
