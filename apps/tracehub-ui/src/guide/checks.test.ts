import { describe, expect, it } from 'vitest';
import { span } from '../lib/testSpans';
import type { TraceSummary } from '../lib/types';
import {
  CHECK_IDS,
  checkParams,
  concernsChecks,
  evaluateAll,
  evaluateCheck,
  findHandOff,
  findStep,
  otlpHelloCommand,
  ownServices,
  randomHex,
  scenarioCommands,
  searchLink,
  slowestStep,
} from './checks';

function summary(traceId: string, extra: Partial<TraceSummary> & { svc?: string[] } = {}): TraceSummary {
  const { svc = ['order-service', 'payment-service'], ...rest } = extra;
  return {
    traceId,
    rootService: 'order-service',
    rootName: 'GET /order',
    startTimeUnixNano: '1700000000000000000',
    startMs: 1_700_000_000_000,
    durationMs: 120,
    spanCount: 9,
    errorCount: 0,
    services: svc.map((name) => ({ name, spanCount: 1, errorCount: 0 })),
    ...rest,
  };
}

describe('the searches', () => {
  it('keys on the root name, status and step spans, never on the intermediate request span', () => {
    for (const id of CHECK_IDS) {
      const q = checkParams(id).get('q')!;
      expect(q).toMatch(/^\{ .+ \}$/);
      expect(q).not.toContain('"request"');
    }
    expect(checkParams('normal').get('q')).toBe('{ rootName = "GET /order" && name = "process-payment" && status != error }');
    expect(checkParams('out-of-stock').get('q')).toContain('name = "check-stock" && status = error');
    expect(checkParams('payment-timeout').get('q')).toContain('name = "call-payment-api" && status = error');
    expect(checkParams('payment-timeout').get('q')).toContain('span.error.type = "PAYMENT_TIMEOUT"');
    expect(checkParams('own-service').get('q')).toBe('{ resource.service.name !~ "order-service|payment-service|storefront" }');
    expect(checkParams('normal').get('limit')).toBe('20');
  });

  it('links to the search page with the same query over all time', () => {
    const link = new URL(searchLink('payment-timeout'), 'http://x');
    expect(link.pathname).toBe('/');
    expect(link.searchParams.get('q')).toBe(checkParams('payment-timeout').get('q'));
    expect(link.searchParams.get('range')).toBe('all');
  });
});

describe('evaluateCheck', () => {
  it('is pending without an answer or with an empty one', () => {
    expect(evaluateCheck('normal', undefined)).toEqual({ done: false });
    expect(evaluateCheck('normal', [])).toEqual({ done: false });
  });

  it('takes the newest accepted trace and counts the accepted ones', () => {
    const r = evaluateCheck('payment-timeout', [summary('b'.repeat(32), { errorCount: 3 }), summary('a'.repeat(32), { errorCount: 3 })]);
    expect(r).toMatchObject({ done: true, matches: 2, trace: { traceId: 'b'.repeat(32) } });
  });

  it('a normal order needs no error, and both services in the one trace', () => {
    expect(evaluateCheck('normal', [summary('1'.repeat(32), { errorCount: 1 })]).done).toBe(false);
    expect(evaluateCheck('normal', [summary('2'.repeat(32), { svc: ['order-service'] })]).done).toBe(false);
    const r = evaluateCheck('normal', [summary('3'.repeat(32), { errorCount: 2 }), summary('4'.repeat(32))]);
    expect(r).toMatchObject({ done: true, matches: 1, trace: { traceId: '4'.repeat(32) } });
  });

  it('needs the root span GET /order to have arrived', () => {
    const partial = summary('5'.repeat(32), { rootName: '<root span not yet received>', rootService: '', errorCount: 1 });
    for (const id of ['normal', 'out-of-stock', 'payment-timeout', 'payment-failure'] as const) {
      expect(evaluateCheck(id, [partial]).done).toBe(false);
    }
    // Traces started elsewhere (e.g. the storefront's click) are not the step's command.
    expect(evaluateCheck('payment-timeout', [summary('6'.repeat(32), { rootName: 'storefront click' })]).done).toBe(false);
  });

  it('out of stock: payment-service was never called', () => {
    expect(evaluateCheck('out-of-stock', [summary('7'.repeat(32), { errorCount: 1 })]).done).toBe(false);
    expect(evaluateCheck('out-of-stock', [summary('8'.repeat(32), { errorCount: 1, svc: ['order-service'] })]).done).toBe(true);
  });

  it('own service: a trace with a service that is not the lab’s', () => {
    const lab = summary('9'.repeat(32), { svc: ['storefront', 'order-service'] });
    const mine = summary('a'.repeat(32), { rootName: 'hello-otlp', svc: ['my-first-service'] });
    expect(evaluateCheck('own-service', [lab]).done).toBe(false);
    expect(evaluateCheck('own-service', [lab, mine])).toMatchObject({ done: true, trace: { traceId: 'a'.repeat(32) } });
    expect(ownServices(summary('b'.repeat(32), { svc: ['order-service', '<img src=x>'] }))).toEqual(['<img src=x>']);
  });

  it('re-runs the searches only for live traces a check can be about', () => {
    expect(concernsChecks(summary('1'.repeat(32)))).toBe(true);
    expect(concernsChecks(summary('2'.repeat(32), { rootName: 'hello-otlp', rootService: 'my-first-service', svc: ['my-first-service'] }))).toBe(true);
    expect(concernsChecks(summary('3'.repeat(32), { rootName: 'GET /api/v1/traces', rootService: 'storefront', svc: ['storefront'] }))).toBe(false);
  });

  it('evaluateAll answers every check', () => {
    const p = evaluateAll({ 'payment-failure': [summary('c'.repeat(32), { errorCount: 2 })] });
    expect(Object.keys(p).sort()).toEqual([...CHECK_IDS].sort());
    expect(p['payment-failure'].done).toBe(true);
    expect(p.normal.done).toBe(false);
  });
});

// The span tree the services emit for a payment timeout (with the `request`
// span another change removes, to show the answers do not depend on it).
function timeoutTrace(withRequestSpan: boolean) {
  const mid = withRequestSpan ? 'req' : 'root';
  const spans = [
    span('root', null, 0, 512_000, { name: 'GET /order', service: 'order-service', kind: 'server', status: { code: 'error', message: '' } }),
    span('stock', mid, 1_000, 2_300, { name: 'check-stock', service: 'order-service' }),
    span('call', mid, 4_000, 501_000, {
      name: 'call-payment-api',
      service: 'order-service',
      status: { code: 'error', message: 'Payment did not answer within 500 ms; the payment request was aborted.' },
    }),
    span('post', 'call', 5_000, 493_000, { name: 'POST', service: 'order-service', kind: 'client' }),
    span('srv', 'post', 5_200, 492_700, { name: 'POST /payments', service: 'payment-service', kind: 'server' }),
    span('pay', 'srv', 5_300, 491_400, {
      name: 'process-payment',
      service: 'payment-service',
      status: { code: 'error', message: 'The caller aborted after 491 ms; payment stopped.' },
    }),
    span('rel', mid, 505_500, 5_600, { name: 'release-stock', service: 'order-service' }),
  ];
  if (withRequestSpan) spans.splice(1, 0, span('req', 'root', 500, 510_700, { name: 'request', service: 'order-service' }));
  return spans;
}

describe('answers read from the trace', () => {
  it.each([true, false])('which span gave up (request span present: %s)', (withRequest) => {
    const spans = timeoutTrace(withRequest);
    expect(findStep(spans, 'call-payment-api', { failed: true })).toEqual({
      spanId: 'call',
      name: 'call-payment-api',
      service: 'order-service',
      durationMs: 501,
      status: 'error',
      message: 'Payment did not answer within 500 ms; the payment request was aborted.',
    });
    expect(findStep(spans, 'process-payment', { service: 'payment-service' })?.durationMs).toBeCloseTo(491.4);
    expect(findStep(spans, 'process-payment', { service: 'order-service' })).toBeUndefined();
    expect(findStep(spans, 'check-stock', { failed: true })).toBeUndefined();
  });

  it('finds where the trace crossed into another service', () => {
    expect(findHandOff(timeoutTrace(false))).toMatchObject({
      caller: { spanId: 'post', name: 'POST', service: 'order-service' },
      callee: { spanId: 'srv', name: 'POST /payments', service: 'payment-service' },
    });
    expect(findHandOff([span('a', null, 0, 10), span('b', 'a', 1, 5)])).toBeUndefined();
  });

  it('the slowest step is the span with the most own time on the critical path', () => {
    // A normal order: payment's 100 ms delay is process-payment's own time.
    const spans = [
      span('root', null, 0, 120_000, { name: 'GET /order' }),
      span('stock', 'root', 1_000, 3_000, { name: 'check-stock' }),
      span('call', 'root', 5_000, 104_000, { name: 'call-payment-api' }),
      span('pay', 'call', 6_000, 101_000, { name: 'process-payment', service: 'payment-service' }),
      span('save', 'root', 110_000, 8_000, { name: 'save-order' }),
    ];
    expect(slowestStep(spans)).toMatchObject({ spanId: 'pay', name: 'process-payment', service: 'payment-service', durationMs: 101 });
    expect(slowestStep([])).toBeUndefined();
  });
});

describe('commands', () => {
  it('gives curl and npm commands for each scenario', () => {
    expect(scenarioCommands('payment-timeout')).toEqual({
      curl: "curl -s 'http://127.0.0.1:8080/order?productName=Book&delay=600'",
      npm: 'npm run scenario -- payment-timeout',
    });
  });

  it('builds a valid OTLP/JSON export of one span', () => {
    const cmd = otlpHelloCommand({ endpoint: 'http://127.0.0.1:4318', traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), nowMs: 1_700_000_000_123 });
    const m = /^curl -s http:\/\/127\.0\.0\.1:4318\/v1\/traces -H 'content-type: application\/json' -d '(.*)'$/.exec(cmd);
    expect(m).not.toBeNull();
    const body = JSON.parse(m![1]!);
    const rs = body.resourceSpans[0];
    expect(rs.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'my-first-service' } }]);
    const s = rs.scopeSpans[0].spans[0];
    expect(s).toMatchObject({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'hello-otlp', startTimeUnixNano: '1700000000123000000', endTimeUnixNano: '1700000000165000000' });
    // A shell single-quoted string cannot contain a single quote.
    expect(m![1]).not.toContain("'");
  });

  it('makes random hex ids of the right length', () => {
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
    expect(randomHex(2, (a) => a.fill(10))).toBe('0a0a');
    expect(randomHex(16)).not.toBe(randomHex(16));
  });
});
