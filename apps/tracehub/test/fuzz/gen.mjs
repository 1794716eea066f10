// Generators for query fuzzing (plain JS so that both the vitest smoke test and
// bench/fuzz-query.mjs use it): TraceQL strings from Tempo's grammar, then
// mutated, and parameter sets for the Tempo, Jaeger and /api/v1 query APIs.
// Deterministic for a seed.

/** mulberry32: a small seeded PRNG. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}

const INTRINSICS = [
  'name', 'status', 'kind', 'duration', 'statusMessage', 'traceDuration', 'rootName', 'rootServiceName',
  'span:name', 'span:status', 'span:kind', 'span:duration', 'span:statusMessage', 'span:id', 'span:parentID',
  'span:childCount', 'nestedSetLeft', 'nestedSetRight', 'nestedSetParent', 'trace:id', 'trace:rootName',
  'trace:rootService', 'trace:duration', 'event:name', 'event:timeSinceStart', 'link:traceID', 'link:spanID',
  'instrumentation:name', 'instrumentation:version', 'childCount', 'parent', 'span:nope', 'foo:bar',
];
const SCOPES = ['span.', 'resource.', '.', 'event.', 'link.', 'instrumentation.', 'parent.', 'parent.span.', 'parent.resource.', 'trace.', 'spam.'];
const ATTRS = ['service.name', 'http.route', 'http.response.status_code', 'db.system.name', 'product.name', 'cache_hit', 'a', 'x.y.z', '"quoted key"', '"a b".c', 'exception.type', 'order.id', 'ünïcode'];
const OPS = ['=', '!=', '>', '>=', '<', '<=', '=~', '!~', '==', '=>', '~'];
const ARITH = ['+', '-', '*', '/', '%', '^'];
const STRUCT = ['>>', '<<', '>', '<', '~', '&>>', '&<<', '&>', '&<', '&~', '!>>', '!<<', '!>', '!<', '!~', '&&', '||'];
const AGG = ['count()', 'avg(duration)', 'min(duration)', 'max(span.http.response.status_code)', 'sum(duration)', 'avg(.x)', 'count(duration)', 'median()'];
const METRICS = [
  'rate()', 'count_over_time()', 'sum_over_time(duration)', 'min_over_time(span.size)', 'max_over_time(duration)',
  'avg_over_time(duration)', 'quantile_over_time(duration, .99, .9, .5)', 'quantile_over_time(duration, 2)',
  'histogram_over_time(duration)', 'compare({ status = error })', 'compare({ status = error }, 5, 1700000000, 1700003600)',
  'rate(duration)', 'quantile_over_time()', 'histogram_over_time(name)',
];

function literal(r) {
  switch (r.int(16)) {
    case 0: return JSON.stringify(r.pick(['order-service', 'GET /order', '', 'a"b', 'x\\n', '.*', '(', 'ünï', '\u0000']));
    case 1: return '`' + r.pick(['raw', 'a\\b', '']) + '`';
    case 2: return String(r.int(1000) - 100);
    case 3: return (r.next() * 1000).toFixed(r.int(4));
    case 4: return r.pick(['100ms', '1.5s', '1m30s', '250us', '2h', '1d', '3w', '1y', '5µs', '10ns', '0s', '999999999h', '1ms2']);
    case 5: return r.pick(['true', 'false']);
    case 6: return 'nil';
    case 7: return r.pick(['error', 'ok', 'unset']);
    case 8: return r.pick(['server', 'client', 'producer', 'consumer', 'internal', 'unspecified']);
    case 9: return r.pick(['minInt', 'maxInt', '9223372036854775807', '-9223372036854775808', '1e308', '1e999', '0x10', '.5', '-.5']);
    case 10: return '"' + r.pick(['a|b', '[a-z]+', '(a', '\\d{2,}', '(((a)))*', 'x{99999}']) + '"';
    default: return JSON.stringify(r.pick(['Book', 'OutOfStockItem', 'payment-service']));
  }
}

function field(r) {
  if (r.chance(0.4)) return r.pick(INTRINSICS);
  return r.pick(SCOPES) + r.pick(ATTRS);
}

function operand(r, depth) {
  if (depth > 2 || r.chance(0.6)) return r.chance(0.6) ? field(r) : literal(r);
  return `${operand(r, depth + 1)} ${r.pick(ARITH)} ${operand(r, depth + 1)}`;
}

function condition(r, depth = 0) {
  const roll = r.int(10);
  if (depth < 3 && roll < 3) return `${condition(r, depth + 1)} ${r.pick(['&&', '||'])} ${condition(r, depth + 1)}`;
  if (depth < 3 && roll === 3) return `(${condition(r, depth + 1)})`;
  if (depth < 3 && roll === 4) return `!(${condition(r, depth + 1)})`;
  if (roll === 5) return field(r);
  if (roll === 6) return r.pick(['true', 'false']);
  return `${operand(r, depth)} ${r.pick(OPS)} ${operand(r, depth)}`;
}

function spanset(r, depth = 0) {
  const s = r.chance(0.1) ? '{}' : `{ ${condition(r)} }`;
  if (depth < 2 && r.chance(0.35)) return `${s} ${r.pick(STRUCT)} ${spanset(r, depth + 1)}`;
  if (depth < 2 && r.chance(0.1)) return `(${spanset(r, depth + 1)})`;
  return s;
}

function stage(r) {
  switch (r.int(6)) {
    case 0: return `${r.pick(AGG)} ${r.pick(OPS.slice(0, 6))} ${literal(r)}`;
    case 1: return `by(${field(r)}${r.chance(0.3) ? `, ${field(r)}` : ''})`;
    case 2: return `select(${field(r)}${r.chance(0.3) ? `, ${field(r)}` : ''})`;
    case 3: return 'coalesce()';
    case 4: return `{ ${condition(r)} }`;
    default: return r.pick(AGG);
  }
}

/** One TraceQL query from the grammar (valid or nearly). */
export function traceqlQuery(r) {
  let q = spanset(r);
  const stages = r.int(3);
  for (let i = 0; i < stages; i++) q += ` | ${stage(r)}`;
  if (r.chance(0.25)) {
    q += ` | ${r.pick(METRICS)}`;
    if (r.chance(0.4)) q += ` by (${field(r)})`;
    if (r.chance(0.2)) q += ` | ${r.pick(['topk', 'bottomk'])}(${r.int(12) - 1})`;
    if (r.chance(0.1)) q += ` > ${r.int(100)}`;
  }
  if (r.chance(0.05)) q += ` with(${r.pick(['sample=true', 'most_recent=true', 'exemplars=3', 'x'])})`;
  return q;
}

const NOISE = ['{', '}', '(', ')', '"', '`', '|', '&', '!', '=', '~', '.', ':', ',', ' ', '\\', '\n', '\u0000', '\u{1F600}', '9', '-'];

/** The query mangled: truncated, a slice deleted or doubled, noise inserted, or nested very deep. */
export function mutate(r, q) {
  switch (r.int(7)) {
    case 0: return q.slice(0, r.int(q.length + 1));
    case 1: {
      const i = r.int(q.length + 1);
      return q.slice(0, i) + r.pick(NOISE) + q.slice(i);
    }
    case 2: {
      const i = r.int(q.length + 1);
      const j = i + r.int(8);
      return q.slice(0, i) + q.slice(j);
    }
    case 3: {
      const i = r.int(q.length + 1);
      return q.slice(0, i) + q.slice(i, i + r.int(20)).repeat(2 + r.int(3)) + q.slice(i);
    }
    case 4: {
      const n = r.pick([50, 500, 5000, 50_000]);
      return r.chance(0.5) ? '('.repeat(n) + q + ')'.repeat(n) : `{ ${'!'.repeat(n)}(status = error) }`;
    }
    case 5: return `{ ${Array.from({ length: r.pick([100, 2000]) }, () => 'span.a = 1').join(' && ')} }`;
    default: return Array.from({ length: 1 + r.int(40) }, () => r.pick(NOISE)).join('');
  }
}

/** A query string for the fuzzers: 70% from the grammar, 30% mutated. */
export function fuzzTraceQL(r) {
  const q = traceqlQuery(r);
  return r.chance(0.3) ? mutate(r, q) : q;
}

const NASTY = [
  '', ' ', '-1', '0', '1', '99999999999999999999', '1e400', 'NaN', 'Infinity', 'abc', '%', '\u0000', '../../etc/passwd',
  '{"a":', '[]', 'null', 'true', '1.5', '-0', '2024-01-01T00:00:00Z', '1h', '-5m', '1ms', '10000000000000000ns',
  'x'.repeat(5000), '\u{1F600}', '<script>alert(1)</script>',
];
const value = (r, good) => (r.chance(0.5) ? r.pick(good) : r.pick(NASTY));
const nowS = () => Math.floor(Date.now() / 1000);

/** [path, query params] for Tempo's API. */
export function tempoRequest(r) {
  const t = nowS();
  const times = [String(t - 3600), String(t), String(t * 1e9), '2026-01-01T00:00:00Z', String(t + 3600)];
  switch (r.int(7)) {
    case 0:
    case 1: {
      const p = { q: fuzzTraceQL(r) };
      if (r.chance(0.6)) p.start = value(r, times);
      if (r.chance(0.6)) p.end = value(r, times);
      if (r.chance(0.3)) p.limit = value(r, ['1', '20', '1000', '5000']);
      if (r.chance(0.3)) p.spss = value(r, ['1', '3', '100']);
      return ['/api/search', p];
    }
    case 2: return ['/api/search', { tags: value(r, ['service.name=order-service', 'http.status_code=500 error=true', 'a="b c"']), minDuration: value(r, ['100ms', '1s']), maxDuration: value(r, ['5s']), limit: value(r, ['20']) }];
    case 3: return [r.pick(['/api/metrics/query_range', '/api/metrics/query']), { q: r.chance(0.7) ? `${r.chance(0.5) ? '{}' : `{ ${condition(r)} }`} | ${r.pick(METRICS)}${r.chance(0.4) ? ` by (${field(r)})` : ''}` : fuzzTraceQL(r), start: value(r, times), end: value(r, times), step: value(r, ['30s', '1m', '5s', '1ms', '0s', '15']), exemplars: value(r, ['0', '10']) }];
    case 4: return [r.pick(['/api/search/tags', '/api/v2/search/tags']), { scope: value(r, ['span', 'resource', 'intrinsic', 'event', 'link', 'none', 'all']), q: fuzzTraceQL(r), start: value(r, times), end: value(r, times), limit: value(r, ['10']) }];
    case 5: return [`/api/v2/search/tag/${encodeURIComponent(r.pick([...INTRINSICS, 'span.http.route', 'resource.service.name', '.x', '', '%']))}/values`, { q: fuzzTraceQL(r), start: value(r, times), end: value(r, times) }];
    default: return [`/api/${r.pick(['traces', 'v2/traces'])}/${encodeURIComponent(value(r, ['0123456789abcdef0123456789abcdef', '0af7651916cd43dd8448eb211c80319c', 'ZZ', '1']))}`, { start: value(r, times), end: value(r, times) }];
  }
}

/** [path, query params] for the Jaeger query API (params may repeat: arrays). */
export function jaegerRequest(r) {
  const ms = Date.now();
  const us = [String(ms * 1000 - 3600e6), String(ms * 1000)];
  switch (r.int(5)) {
    case 0:
    case 1: {
      const p = { service: value(r, ['order-service', 'payment-service', 'nope']) };
      if (r.chance(0.5)) p.operation = value(r, ['GET /order', 'check-stock', 'pg.query:UPDATE tracelab']);
      if (r.chance(0.4)) p.tags = value(r, ['{"error":"true"}', '{"http.response.status_code":"500"}', '{"a":1}', '{"span.kind":"server"}', '[1]']);
      if (r.chance(0.3)) p.tag = [value(r, ['error:true', 'event:exception', 'otel.status_code:ERROR']), value(r, ['a:b', 'nocolon'])];
      if (r.chance(0.4)) p.minDuration = value(r, ['100ms', '1.5s', '1us', '-1s', '1x']);
      if (r.chance(0.3)) p.maxDuration = value(r, ['5s', '1h']);
      if (r.chance(0.5)) p.start = value(r, us);
      if (r.chance(0.5)) p.end = value(r, us);
      if (r.chance(0.3)) p.lookback = value(r, ['1h', '2d', 'custom']);
      if (r.chance(0.4)) p.limit = value(r, ['20', '1500', '0']);
      if (r.chance(0.1)) p.prettyPrint = value(r, ['true', 'false']);
      return ['/api/traces', p];
    }
    case 2: return ['/api/traces', { traceID: [value(r, ['0af7651916cd43dd8448eb211c80319c', 'zz']), value(r, ['0123456789abcdef0123456789abcdef'])] }];
    case 3: return [`/api/metrics/${r.pick(['latencies', 'calls', 'errors', 'minstep', 'nope'])}`, { service: value(r, ['order-service', 'payment-service']), quantile: value(r, ['0.95', '0.5', '2']), groupByOperation: value(r, ['true', 'false']), endTs: value(r, [String(ms)]), lookback: value(r, ['3600000', '60000']), step: value(r, ['60000', '1000', '1']), ratePer: value(r, ['600000']), spanKind: value(r, ['server', 'SPAN_KIND_CLIENT', 'bogus']) }];
    default: return [r.pick(['/api/services', `/api/services/${encodeURIComponent(value(r, ['order-service', '%2F']))}/operations`, '/api/operations', '/api/dependencies']), { service: value(r, ['order-service']), spanKind: value(r, ['server', 'client']), endTs: value(r, [String(ms)]), lookback: value(r, ['3600000']) }];
  }
}

/** [path, query params] for tracehub's own /api/v1 (GET routes). */
export function apiV1Request(r) {
  const ms = Date.now();
  const times = [String(ms - 3600e3), String(ms), '2026-01-01T00:00:00Z'];
  switch (r.int(4)) {
    case 0:
    case 1: {
      const p = {};
      if (r.chance(0.5)) p.q = fuzzTraceQL(r);
      if (r.chance(0.4)) p.service = value(r, ['order-service', 'payment-service']);
      if (r.chance(0.3)) p.operation = value(r, ['GET /order']);
      if (r.chance(0.3)) p.status = value(r, ['error', 'ok', 'unset', 'bad']);
      if (r.chance(0.3)) p.minDuration = value(r, ['100ms', '1.5s']);
      if (r.chance(0.3)) p['attr.product.name'] = value(r, ['Book']);
      if (r.chance(0.4)) p.start = value(r, times);
      if (r.chance(0.4)) p.end = value(r, times);
      if (r.chance(0.3)) p.limit = value(r, ['20', '1000', '1001']);
      return ['/api/v1/traces', p];
    }
    case 2: return ['/api/v1/metrics', { service: value(r, ['order-service']), step: value(r, ['1m', '10s', '0s']), start: value(r, times), end: value(r, times), kind: value(r, ['server', 'bad']) }];
    default: return [r.pick(['/api/v1/compare', '/api/v1/dependencies', `/api/v1/traces/${encodeURIComponent(value(r, ['0af7651916cd43dd8448eb211c80319c']))}`]), { a: value(r, ['0af7651916cd43dd8448eb211c80319c']), baseline: value(r, ['auto']), start: value(r, times), end: value(r, times) }];
  }
}

/** A query string from params (arrays repeat the key). */
export function queryString(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) u.append(k, x);
  return u.toString();
}
