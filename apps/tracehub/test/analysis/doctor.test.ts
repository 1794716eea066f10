import { describe, expect, it } from 'vitest';
import { diagnose, type DoctorSpan } from '../../src/analysis/doctor.js';
import { clockSkew } from '../../src/analysis/clock-skew.js';
import { matchScore, clientAddress, serverAddress, pathFitsRoute } from '../../src/analysis/hop-match.js';
import type { HopSpan } from '../../src/store/types.js';

const MS = 1_000_000n;
const T = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);
const [INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER] = [1, 2, 3, 4, 5];

interface Opts {
  trace?: string;
  kind?: number;
  attrs?: Record<string, string>;
  error?: boolean;
  sdk?: boolean;
  links?: string[];
}

/** A span from ms offsets. */
function span(id: string, parent: string, service: string, name: string, startMs: number, endMs: number, o: Opts = {}): DoctorSpan {
  return {
    traceId: o.trace ?? T,
    spanId: id,
    parentSpanId: parent,
    service,
    name,
    kind: o.kind ?? INTERNAL,
    startNs: BigInt(startMs) * MS,
    endNs: BigInt(endMs) * MS,
    statusCode: o.error ? 2 : 0,
    attrs: o.attrs ?? {},
    linkedSpanIds: o.links ?? [],
    followsFrom: false,
    sdkName: o.sdk === false ? '' : 'opentelemetry',
    sdkLanguage: o.sdk === false ? '' : 'nodejs',
  };
}

const payClient = { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:4001/pay', 'server.address': '127.0.0.1', 'server.port': '4001' };
const payServer = { 'http.request.method': 'POST', 'url.path': '/pay', 'http.route': '/pay', 'server.address': '127.0.0.1', 'server.port': '4001' };

/** order-service GET /order → POST (client) → payment-service POST /pay, connected. */
function healthy(): DoctorSpan[] {
  return [
    span('r', '', 'order-service', 'GET /order', 0, 100, { kind: SERVER }),
    span('db', 'r', 'order-service', 'SELECT products', 2, 5, { kind: CLIENT, attrs: { 'db.system.name': 'postgresql', 'server.address': 'localhost', 'server.port': '5432' } }),
    span('c', 'r', 'order-service', 'POST', 10, 60, { kind: CLIENT, attrs: payClient }),
    span('s', 'c', 'payment-service', 'POST /pay', 12, 58, { kind: SERVER, attrs: payServer }),
    span('p', 's', 'payment-service', 'process-payment', 13, 57),
  ];
}

/** The same flow with payment-service in a trace of its own. */
function broken(): { order: DoctorSpan[]; payment: DoctorSpan[] } {
  const order = healthy().filter((s) => s.service === 'order-service');
  const payment = [
    span('s2', '', 'payment-service', 'POST /pay', 12, 58, { trace: OTHER, kind: SERVER, attrs: payServer }),
    span('p2', 's2', 'payment-service', 'process-payment', 13, 57, { trace: OTHER }),
  ];
  return { order, payment };
}

describe('a healthy trace', () => {
  it('has no findings and says so', () => {
    const d = diagnose(healthy(), []);
    expect(d.findings).toEqual([]);
    expect(d.summary).toMatch(/^No propagation problems: the 5 spans from 2 services connect/);
  });

  it('a database call with no child is not a broken hop, even with other traces around', () => {
    const other = [span('x', '', 'payment-service', 'POST /pay', 3, 4, { trace: OTHER, kind: SERVER, attrs: payServer })];
    expect(diagnose(healthy(), other).findings).toEqual([]);
  });
});

describe('broken hop', () => {
  it('from the client side: names both services and the hop, links the other trace', () => {
    const { order, payment } = broken();
    const d = diagnose(order, payment);
    expect(d.findings).toHaveLength(1);
    const f = d.findings[0]!;
    expect(f).toMatchObject({ kind: 'broken-hop', side: 'client', spanIds: ['c'], hop: 'order-service → payment-service: POST /pay', otherTraceId: OTHER, otherSpanId: 's2' });
    expect(f.services).toEqual(['order-service', 'payment-service']);
    expect(f.finding).toContain(OTHER);
    expect(f.fix).toContain('OTEL_PROPAGATORS');
    expect(d.summary).toBe('1 finding: 1 broken hop (order-service → payment-service: POST /pay).');
  });

  it('from the server side: the root SERVER span finds its caller in another trace', () => {
    const { order, payment } = broken();
    const other = order.map((s) => ({ ...s, traceId: OTHER }));
    const mine = payment.map((s) => ({ ...s, traceId: T }));
    const [f] = diagnose(mine, other).findings;
    expect(f).toMatchObject({ kind: 'broken-hop', side: 'server', spanIds: ['s2'], hop: 'order-service → payment-service: POST /pay', otherTraceId: OTHER, otherSpanId: 'c' });
  });

  it('prefers the server span that matches the address best, then the closest in time', () => {
    const { order } = broken();
    const cands: HopSpan[] = [
      // Right time, wrong port: another service's request.
      span('w1', '', 'other-service', 'POST /pay', 11, 20, { trace: 'c'.repeat(32), kind: SERVER, attrs: { ...payServer, 'server.port': '4999' } }),
      // Same port, path unknown (a worse match).
      span('w2', '', 'payment-service', 'POST', 11, 20, { trace: 'd'.repeat(32), kind: SERVER, attrs: { 'server.port': '4001' } }),
      // The real one, a little later.
      span('s2', '', 'payment-service', 'POST /pay', 14, 58, { trace: OTHER, kind: SERVER, attrs: payServer }),
      // Same address but long after the call ended.
      span('late', '', 'payment-service', 'POST /pay', 3000, 3050, { trace: 'e'.repeat(32), kind: SERVER, attrs: payServer }),
    ];
    const hops = diagnose(order, cands).findings.filter((f) => f.kind === 'broken-hop');
    expect(hops.map((h) => h.otherTraceId)).toEqual([OTHER]);
  });

  it('two parallel calls each get their own server span', () => {
    const root = span('r', '', 'order-service', 'GET /order', 0, 100, { kind: SERVER });
    const c1 = span('c1', 'r', 'order-service', 'POST', 10, 40, { kind: CLIENT, attrs: payClient });
    const c2 = span('c2', 'r', 'order-service', 'POST', 20, 50, { kind: CLIENT, attrs: payClient });
    const s1 = span('s1', '', 'payment-service', 'POST /pay', 12, 38, { trace: OTHER, kind: SERVER, attrs: payServer });
    const s2 = span('s2', '', 'payment-service', 'POST /pay', 22, 48, { trace: 'f'.repeat(32), kind: SERVER, attrs: payServer });
    const hops = diagnose([root, c1, c2], [s1, s2]).findings;
    expect(hops.map((h) => [h.spanIds[0], h.otherSpanId])).toEqual([
      ['c1', 's1'],
      ['c2', 's2'],
    ]);
  });

  it('a server span with nothing in common with the call is not matched', () => {
    const { order } = broken();
    const s = span('s2', '', 'payment-service', 'GET /health', 12, 20, { trace: OTHER, kind: SERVER, attrs: { 'http.request.method': 'GET', 'url.path': '/health' } });
    expect(diagnose(order, [s]).findings).toEqual([]);
  });

  it('messaging: a consumer in another trace matches its producer by destination', () => {
    const root = span('r', '', 'order-service', 'GET /order', 0, 20, { kind: SERVER });
    const pub = span('pub', 'r', 'order-service', 'orders publish', 5, 6, { kind: PRODUCER, attrs: { 'messaging.destination.name': 'orders' } });
    const con = span('con', '', 'mailer', 'orders process', 2000, 2010, { trace: OTHER, kind: CONSUMER, attrs: { 'messaging.destination.name': 'orders' } });
    const [f] = diagnose([root, pub], [con]).findings;
    expect(f).toMatchObject({ kind: 'broken-hop', hop: 'order-service → mailer: orders process', otherTraceId: OTHER });
  });
});

describe('hop matching', () => {
  it('reads old and new HTTP conventions alike', () => {
    const oldClient = clientAddress({ 'http.method': 'post', 'http.url': 'http://localhost:4001/pay?x=1', 'net.peer.name': 'localhost' });
    expect(oldClient).toMatchObject({ method: 'POST', host: 'loopback', port: '4001', path: '/pay' });
    const oldServer = serverAddress({ 'http.method': 'POST', 'http.target': '/pay?x=1', 'http.host': '127.0.0.1:4001' });
    expect(oldServer).toMatchObject({ method: 'POST', host: 'loopback', port: '4001', path: '/pay' });
    expect(matchScore(oldClient, oldServer, 'payment-service')).toBeGreaterThan(0);
  });

  it('a contradiction rules a match out', () => {
    const c = clientAddress(payClient);
    expect(matchScore(c, serverAddress({ ...payServer, 'http.request.method': 'GET' }), 'payment-service')).toBeNull();
    expect(matchScore(c, serverAddress({ ...payServer, 'url.path': '/refund' }), 'payment-service')).toBeNull();
    expect(matchScore(clientAddress({ 'peer.service': 'billing' }), serverAddress({}), 'payment-service')).toBeNull();
  });

  it('a path fits a route template', () => {
    expect(pathFitsRoute('/orders/42', '/orders/:id')).toBe(true);
    expect(pathFitsRoute('/orders/42', '/orders/{id}')).toBe(true);
    expect(pathFitsRoute('/orders/42/items', '/orders/:id')).toBe(false);
    expect(pathFitsRoute('/static/a/b.js', '/static/*')).toBe(true);
  });
});

describe('orphan spans', () => {
  it('names the parent that never arrived and counts the spans under it', () => {
    const spans = healthy().filter((s) => s.spanId !== 'c');
    const d = diagnose(spans, []);
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0]).toMatchObject({ kind: 'orphan-spans', missingParentSpanId: 'c', spanIds: ['s'], spanCount: 2, services: ['payment-service'] });
    expect(d.findings[0]!.finding).toBe('Parent span c never arrived: 1 span (payment-service: POST /pay) point to it, 2 spans in all hang under it.');
    expect(d.findings[0]!.cause).toContain('traceparent');
  });

  it('a lost span of the same service gets the local cause', () => {
    const spans = [span('r', '', 'svc', 'root', 0, 10), span('x', 'gone', 'svc', 'work', 1, 2), span('y', 'gone', 'svc', 'more', 2, 3)];
    const [f] = diagnose(spans, []).findings;
    expect(f).toMatchObject({ kind: 'orphan-spans', missingParentSpanId: 'gone', spanIds: ['x', 'y'], spanCount: 2 });
    expect(f!.fix).toContain('span.end()');
  });
});

describe('clock skew', () => {
  it('a child service whose spans start before their parents: its clock is behind, by the minimal shift', () => {
    const spans = healthy();
    // payment-service 30 ms behind: its spans appear 30 ms early.
    for (const s of spans) if (s.service === 'payment-service') Object.assign(s, { startNs: s.startNs - 30n * MS, endNs: s.endNs - 30n * MS });
    const d = diagnose(spans, []);
    expect(d.findings.map((f) => f.kind)).toEqual(['clock-skew']);
    const f = d.findings[0]!;
    // The minimal shift puts the SERVER span's start (12 - 30 = -18) at its parent's (10): +28 ms.
    expect(f.offsetNs).toBe(String(28n * MS));
    expect(f.services).toEqual(['order-service', 'payment-service']);
    expect(f.spanIds[0]).toBe('s');
    expect(f.finding).toBe("payment-service's clock looks about 28 ms behind order-service's: 1 span start before their order-service parent span.");
  });

  it('a child service ahead: negative offset; several pairs agree on one shift', () => {
    const spans = [
      span('r', '', 'a', 'root', 0, 1000, { kind: SERVER }),
      span('c1', 'r', 'a', 'call', 10, 230, { kind: CLIENT }),
      span('s1', 'c1', 'b', 'serve', 160, 380, { kind: SERVER }), // ends 150 ms after
      span('c2', 'r', 'a', 'call', 500, 700, { kind: CLIENT }),
      span('s2', 'c2', 'b', 'serve', 620, 820, { kind: SERVER }), // ends 120 ms after
    ];
    const [s] = clockSkew(spans);
    // Shifts fitting s1: [-150, -150]; s2: [-120, -120]; none fits both → the median of -150 and -120.
    expect(s).toMatchObject({ parentService: 'a', childService: 'b', consistent: false });
    expect(s!.offsetNs).toBe(-150n * MS);
    expect(diagnose(spans, []).findings[0]!.finding).toContain('ahead of');
  });

  it('a callee ending a few ms after its caller is how HTTP spans end on one clock, not skew', () => {
    const spans = [
      span('r', '', 'a', 'root', 0, 100, { kind: SERVER }),
      span('c1', 'r', 'a', 'call', 10, 30, { kind: CLIENT }),
      span('s1', 'c1', 'b', 'serve', 11, 40, { kind: SERVER }), // ends 10 ms after
      span('c2', 'r', 'a', 'call', 50, 70, { kind: CLIENT }),
      span('s2', 'c2', 'b', 'serve', 51, 87, { kind: SERVER }), // ends 17 ms after (seen on the lab under load)
    ];
    expect(clockSkew(spans)).toEqual([]);
    expect(diagnose(spans, []).findings).toEqual([]);
  });

  it('async children ending after their parent are not skew (PRODUCER/CONSUMER, links)', () => {
    const spans = [
      span('r', '', 'a', 'root', 0, 10, { kind: SERVER }),
      span('pub', 'r', 'a', 'publish', 2, 3, { kind: PRODUCER }),
      span('con', 'pub', 'b', 'consume', 500, 600, { kind: CONSUMER }),
      span('job', 'r', 'c', 'background', 5, 900, { links: ['r'] }),
    ];
    expect(diagnose(spans, []).findings).toEqual([]);
  });

  it('a callee that outlives a caller who gave up (error) is not skew; within a service is not skew', () => {
    const spans = [
      span('r', '', 'a', 'root', 0, 2100, { kind: SERVER }),
      span('c', 'r', 'a', 'call', 10, 2010, { kind: CLIENT, error: true }),
      span('s', 'c', 'b', 'serve', 12, 2500, { kind: SERVER }),
      span('in', 'r', 'a', 'inner', 2050, 2200),
    ];
    expect(diagnose(spans, []).findings).toEqual([]);
  });
});

describe('the seed payment timeout', () => {
  it('is no skew: the aborted POST client span has no error of its own, its parent call-payment-api has', () => {
    // Times (ms) as the seed's payment-timeout trace has them: the callee runs on after the client span is cut.
    const spans = [
      span('root', '', 'order-service', 'GET /order', 0, 568, { kind: SERVER, error: true }),
      span('call', 'root', 'order-service', 'call-payment-api', 20, 558, { error: true }),
      span('post', 'call', 'order-service', 'POST', 22, 537, { kind: CLIENT }),
      span('srv', 'post', 'payment-service', 'POST /payments', 23, 554, { kind: SERVER }),
      span('pay', 'srv', 'payment-service', 'process-payment', 24, 554, { error: true }),
    ];
    expect(diagnose(spans, []).findings).toEqual([]);
  });

  it('a callee starting before its caller is still skew when the caller gave up', () => {
    const spans = [
      span('call', '', 'order-service', 'call-payment-api', 20, 558, { kind: SERVER, error: true }),
      span('post', 'call', 'order-service', 'POST', 22, 537, { kind: CLIENT }),
      span('srv', 'post', 'payment-service', 'POST /payments', 12, 554, { kind: SERVER }),
    ];
    const [f] = diagnose(spans, []).findings;
    expect(f).toMatchObject({ kind: 'clock-skew', services: ['order-service', 'payment-service'] });
  });
});

describe('resource checks', () => {
  it('spans without service.name', () => {
    const spans = [span('r', '', 'unknown_service:node', 'GET /', 0, 10, { kind: SERVER })];
    const [f] = diagnose(spans, []).findings;
    expect(f).toMatchObject({ kind: 'missing-service-name', spanIds: ['r'], services: ['unknown_service:node'], spanCount: 1 });
    expect(f!.fix).toContain('OTEL_SERVICE_NAME');
  });

  it('spans from a service whose SDK is unknown', () => {
    const spans = [span('r', '', 'legacy', 'GET /', 0, 10, { kind: SERVER, sdk: false }), span('x', 'r', 'legacy', 'work', 1, 2, { sdk: false })];
    const d = diagnose(spans, []);
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0]).toMatchObject({ kind: 'unknown-sdk', spanIds: ['r', 'x'], services: ['legacy'], spanCount: 2 });
    expect(d.summary).toBe('1 finding: 1 service with an unknown SDK.');
  });
});

describe('candidate query', () => {
  it('asks for root servers around the open calls and callers before the root entries', async () => {
    const { candidateQuery } = await import('../../src/api/doctor-routes.js');
    const { hopCandidatesSql } = await import('../../src/store/doctor-sql.js');
    const S = 1_000_000_000n;
    const { order } = broken();
    const q = candidateQuery(T, order);
    // The open calls (the database query at 2..5 ms, the payment call at 10..60 ms): root servers starting within them ±1 s.
    expect(q.servers).toEqual({ startNs: 2n * MS - S, endNs: 60n * MS + S });
    // The root GET /order starts at 0: callers up to 30 s before it, still running 1 s before it.
    expect(q.clients).toEqual({ startNs: -30n * S, endNs: S, endAfterNs: -S });
    expect(q.excludeTraceId).toBe(T);
    // A connected trace whose root is not an entry span asks for nothing.
    const internalOnly = healthy().map((s) => (s.spanId === 'r' ? { ...s, kind: INTERNAL } : s));
    const none = candidateQuery(T, internalOnly.filter((s) => s.kind !== CLIENT || s.spanId === 'c'));
    expect(none.servers).toBeUndefined();
    expect(none.clients).toBeUndefined();
    expect(hopCandidatesSql(none)).toBeNull();
  });
});
