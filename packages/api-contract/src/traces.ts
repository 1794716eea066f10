/** Traces, spans, logs and the autocomplete lists of /api/v1. */
import { Type } from '@sinclair/typebox';
import { Attribute, AnyValue, Enum, Int, Nullable, NsString, Num, Obj, Resource, Scope, SpanKindName, SpanStatusCode, Str } from './common.js';

export const Span = Obj({
  traceId: Str('32 lower-case hex'),
  spanId: Str('16 lower-case hex'),
  parentSpanId: Nullable(Type.String({ description: 'null for a root span' })),
  name: Type.String(),
  kind: SpanKindName,
  service: Str("resource service.name ('unknown_service' if absent)"),
  startTimeUnixNano: NsString(),
  endTimeUnixNano: NsString(),
  durationNs: NsString(),
  durationMs: Num(),
  status: Obj({ code: SpanStatusCode, message: Type.String() }),
  traceState: Type.String(),
  flags: Type.Integer(),
  attributes: Type.Array(Attribute),
  droppedAttributesCount: Type.Integer(),
  events: Type.Array(Obj({ timeUnixNano: NsString(), name: Type.String(), attributes: Type.Array(Attribute), droppedAttributesCount: Type.Integer() })),
  droppedEventsCount: Type.Integer(),
  links: Type.Array(
    Obj({
      traceId: Type.String(),
      spanId: Type.String(),
      traceState: Type.String(),
      flags: Type.Integer(),
      attributes: Type.Array(Attribute),
      droppedAttributesCount: Type.Integer(),
    }),
  ),
  droppedLinksCount: Type.Integer(),
  resource: Resource,
  scope: Scope,
});

/** A TraceQL value: numbers and booleans as such, durations as ns, the rest as text. */
const TraceqlValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()], { description: 'string, number (durations in ns), boolean or null' });
const KeyValue = Obj({ key: Type.String(), value: TraceqlValue });

export const SpanSet = Obj({
  matched: Int('spans in the spanset'),
  attributes: Type.Array(KeyValue, {
    description: 'by() values and aggregate results, keyed as Tempo spells them: by(resource.service.name), count(), avg(duration)',
  }),
  spans: Type.Array(
    Obj({
      spanId: Type.String(),
      name: Type.String(),
      service: Type.String(),
      status: SpanStatusCode,
      startTimeUnixNano: NsString(),
      durationNs: NsString(),
      attributes: Type.Array(KeyValue, { description: 'service.name, the fields the query reads and the select()ed ones (names without scope)' }),
    }),
    { description: 'the first spss spans by start time' },
  ),
});

const summaryFields = {
  traceId: Type.String(),
  rootService: Str("'' when the root span has not arrived"),
  rootName: Str("'<root span not yet received>' then"),
  startTimeUnixNano: NsString(),
  start: Str('ISO 8601, ms precision'),
  durationMs: Num('latest end - earliest start over all spans'),
  spanCount: Int(),
  errorCount: Int('spans with status ERROR'),
  services: Type.Array(Obj({ name: Type.String(), spanCount: Int(), errorCount: Int() })),
};

export const TraceSummary = Obj({
  ...summaryFields,
  spanSets: Type.Optional(Type.Array(SpanSet, { description: 'Only with q: the spansets the TraceQL pipeline returned for the trace (one per by() group)' })),
});

export const TraceList = Obj({ traces: Type.Array(TraceSummary) });

/** With `?root=`: which span the answer is the subtree of, and how many spans the whole trace has. */
export const Subtree = Obj({ rootSpanId: Type.String(), traceSpanCount: Int() }, { description: "with ?root=: the subtree's root span and how many spans the whole trace has" });

export const TraceDetail = Obj({ ...summaryFields, spans: Type.Array(Span, { description: 'ordered by start time' }), subtree: Type.Optional(Subtree) });

/**
 * `?format=compact` (apps/tracehub/API.md, "Compact trace detail"): resources, scopes and strings once; span
 * fields as parallel arrays indexed by span, strings and values as tables referenced by index. The parts are
 * checked by the UI's decoder (tracehub-ui/src/api/convertCompact.ts); here only their presence.
 */
export const CompactTraceDetail = Obj({
  format: Type.Literal('tracehub.compact/1'),
  ...summaryFields,
  baseTimeUnixNano: NsString('earliest span start; span and event times are ns offsets from it'),
  strings: Type.Array(Type.String()),
  values: Type.Array(Type.Unknown(), { description: 'distinct attribute values: a string, a safe integer (an int value), or an AnyValue object' }),
  resources: Type.Array(Type.Unknown()),
  scopes: Type.Array(Type.Unknown()),
  spans: Type.Unknown({ description: 'parallel arrays, one element per span' }),
  subtree: Type.Optional(Subtree),
});

/** GET /api/v1/traces/{traceId}/search: the spans Find matches, in trace order. */
export const TraceSearch = Obj({
  q: Type.String(),
  total: Int('spans that match'),
  spanIds: Type.Array(Type.String(), { description: 'the first `limit` of them' }),
  truncated: Type.Boolean(),
});

export const LogRecord = Obj({
  timeUnixNano: NsString(),
  observedTimeUnixNano: NsString(),
  severityNumber: Int(),
  severityText: Type.String(),
  body: AnyValue,
  attributes: Type.Array(Attribute),
  droppedAttributesCount: Int(),
  flags: Int(),
  traceId: Nullable(Type.String()),
  spanId: Nullable(Type.String()),
  eventName: Type.String(),
  service: Type.String(),
  resource: Resource,
  scope: Scope,
});

export const LogList = Obj({ logs: Type.Array(LogRecord) });

export const ServiceList = Obj({ services: Type.Array(Type.String()) });

export const Operations = Obj({ operations: Type.Array(Obj({ name: Type.String(), kind: SpanKindName })) });

export const AttributeKeys = Obj({ attributes: Type.Array(Obj({ key: Type.String(), scope: Enum(['span', 'resource'] as const) })) });

export const AttributeValues = Obj({ values: Type.Array(Type.String(), { description: 'most frequent first, as text' }) });
