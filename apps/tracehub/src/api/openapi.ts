/** The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. API.md has the prose. */
import { CAUSE_KINDS, CHAIN_ROLES } from '@tracelab/trace-explain';
import { EDGE_KINDS, NODE_KINDS } from '../analysis/service-graph.js';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const q = (name: string, description: string, schema: object = str) => ({ name, in: 'query', required: false, description, schema });
const err = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const ok = (ref: string) => ({ description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

const traceSearchParameters = [
  q('service', 'service.name of a span in the trace (service, operation, attr.* and status=error hold on one span)'),
  q('operation', 'span name (with service: a span of that service)'),
  q('status', 'error: with service/operation/attr.*, that span is ERROR, else the trace has an ERROR span; ok | unset: the trace has no ERROR span', { enum: ['error', 'ok', 'unset'] }),
  q('minDuration', 'trace duration at least (100ms, 1.5s, or ms)'),
  q('maxDuration', 'trace duration at most'),
  q('start', 'trace start from (unix ms or RFC 3339)'),
  q('end', 'trace start until (unix ms or RFC 3339)'),
  q('limit', 'at most this many (1-1000, default 20)', int),
  q('q', 'TraceQL selector, e.g. { status = error && duration > 100ms }'),
  { name: 'attr.<key>', in: 'query', required: false, description: 'attribute of the span (or its resource) equal to the value as text; repeatable, all on the same span as service/operation', schema: str },
];

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'tracehub query API', version: '1.0.0', description: 'Read traces, logs and autocomplete data stored by tracehub.' },
  paths: {
    '/api/v1/traces/{traceId}': {
      get: {
        summary: 'One trace with all its spans (or one span\'s subtree), as JSON or in the compact form',
        parameters: [
          { name: 'traceId', in: 'path', required: true, description: '1 to 32 hex digits', schema: str },
          q('format', 'json (default): TraceDetail; compact: CompactTraceDetail (resources, scopes and strings once; ~8x smaller; API.md)', { enum: ['json', 'compact'] }),
          q('root', 'a span id: only that span and its descendants (the answer then has `subtree`); 404 SPAN_NOT_FOUND when the trace has no such span'),
        ],
        responses: {
          200: {
            description: 'OK',
            content: {
              'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/TraceDetail' }, { $ref: '#/components/schemas/CompactTraceDetail' }] } },
            },
          },
          400: err,
          404: err,
        },
      },
    },
    '/api/v1/traces/{traceId}/search': {
      get: {
        summary:
          'Find inside one trace: ids of the spans whose name, service, status message, an attribute key or value, or an event name contains q (case-insensitive), or whose span id is q; the UI\'s Find rule',
        parameters: [
          { name: 'traceId', in: 'path', required: true, description: '1 to 32 hex digits', schema: str },
          { name: 'q', in: 'query', required: true, description: 'the text to find', schema: str },
          q('limit', 'at most this many span ids, in trace order (1-1000000, default 10000); total counts them all', int),
        ],
        responses: { 200: ok('TraceSearch'), 400: err, 404: err },
      },
    },
    '/api/v1/traces/{traceId}/explain': {
      get: {
        summary: 'Why the trace failed or where its time went: one sentence, the cause span and the chain up to the root',
        parameters: [{ name: 'traceId', in: 'path', required: true, description: '1 to 32 hex digits', schema: str }],
        responses: { 200: ok('Explanation'), 400: err, 404: err },
      },
    },
    '/api/v1/traces/{traceId}/links': {
      get: {
        summary: 'Incoming links: spans of other traces whose links point at this trace (started within ±window of it)',
        parameters: [
          { name: 'traceId', in: 'path', required: true, description: '1 to 32 hex digits', schema: str },
          q('window', 'linking spans starting within this much before the trace\'s start or after its end (Go-style duration or ms; default 1h, at most 24h)'),
          q('limit', 'at most this many linking spans, the earliest first (1-1000, default 100)', int),
        ],
        responses: { 200: ok('IncomingLinks'), 400: err, 404: err },
      },
    },
    '/api/v1/traces/{traceId}/doctor': {
      get: {
        summary:
          'Propagation doctor: why the trace does not connect. Orphan spans (a parent that never arrived), broken hops (a call answered in another trace, linked), clock skew across service boundaries, spans without service.name or a known SDK; each with cause and fix',
        parameters: [{ name: 'traceId', in: 'path', required: true, description: '1 to 32 hex digits', schema: str }],
        responses: { 200: ok('Diagnosis'), 400: err, 404: err },
      },
    },
    '/api/v1/traces': {
      get: {
        summary: 'Search trace summaries, newest first',
        parameters: traceSearchParameters,
        responses: { 200: ok('TraceList'), 400: err },
      },
    },
    '/api/v1/traces/{traceId}/export': {
      get: {
        summary: 'Download one trace: OTLP/JSON (an ExportTraceServiceRequest) or one self-contained offline HTML file',
        parameters: [
          { name: 'traceId', in: 'path', required: true, description: '1 to 32 hex digits', schema: str },
          q('format', 'json (default) | html', { enum: ['json', 'html'] }),
        ],
        responses: {
          200: {
            description: 'An attachment named trace-<id>.json or trace-<id>.html',
            content: { 'application/json': { schema: { type: 'object', description: 'OTLP/JSON ExportTraceServiceRequest' } }, 'text/html': { schema: str } },
          },
          400: err,
          404: err,
          503: err,
        },
      },
    },
    '/api/v1/export': {
      get: {
        summary: "Download a search's traces as OTLP/JSON lines: one ExportTraceServiceRequest per line per trace (the /api/v1/traces parameters, bounded by limit)",
        parameters: traceSearchParameters,
        responses: { 200: { description: 'traces.jsonl', content: { 'application/x-ndjson': { schema: str } } }, 400: err },
      },
    },
    '/api/v1/import': {
      post: {
        summary: 'Store a trace file: OTLP/JSON, OTLP/JSON lines or Jaeger JSON ({data: [{traceID, spans, processes}]}); answered once the spans are stored',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } }, 'application/x-ndjson': { schema: str } } },
        responses: { 200: ok('ImportResult'), 400: err, 413: err, 415: err, 429: err, 503: err },
      },
    },
    '/api/v1/services': { get: { summary: 'Service names', responses: { 200: { description: 'OK' } } } },
    '/api/v1/services/{service}/operations': {
      get: { summary: 'Span names of a service', parameters: [{ name: 'service', in: 'path', required: true, schema: str }], responses: { 200: { description: 'OK' } } },
    },
    '/api/v1/attributes': { get: { summary: 'Attribute keys by scope', responses: { 200: { description: 'OK' } } } },
    '/api/v1/attributes/{key}/values': {
      get: {
        summary: 'Most frequent values of an attribute',
        parameters: [{ name: 'key', in: 'path', required: true, schema: str }, q('scope', 'span | resource | any'), q('limit', '1-1000, default 100', int)],
        responses: { 200: { description: 'OK' }, 400: err },
      },
    },
    '/api/v1/logs': {
      get: {
        summary: 'Log records of a trace or span',
        parameters: [{ name: 'traceId', in: 'query', required: true, schema: str }, q('spanId', '16 hex digits')],
        responses: { 200: { description: 'OK' }, 400: err },
      },
    },
    '/api/v1/dependencies': {
      get: {
        summary: 'The service map: services, databases, other peers and browser apps, and the calls between them with rates',
        parameters: [q('start', 'unix ms or RFC 3339; default end - 1 h'), q('end', 'unix ms or RFC 3339; default now')],
        responses: { 200: ok('ServiceGraph'), 400: err },
      },
    },
    '/api/v1/dependencies/traces': {
      get: {
        summary: 'Traces holding a call along one service map edge, newest first',
        parameters: [
          { name: 'source', in: 'query', required: true, description: 'id of the calling node (a service name)', schema: str },
          { name: 'target', in: 'query', required: true, description: 'id of the called node (a service name, db:…, peer:…)', schema: str },
          q('start', 'unix ms or RFC 3339; default end - 1 h'),
          q('end', 'unix ms or RFC 3339; default now'),
          q('limit', 'at most this many (1-1000, default 20)', int),
        ],
        responses: { 200: ok('TraceList'), 400: err },
      },
    },
    '/api/v1/metrics': {
      get: {
        summary: 'RED metrics from stored spans: rate, error rate and p50/p95/p99 per service (or per operation of one service), with lab.faults intervals',
        parameters: [
          q('service', 'one service: a series per operation of it (default: a series per service)'),
          q('operation', 'one span name of that service (needs service)'),
          q('kind', 'span kind counted (default server)', { enum: ['server', 'client', 'producer', 'consumer', 'internal', 'any'] }),
          q('step', 'bucket length (10s, 1m, or ms); default about 60 points; at most 1000 points'),
          q('start', 'unix ms or RFC 3339; default end - 1 h; window at most 7 days'),
          q('end', 'unix ms or RFC 3339; default now'),
        ],
        responses: { 200: ok('Metrics'), 400: err },
      },
    },
    '/api/v1/analyze/attributes': {
      post: {
        summary: 'What is different: attribute keys ranked by how differently their values spread over a selection of traces and the rest of the window',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AttributeAnalysisRequest' } } } },
        responses: { 200: ok('AttributeAnalysis'), 400: err, 413: err },
      },
    },
    '/api/v1/compare': {
      get: {
        summary: 'Compare a trace with another trace (b) or with a baseline of similar traces (baseline=auto), per span path',
        parameters: [
          { name: 'a', in: 'query', required: true, description: 'the trace to compare (1 to 32 hex digits)', schema: str },
          q('b', 'the other trace (not with baseline)'),
          q('baseline', 'auto: traces whose root has the same service and name as a\'s, around a\'s start', { enum: ['auto'] }),
          q('window', 'with baseline=auto: roots starting within ±window/2 of a\'s start (Go-style duration or ms; default 1h, at most 24h)'),
          q('baselineLimit', 'with baseline=auto: at most this many baseline traces, the latest first (1-500, default 50)', int),
        ],
        responses: { 200: ok('Comparison'), 400: err, 404: err },
      },
    },
    '/api/v1/live': { get: { summary: 'Server-Sent Events: `event: trace` with a TraceSummary per new or updated trace', responses: { 200: { description: 'text/event-stream' } } } },
  },
  components: {
    schemas: {
      Error: { type: 'object', required: ['error', 'message'], properties: { error: str, message: str } },
      ImportResult: {
        type: 'object',
        required: ['format', 'traces', 'spans', 'rejected'],
        properties: {
          format: { enum: ['otlp-json', 'otlp-jsonl', 'jaeger-json'] },
          traces: { type: 'array', items: str, description: 'ids of the traces the stored spans belong to' },
          spans: { ...int, description: 'spans stored' },
          rejected: { ...int, description: 'spans dropped as invalid (bad ids, end before start)' },
          message: { ...str, description: 'why spans were rejected, when some were' },
        },
      },
      TraceSummary: {
        type: 'object',
        properties: {
          traceId: str, rootService: str, rootName: str, startTimeUnixNano: str, start: str, durationMs: num, spanCount: int, errorCount: int,
          services: { type: 'array', items: { type: 'object', properties: { name: str, spanCount: int, errorCount: int } } },
        },
      },
      Diagnosis: {
        type: 'object',
        required: ['traceId', 'findings', 'summary'],
        properties: {
          traceId: str,
          summary: { ...str, description: 'One sentence: what was found, or that the trace is clean' },
          findings: {
            type: 'array',
            description: 'Empty for a clean trace',
            items: {
              type: 'object',
              required: ['kind', 'spanIds', 'finding', 'cause', 'fix', 'services'],
              properties: {
                kind: { enum: ['broken-hop', 'orphan-spans', 'clock-skew', 'missing-service-name', 'unknown-sdk'] },
                spanIds: { type: 'array', items: str, description: 'Spans of this trace concerned, the one to look at first' },
                finding: { ...str, description: 'One sentence' },
                cause: { ...str, description: 'The likely cause' },
                fix: { ...str, description: 'What to change (environment variable, propagator, SDK setting)' },
                services: { type: 'array', items: str, description: 'Caller first for hops and skew' },
                hop: { ...str, description: 'broken-hop: caller → callee: operation' },
                side: { enum: ['client', 'server'], description: 'broken-hop: which end of the call this trace holds' },
                otherTraceId: { ...str, description: 'broken-hop: the trace holding the other end' },
                otherSpanId: str,
                missingParentSpanId: { ...str, description: 'orphan-spans: the parent span that never arrived' },
                spanCount: { ...int, description: 'orphan-spans: spans under the missing parent (with descendants); resource checks: spans concerned' },
                offsetNs: { ...str, description: 'clock-skew: ns to add to the child service\'s times to put its spans inside their parents (> 0: its clock is behind)' },
              },
            },
          },
        },
      },
      Explanation: {
        type: 'object',
        required: ['status', 'summary', 'cause', 'chain'],
        properties: {
          status: { enum: ['ok', 'error'] },
          summary: { ...str, description: 'One plain English sentence' },
          cause: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                properties: {
                  spanId: str, service: str, name: str,
                  kind: { enum: [...CAUSE_KINDS] },
                },
              },
            ],
          },
          chain: {
            type: 'array',
            description: 'From the cause up to the root, cause first',
            items: { type: 'object', properties: { spanId: str, service: str, name: str, role: { enum: [...CHAIN_ROLES] } } },
          },
        },
      },
      Metrics: {
        type: 'object',
        required: ['startTimeUnixNano', 'endTimeUnixNano', 'stepMs', 'series', 'faults'],
        properties: {
          startTimeUnixNano: str, endTimeUnixNano: str, stepMs: num,
          series: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                service: str, operation: { ...str, description: "'*' for a service's aggregate" }, kind: str,
                totals: { $ref: '#/components/schemas/RedStats' },
                points: {
                  type: 'array',
                  items: {
                    allOf: [
                      { $ref: '#/components/schemas/RedStats' },
                      {
                        type: 'object',
                        properties: {
                          t: { ...str, description: 'bucket start, unix ns' },
                          exemplars: {
                            oneOf: [
                              { type: 'null' },
                              {
                                type: 'object',
                                properties: {
                                  slowest: { type: 'object', properties: { traceId: str, spanId: str, durationMs: num } },
                                  error: { type: 'object', properties: { traceId: str, spanId: str } },
                                },
                              },
                            ],
                          },
                        },
                      },
                    ],
                  },
                },
              },
            },
          },
          faults: { type: 'array', items: { type: 'object', properties: { startTimeUnixNano: str, endTimeUnixNano: str, faults: str } } },
        },
      },
      RedStats: {
        type: 'object',
        properties: {
          calls: int, errors: int, ratePerSec: num, errorRate: num,
          p50Ms: { type: ['number', 'null'] }, p95Ms: { type: ['number', 'null'] }, p99Ms: { type: ['number', 'null'] },
        },
      },
      ServiceGraph: {
        type: 'object',
        required: ['dependencies', 'nodes', 'edges'],
        properties: {
          dependencies: {
            type: 'array',
            description: 'The service-to-service edges in their first form (kept for compatibility): p95 and errors of the child spans',
            items: { type: 'object', properties: { parent: str, child: str, callCount: int, errorCount: int, p95Ms: num } },
          },
          startTimeUnixNano: str,
          endTimeUnixNano: str,
          nodes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'name', 'kind', 'calls', 'errors'],
              properties: {
                id: { ...str, description: 'services: the service name; databases: db:<system>[/<namespace>]; other peers: peer:<name>' },
                name: str,
                kind: { enum: [...NODE_KINDS] },
                calls: { ...int, description: 'services: requests handled (SERVER/CONSUMER and root spans); peers: calls received' },
                errors: int,
                spans: { ...int, description: 'services only: spans in the window' },
                system: { ...str, description: 'databases only: db.system.name' },
              },
            },
          },
          edges: {
            type: 'array',
            items: {
              type: 'object',
              required: ['source', 'target', 'kind', 'calls', 'errors', 'callsPerSec', 'errorRate', 'p95Ms'],
              properties: {
                source: str,
                target: str,
                kind: { enum: [...EDGE_KINDS] },
                calls: int,
                errors: int,
                callsPerSec: { ...num, description: 'calls / window seconds' },
                errorRate: { ...num, description: 'errors / calls, 0 to 1' },
                p50Ms: num,
                p95Ms: { ...num, description: "of the caller side's duration: the CLIENT span, else the callee's span" },
                exemplar: { type: 'object', properties: { traceId: str }, description: 'a failed call if any, else the slowest' },
              },
            },
          },
        },
      },
      AttributeAnalysisRequest: {
        type: 'object',
        required: ['selection'],
        properties: {
          selection: {
            type: 'object',
            description: 'Exactly one of q, box, status',
            properties: {
              q: { ...str, description: 'TraceQL filter, as /api/v1/traces?q=' },
              status: { enum: ['error'] },
              box: {
                type: 'object',
                required: ['startTimeUnixNano', 'endTimeUnixNano', 'minDurationMs', 'maxDurationMs'],
                properties: { startTimeUnixNano: str, endTimeUnixNano: str, minDurationMs: num, maxDurationMs: num },
              },
            },
          },
          start: { ...str, description: 'window start (trace start), ns; default end - 1 h' },
          end: { ...str, description: 'window end, ns; default now' },
          limit: { ...int, minimum: 1, maximum: 10000, description: 'traces per set (most recent), default 1000' },
        },
      },
      AttributeAnalysis: {
        type: 'object',
        properties: {
          window: { type: 'object', properties: { startTimeUnixNano: str, endTimeUnixNano: str } },
          selection: { $ref: '#/components/schemas/AttributeSet' },
          baseline: { $ref: '#/components/schemas/AttributeSet' },
          sampled: { type: 'boolean' },
          timeMeasure: { enum: ['self'], description: 'time shares are of span self time' },
          attributes: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                key: str, scope: { enum: ['span', 'resource', 'intrinsic'] }, score: num, by: { enum: ['traces', 'time'] },
                values: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      value: str,
                      selection: { type: 'object', properties: { traces: num, time: num } },
                      baseline: { type: 'object', properties: { traces: num, time: num } },
                    },
                  },
                },
              },
            },
          },
          skipped: { type: 'array', description: 'id-like keys left out', items: { type: 'object', properties: { key: str, scope: str, distinctValues: int } } },
          summary: str,
        },
      },
      AttributeSet: { type: 'object', properties: { traceCount: int, spanCount: int, totalTraceCount: int } },
      IncomingLinks: {
        type: 'object',
        required: ['incoming'],
        properties: {
          incoming: {
            type: 'array',
            items: {
              type: 'object',
              required: ['traceId', 'spanId', 'service', 'name', 'linkedSpanId', 'attributes'],
              properties: {
                traceId: { ...str, description: 'the linking span\'s trace' },
                spanId: { ...str, description: 'the linking span' },
                service: str,
                name: str,
                linkedSpanId: { ...str, description: 'the span of this trace the link points at' },
                attributes: { type: 'array', items: { type: 'object', properties: { key: str, value: { type: 'object' } } } },
              },
            },
          },
        },
      },
      Comparison: {
        type: 'object',
        required: ['a', 'rows', 'summary'],
        properties: {
          a: { $ref: '#/components/schemas/CompareTrace' },
          b: { $ref: '#/components/schemas/CompareTrace' },
          baseline: {
            type: 'object',
            properties: {
              traceCount: int,
              window: { type: 'object', properties: { startTimeUnixNano: str, endTimeUnixNano: str } },
              traceIds: { type: 'array', items: str, description: 'the first 20' },
            },
          },
          rows: {
            type: 'array',
            description: 'One per span path, by impact (largest first), then path',
            items: {
              type: 'object',
              properties: {
                path: { ...str, description: 'service: name of each ancestor from the root, joined with " > "' },
                depth: int, service: str, name: str,
                in: { enum: ['both', 'only-a', 'only-b'] },
                a: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/CompareSide' }] },
                b: { oneOf: [{ type: 'null' }, { $ref: '#/components/schemas/CompareSide' }] },
                diffDurationMs: { ...num, description: 'a − b (a missing side counts as 0)' },
                diffSelfMs: num,
                impact: { ...num, description: '|diffSelfMs|, plus the duration for a path on one side only' },
              },
            },
          },
          summary: { ...str, description: 'One sentence naming the biggest difference' },
        },
      },
      CompareTrace: {
        type: 'object',
        properties: { traceId: str, rootService: str, rootName: str, durationMs: num, spanCount: int, error: { type: 'boolean' } },
      },
      CompareSide: {
        type: 'object',
        description: 'A trace: sums over the spans of the path. A baseline: medians over the baseline traces that have the path.',
        properties: {
          count: num, durationMs: num, selfMs: num, errorCount: num,
          spanIds: { type: 'array', items: str, description: 'the first 5 (traces only)' },
          presence: { ...num, description: 'baseline only: share (0..1) of the baseline traces that have the path' },
        },
      },
      TraceList: { type: 'object', properties: { traces: { type: 'array', items: { $ref: '#/components/schemas/TraceSummary' } } } },
      TraceDetail: {
        allOf: [
          { $ref: '#/components/schemas/TraceSummary' },
          { type: 'object', properties: { spans: { type: 'array', items: { type: 'object', description: 'See API.md: Span' } }, subtree: { $ref: '#/components/schemas/Subtree' } } },
        ],
      },
      Subtree: {
        type: 'object',
        description: 'with ?root=: the subtree\'s root span and how many spans the whole trace has',
        properties: { rootSpanId: str, traceSpanCount: int },
      },
      CompactTraceDetail: {
        allOf: [
          { $ref: '#/components/schemas/TraceSummary' },
          {
            type: 'object',
            description: 'See API.md: Compact trace detail. Span fields are parallel arrays indexed by span; strings and values are tables referenced by index.',
            properties: {
              format: { const: 'tracehub.compact/1' },
              baseTimeUnixNano: { ...str, description: 'earliest span start; span and event times are ns offsets from it' },
              strings: { type: 'array', items: str },
              values: { type: 'array', items: {}, description: 'distinct attribute values: a string, or an AnyValue object' },
              resources: { type: 'array', items: { type: 'object' } },
              scopes: { type: 'array', items: { type: 'object' } },
              spans: { type: 'object' },
              subtree: { $ref: '#/components/schemas/Subtree' },
            },
          },
        ],
      },
      TraceSearch: {
        type: 'object',
        properties: { q: str, total: int, spanIds: { type: 'array', items: str }, truncated: { type: 'boolean' } },
      },
    },
  },
} as const;
