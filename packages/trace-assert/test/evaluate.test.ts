import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate.js';
import { parseSpecs } from '../src/spec.js';
import { normalTrace, outOfStockTrace, span } from './fixtures.js';

const specOf = (assertions: string, extra = '') =>
  parseSpecs(`name: t\nrequest: { path: /order }\nresponse: { status: 200 }\n${extra}assertions:\n${assertions}`, 't.yaml')[0]!;
const ok = { status: 200, body: { status: 'CONFIRMED' } };
const failed = (results: ReturnType<typeof evaluate>) => results.filter((r) => !r.pass);

describe('evaluate', () => {
  it('passes a spec that matches the trace', () => {
    const spec = specOf(`
  - span: GET /order
    root: true
    kind: server
    attributes: { http.response.status_code: 200, http.route: /order, lab.faults: null }
  - span: process-payment
    service: payment-service
    under: POST /payments
    parent: POST /payments
    minDuration: 100ms
    maxDuration: 300ms
    attributes: { tracelab.payment.delay_ms: /^1\\d\\d$/ }
  - span: '*'
    under: save-order
    max: 3
`);
    const results = evaluate(spec, ok, normalTrace());
    expect(failed(results)).toEqual([]);
    expect(results.length).toBeGreaterThan(8);
  });

  it('fails a count limit and names every offending span', () => {
    const spec = specOf(`
  - span: '*'
    under: save-order
    max: 3
`);
    const trace = normalTrace(5);
    const [r] = failed(evaluate(spec, ok, trace));
    expect(r!.title).toBe('assertions[0] "*" under "save-order": at most 3 spans');
    expect(r!.failures[0]).toMatch(/^found 5: /);
    for (const s of trace.filter((x) => x.kind === 'client' && x.startTimeUnixNano > trace[7]!.startTimeUnixNano)) {
      expect(r!.failures[0]).toContain(s.spanId);
    }
    // The UPDATE under check-stock is not under save-order.
    expect(r!.failures[0]).not.toContain(trace[2]!.spanId);
  });

  it('names the span and the rule when a status, message or exception is wrong', () => {
    const spec = specOf(`
  - span: check-stock
    status: ok
    message: Payment
    exception: /timed? out/
`);
    const trace = outOfStockTrace();
    const bad = failed(evaluate(spec, ok, trace));
    expect(bad.map((r) => r.title)).toEqual([
      'assertions[0] "check-stock": status is ok',
      'assertions[0] "check-stock": status message matches "Payment"',
      'assertions[0] "check-stock": records an exception matching "/timed? out/"',
    ]);
    expect(bad[0]!.failures).toEqual([`span "check-stock" [order-service] ${trace[1]!.spanId}: status is error ("Not enough stock for \\"OutOfStockItem\\": wanted 1, 0 left.")`]);
    expect(bad[2]!.failures[0]).toContain('exception messages are "Not enough stock');
  });

  it('checks parent, root and kind', () => {
    const spec = specOf(`
  - span: check-stock
    parent: call-payment-api
  - span: process-payment
    root: true
  - span: POST
    kind: server
`);
    const bad = failed(evaluate(spec, ok, outOfStockTrace().concat(normalTrace().slice(3))));
    expect(bad.map((r) => r.failures[0]!.replace(/ [0-9a-f]{16}/, ''))).toEqual([
      'span "check-stock" [order-service]: parent is "GET /order" [order-service]',
      'span "process-payment" [payment-service]: has parent "POST /payments" [payment-service]',
      'span "POST" [order-service]: kind is client',
    ]);
  });

  it('a missing span fails its count and skips the property checks', () => {
    const results = evaluate(specOf(`  - span: release-stock\n    status: ok\n`), ok, normalTrace());
    expect(results.map((r) => [r.title, r.pass])).toEqual([
      ['response: HTTP status is 200', true],
      ['assertions[0] "release-stock": exists', false],
    ]);
    expect(results[1]!.failures).toEqual(['found 0']);
  });

  it('absent spans: max 0 fails when one is there', () => {
    const [r] = failed(evaluate(specOf(`  - span: call-payment-api\n    max: 0\n`), ok, normalTrace()));
    expect(r!.title).toBe('assertions[0] "call-payment-api": is absent');
  });

  it('attribute rules: wrong value, missing, must be absent', () => {
    const trace = normalTrace();
    trace[0]!.attributes.push({ key: 'lab.faults', value: { type: 'string', value: 'payment.errorRate=100' } });
    const spec = specOf(`
  - span: GET /order
    attributes: { http.response.status_code: 201, http.request.method: GET, lab.faults: null }
`);
    const bad = failed(evaluate(spec, ok, trace));
    expect(bad.map((r) => r.title.split(': ')[1])).toEqual(['attribute http.response.status_code = 201', 'attribute http.request.method = "GET"', 'has no attribute lab.faults']);
    expect(bad.map((r) => r.failures[0]!.split(': ')[1])).toEqual(['http.response.status_code is "200"', 'has no attribute http.request.method', 'lab.faults is "payment.errorRate=100"']);
  });

  it('duration bounds name the span and its duration', () => {
    const [r] = failed(evaluate(specOf(`  - span: call-payment-api\n    maxDuration: 100ms\n`), ok, normalTrace()));
    expect(r!.failures[0]).toMatch(/call-payment-api.*: lasts 150\.0 ms$/);
  });

  it('regex and glob names select spans', () => {
    const results = evaluate(specOf(`  - span: /^(UPDATE|INSERT) /\n    count: 2\n  - span: POST*\n    count: 2\n  - span: process-paymen?\n    count: 1\n`), ok, normalTrace());
    expect(failed(results)).toEqual([]);
  });

  it('response and trace-level rules', () => {
    const spec = parseSpecs(
      `name: t\nrequest: { path: /order }\nresponse: { status: 200, body: { status: CONFIRMED, quantity: 2 } }\ntrace: { services: [order-service, payment-service, storefront], minSpans: 20, maxSpans: 3, maxDuration: 100ms }\nassertions: []\n`,
      't.yaml',
    )[0]!;
    const bad = failed(evaluate(spec, { status: 502, body: { status: 'CONFIRMED', quantity: 1 } }, normalTrace()));
    expect(bad.map((r) => `${r.title} | ${r.failures.join(';')}`)).toEqual([
      'response: HTTP status is 200 | got HTTP 502',
      'response: body has {"status":"CONFIRMED","quantity":2} | body.quantity is 1, expected 2',
      'trace: has spans of service storefront | no span of storefront; services present: order-service, payment-service',
      'trace: at least 20 spans | the trace has 9 spans',
      'trace: at most 3 spans | the trace has 9 spans',
      'trace: lasts at most 100.0 ms | the trace lasts 200.0 ms',
    ]);
  });

  it('a span whose parent is missing is reported as such', () => {
    const orphan = span('process-payment', null, { service: 'payment-service' });
    orphan.parentSpanId = 'ffffffffffffffff';
    const [r] = failed(evaluate(specOf(`  - span: process-payment\n    parent: POST /payments\n`), ok, [orphan]));
    expect(r!.failures[0]).toContain('parent is ffffffffffffffff (not in the trace)');
  });
});
