/** The analyses of /api/v1: explain, doctor, compare, attribute analysis, metrics, the service map, links, import. */
import { CAUSE_KINDS, CHAIN_ROLES } from '@tracelab/trace-explain';
import { Type } from '@sinclair/typebox';
import { Attribute, Enum, Int, Nullable, NsString, Num, Obj, Str } from './common.js';

export const Explanation = Obj({
  status: Enum(['ok', 'error'] as const, "'error' when any span has status ERROR"),
  summary: Str('One plain English sentence'),
  cause: Nullable(Obj({ spanId: Type.String(), service: Type.String(), name: Type.String(), kind: Enum(CAUSE_KINDS) })),
  chain: Type.Array(Obj({ spanId: Type.String(), service: Type.String(), name: Type.String(), role: Enum(CHAIN_ROLES) }), {
    description: 'From the cause up to its root, cause first (cause is null only for a trace without spans)',
  }),
});

export const FINDING_KINDS = ['broken-hop', 'orphan-spans', 'clock-skew', 'missing-service-name', 'unknown-sdk'] as const;

export const Finding = Obj({
  kind: Enum(FINDING_KINDS),
  spanIds: Type.Array(Type.String(), { description: 'Spans of this trace concerned, the one to look at first' }),
  finding: Str('One sentence'),
  cause: Str('The likely cause'),
  fix: Str('What to change (environment variable, propagator, SDK setting)'),
  services: Type.Array(Type.String(), { description: 'Caller first for hops and skew' }),
  hop: Type.Optional(Str('broken-hop: caller → callee: operation')),
  side: Type.Optional(Enum(['client', 'server'] as const, 'broken-hop: which end of the call this trace holds')),
  otherTraceId: Type.Optional(Str('broken-hop: the trace holding the other end')),
  otherSpanId: Type.Optional(Str('broken-hop: the span at the other end')),
  missingParentSpanId: Type.Optional(Str('orphan-spans: the parent span that never arrived')),
  spanCount: Type.Optional(Int('orphan-spans: spans under the missing parent (with descendants); resource checks: spans concerned')),
  offsetNs: Type.Optional(NsString("clock-skew: ns to add to the child service's times to put its spans inside their parents (> 0: its clock is behind)")),
});

export const Diagnosis = Obj({
  traceId: Type.String(),
  findings: Type.Array(Finding, { description: 'Empty for a clean trace' }),
  summary: Str('One sentence; "No propagation problems: …" when findings is empty'),
});

const Window = Obj({ startTimeUnixNano: NsString(), endTimeUnixNano: NsString() });

export const CompareTrace = Obj({
  traceId: Type.String(),
  rootService: Type.String(),
  rootName: Type.String(),
  durationMs: Num(),
  spanCount: Int(),
  error: Type.Boolean(),
});

export const CompareSide = Obj(
  {
    count: Num(),
    durationMs: Num(),
    selfMs: Num(),
    errorCount: Num(),
    spanIds: Type.Optional(Type.Array(Type.String(), { description: 'the first 5 (traces only)' })),
    presence: Type.Optional(Num('baseline only: share (0..1) of the baseline traces that have the path')),
  },
  { description: 'A trace: sums over the spans of the path. A baseline: medians over the baseline traces that have the path.' },
);

export const CompareRow = Obj({
  path: Str('service: name of each ancestor from the root, joined with " > "'),
  depth: Int('0 = a root'),
  service: Type.String(),
  name: Type.String(),
  in: Enum(['both', 'only-a', 'only-b'] as const),
  a: Nullable(CompareSide),
  b: Nullable(CompareSide),
  diffDurationMs: Num('a − b (a missing side counts as 0)'),
  diffSelfMs: Num(),
  impact: Num('|diffSelfMs|, plus the duration for a path on one side only'),
});

export const Comparison = Obj({
  a: CompareTrace,
  b: Type.Optional(CompareTrace),
  baseline: Type.Optional(
    Obj(
      { traceCount: Int(), window: Window, traceIds: Type.Array(Type.String(), { description: 'the first 20' }) },
      { description: 'with baseline=auto' },
    ),
  ),
  rows: Type.Array(CompareRow, { description: 'One per span path, by impact (largest first), then path' }),
  summary: Str('One sentence naming the biggest difference'),
});

export const AttributeAnalysisRequest = Obj({
  selection: Obj(
    {
      q: Type.Optional(Str('TraceQL, as /api/v1/traces?q= (a trace matches when one of its spans does)')),
      status: Type.Optional(Type.Literal('error', { description: 'traces with an ERROR span' })),
      box: Type.Optional(Obj({ startTimeUnixNano: NsString(), endTimeUnixNano: NsString(), minDurationMs: Num(), maxDurationMs: Num() })),
    },
    { description: 'Exactly one of q, box, status' },
  ),
  start: Type.Optional(NsString('window start (trace start), ns; default end - 1 h')),
  end: Type.Optional(NsString('window end, ns; default now')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'traces per set (most recent), default 1000' })),
});

const AttributeSet = Obj({ traceCount: Int(), spanCount: Int(), totalTraceCount: Int() });
const Shares = Obj({ traces: Num('share of the set\'s traces, 0..1'), time: Num('share of the set\'s span self time, 0..1') });
const AttributeScope = Enum(['span', 'resource', 'intrinsic'] as const);

export const AttributeAnalysis = Obj({
  window: Window,
  selection: AttributeSet,
  baseline: AttributeSet,
  sampled: Type.Boolean(),
  timeMeasure: Type.Literal('self', { description: 'time shares are of span self time' }),
  attributes: Type.Array(
    Obj({
      key: Type.String(),
      scope: AttributeScope,
      score: Num(),
      by: Enum(['traces', 'time'] as const),
      values: Type.Array(Obj({ value: Type.String(), selection: Shares, baseline: Shares })),
    }),
  ),
  skipped: Type.Array(Obj({ key: Type.String(), scope: AttributeScope, distinctValues: Int() }), { description: 'id-like keys left out' }),
  summary: Str('One sentence naming the top key = value'),
});

export const METRIC_KINDS = ['server', 'client', 'producer', 'consumer', 'internal', 'any'] as const;

const redStatsFields = {
  calls: Int(),
  errors: Int('spans with status ERROR'),
  ratePerSec: Num('calls / bucket (or window) seconds'),
  errorRate: Num('errors / calls; 0 without calls'),
  p50Ms: Nullable(Type.Number({ description: 'null without calls' })),
  p95Ms: Nullable(Type.Number()),
  p99Ms: Nullable(Type.Number()),
};
export const RedStats = Obj(redStatsFields);
const SpanRef = Obj({ traceId: Type.String(), spanId: Type.String() });

export const Metrics = Obj({
  startTimeUnixNano: NsString(),
  endTimeUnixNano: NsString(),
  stepMs: Num(),
  series: Type.Array(
    Obj({
      service: Type.String(),
      operation: Str("'*' for a service's aggregate"),
      kind: Enum(METRIC_KINDS, 'as asked'),
      totals: RedStats,
      points: Type.Array(
        Obj({
          ...redStatsFields,
          t: NsString('bucket start, unix ns; buckets [t, t + step), the last cut at end'),
          exemplars: Nullable(
            Obj({
              slowest: Obj({ traceId: Type.String(), spanId: Type.String(), durationMs: Num() }),
              error: Type.Optional(SpanRef),
            }),
          ),
        }),
        { description: 'every bucket, empty ones included' },
      ),
    }),
  ),
  faults: Type.Array(Obj({ startTimeUnixNano: NsString(), endTimeUnixNano: NsString(), faults: Type.String() })),
});

const MetricsLabel = Obj({
  name: Type.String(),
  type: Enum(['string', 'int', 'double', 'bool', 'nil'] as const),
  value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
});
const seriesFields = {
  labels: Type.Array(MetricsLabel, {
    description:
      'by() values in order (Tempo names: resource.service.name, span.x, name, status); `__name__` without by(); `p` per quantile; `__bucket` per histogram bucket (seconds for durations); a missing value is type nil',
  }),
  promLabels: Str('the labels as Prometheus text, sorted by name: {a="x", b="y"}'),
};

export const TraceqlMetrics = Obj({
  query: Type.String(),
  start: Int('unix ms, as asked'),
  end: Int('unix ms, as asked'),
  stepMs: Num(),
  instant: Type.Boolean(),
  partial: Type.Optional(Type.Literal(true, { description: 'series or candidate spans were capped; message says which' })),
  message: Type.Optional(Type.String()),
  series: Type.Array(
    Type.Union([
      Obj({
        ...seriesFields,
        samples: Type.Array(Type.Tuple([Type.Number(), Type.Number()]), { description: 'range query: [timestampMs, value], stamped with the END of the interval (start, end]' }),
        exemplars: Type.Array(Obj({ traceId: Type.String(), spanId: Type.String(), timestampMs: Int(), value: Nullable(Type.Number()) }), {
          description: 'range query: one span per interval (largest measured value, or latest for counts)',
        }),
      }),
      Obj({ ...seriesFields, value: Num('instant query only') }),
    ]),
  ),
});

export const NODE_KINDS = ['service', 'database', 'peer', 'browser'] as const;
export const EDGE_KINDS = ['call', 'database', 'peer'] as const;

export const GraphNode = Obj({
  id: Str('services: the service name; databases: db:<system>[/<namespace>]; other peers: peer:<name>'),
  name: Type.String(),
  kind: Enum(NODE_KINDS),
  calls: Int('services: requests handled (SERVER/CONSUMER and root spans); peers: calls received'),
  errors: Int('services: handled requests that failed; peers: failed calls received'),
  spans: Type.Optional(Int('services only: spans in the window')),
  system: Type.Optional(Str('databases only: db.system.name')),
});

export const GraphEdge = Obj({
  source: Str('node id'),
  target: Str('node id'),
  kind: Enum(EDGE_KINDS),
  calls: Int(),
  errors: Int(),
  callsPerSec: Num('calls / window seconds'),
  errorRate: Num('errors / calls, 0 to 1'),
  p50Ms: Type.Optional(Num()),
  p95Ms: Num("of the caller side's duration: the CLIENT span, else the callee's span"),
  exemplar: Type.Optional(Obj({ traceId: Type.String() }, { description: 'a failed call if any, else the slowest' })),
});

export const ServiceGraph = Obj({
  dependencies: Type.Array(Obj({ parent: Type.String(), child: Type.String(), callCount: Int(), errorCount: Int(), p95Ms: Num() }), {
    description: 'The service-to-service edges in their first form (kept for compatibility): p95 and errors of the child spans',
  }),
  startTimeUnixNano: NsString(),
  endTimeUnixNano: NsString(),
  nodes: Type.Array(GraphNode),
  edges: Type.Array(GraphEdge),
});

export const IncomingLinks = Obj({
  incoming: Type.Array(
    Obj({
      traceId: Str("the linking span's trace (another trace)"),
      spanId: Str('the linking span'),
      service: Type.String(),
      name: Type.String(),
      linkedSpanId: Str('the span of this trace the link points at'),
      attributes: Type.Array(Attribute, { description: "the link's attributes" }),
    }),
  ),
});

export const ImportResult = Obj({
  format: Enum(['otlp-json', 'otlp-jsonl', 'jaeger-json'] as const),
  traces: Type.Array(Type.String(), { description: 'ids of the traces the stored spans belong to' }),
  spans: Int('spans stored'),
  rejected: Int('spans dropped as invalid (bad ids, end before start)'),
  message: Type.Optional(Str('why spans were rejected, when some were')),
});
