/** The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. API.md has the prose. */
import { CAUSE_KINDS, CHAIN_ROLES } from '@tracelab/trace-explain';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const q = (name: string, description: string, schema: object = str) => ({ name, in: 'query', required: false, description, schema });
const err = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const ok = (ref: string) => ({ description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'tracehub query API', version: '1.0.0', description: 'Read traces, logs and autocomplete data stored by tracehub.' },
  paths: {
    '/api/v1/traces/{traceId}': {
      get: {
        summary: 'One trace with all its spans',
        parameters: [{ name: 'traceId', in: 'path', required: true, description: '1 to 32 hex digits', schema: str }],
        responses: { 200: ok('TraceDetail'), 400: err, 404: err },
      },
    },
    '/api/v1/traces/{traceId}/explain': {
      get: {
        summary: 'Why the trace failed or where its time went: one sentence, the cause span and the chain up to the root',
        parameters: [{ name: 'traceId', in: 'path', required: true, description: '1 to 32 hex digits', schema: str }],
        responses: { 200: ok('Explanation'), 400: err, 404: err },
      },
    },
    '/api/v1/traces': {
      get: {
        summary: 'Search trace summaries, newest first',
        parameters: [
          q('service', 'service.name of a span in the trace'),
          q('operation', 'span name (with service: a span of that service)'),
          q('status', 'error | ok | unset', { enum: ['error', 'ok', 'unset'] }),
          q('minDuration', 'trace duration at least (100ms, 1.5s, or ms)'),
          q('maxDuration', 'trace duration at most'),
          q('start', 'trace start from (unix ms or RFC 3339)'),
          q('end', 'trace start until (unix ms or RFC 3339)'),
          q('limit', 'at most this many (1-1000, default 20)', int),
          q('q', 'TraceQL selector, e.g. { status = error && duration > 100ms }'),
          { name: 'attr.<key>', in: 'query', required: false, description: 'span or resource attribute equal to the value (repeatable)', schema: str },
        ],
        responses: { 200: ok('TraceList'), 400: err },
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
        summary: 'Service-to-service call edges (service map)',
        parameters: [q('start', 'unix ms or RFC 3339; default end - 1 h'), q('end', 'unix ms or RFC 3339; default now')],
        responses: { 200: { description: 'OK' }, 400: err },
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
      TraceSummary: {
        type: 'object',
        properties: {
          traceId: str, rootService: str, rootName: str, startTimeUnixNano: str, start: str, durationMs: num, spanCount: int, errorCount: int,
          services: { type: 'array', items: { type: 'object', properties: { name: str, spanCount: int, errorCount: int } } },
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
          { type: 'object', properties: { spans: { type: 'array', items: { type: 'object', description: 'See API.md: Span' } } } },
        ],
      },
    },
  },
} as const;
