/**
 * The route table of /api/v1 (paths, parameters, which schema answers), served with the schemas of
 * @tracelab/api-contract as an OpenAPI 3.1 document at /api/v1/openapi.json. API.md has the prose.
 */
import { errorResponse as err, jsonResponse as ok, METRIC_KINDS, openApiDocument as buildOpenApi } from '@tracelab/api-contract';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const q = (name: string, description: string, schema: object = str) => ({ name, in: 'query', required: false, description, schema });

const traceSearchParameters = [
  q('service', 'service.name of a span in the trace (service, operation, attr.* and status=error hold on one span)'),
  q('operation', 'span name (with service: a span of that service)'),
  q('status', 'error: with service/operation/attr.*, that span is ERROR, else the trace has an ERROR span; ok | unset: the trace has no ERROR span', { enum: ['error', 'ok', 'unset'] }),
  q('minDuration', 'trace duration at least (100ms, 1.5s, or ms)'),
  q('maxDuration', 'trace duration at most'),
  q('start', 'trace start from (unix ms or RFC 3339)'),
  q('end', 'trace start until (unix ms or RFC 3339)'),
  q('limit', 'at most this many (1-1000, default 20)', int),
  q('q', 'TraceQL search query (all of TraceQL: spanset and structural operators, pipelines with count/avg/min/max/sum, by, coalesce, select), e.g. { status = error } >> { duration > 100ms } | select(span.http.route). With q each summary carries spanSets. A metrics query (| rate() ...) is a 400 INVALID_TRACEQL'),
  q('spss', 'with q: spans listed per spanset (1-1000, default 3); matched counts them all', int),
  { name: 'attr.<key>', in: 'query', required: false, description: 'attribute of the span (or its resource) equal to the value as text; repeatable, all on the same span as service/operation', schema: str },
];

export const openApiDocument = buildOpenApi(
  { title: 'tracehub query API', version: '1.0.0', description: 'Read traces, logs and autocomplete data stored by tracehub.' },
  {
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
    '/api/v1/services': { get: { summary: 'Service names', responses: { 200: ok('ServiceList') } } },
    '/api/v1/services/{service}/operations': {
      get: { summary: 'Span names of a service', parameters: [{ name: 'service', in: 'path', required: true, schema: str }], responses: { 200: ok('Operations') } },
    },
    '/api/v1/attributes': { get: { summary: 'Attribute keys by scope', responses: { 200: ok('AttributeKeys') } } },
    '/api/v1/attributes/{key}/values': {
      get: {
        summary: 'Most frequent values of an attribute',
        parameters: [{ name: 'key', in: 'path', required: true, schema: str }, q('scope', 'span | resource | any'), q('limit', '1-1000, default 100', int)],
        responses: { 200: ok('AttributeValues'), 400: err },
      },
    },
    '/api/v1/logs': {
      get: {
        summary: 'Log records of a trace or span',
        parameters: [{ name: 'traceId', in: 'query', required: true, schema: str }, q('spanId', '16 hex digits')],
        responses: { 200: ok('LogList'), 400: err },
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
          q('kind', 'span kind counted (default server)', { enum: [...METRIC_KINDS] }),
          q('step', 'bucket length (10s, 1m, or ms); default about 60 points; at most 1000 points'),
          q('start', 'unix ms or RFC 3339; default end - 1 h; window at most 7 days'),
          q('end', 'unix ms or RFC 3339; default now'),
        ],
        responses: { 200: ok('Metrics'), 400: err },
      },
    },
    '/api/v1/metrics/traceql': {
      get: {
        summary: 'TraceQL metrics (`{ } | rate() by (resource.service.name)`, count/sum/min/max/avg_over_time, quantile_over_time, histogram_over_time, topk/bottomk, a value filter) computed from stored spans, with Tempo 2.9\'s step alignment',
        parameters: [
          { name: 'q', in: 'query', required: true, description: 'a TraceQL metrics query', schema: str },
          q('start', 'unix ms or RFC 3339; default end - 1 h'),
          q('end', 'unix ms or RFC 3339; default now'),
          q('step', 'interval length (30s, 1m, or ms); default about 240 points; at most 11,000 points'),
          q('instant', 'true: one value per series over (start, end]', { enum: ['true', 'false'] }),
          q('exemplars', 'at most this many exemplar spans in all (default 100, 0: none)', int),
        ],
        responses: { 200: ok('TraceqlMetrics'), 400: err },
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
);
