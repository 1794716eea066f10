import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../src/server/csp.js';
import { loadConfig } from '../src/server/config.js';
import { pickHeaders } from '../src/server/proxy.js';
import { burstSize, describeAnswer, orderPath, paramsFromForm, SCENARIOS, traceIdOf, traceUrl } from '../src/web/lib/orders.js';

describe('page logic', () => {
  it('scenario buttons send the seed calls', () => {
    expect(orderPath(SCENARIOS.normal!.params)).toBe('/api/order?productName=Book&delay=100');
    expect(orderPath(SCENARIOS['out-of-stock']!.params)).toBe('/api/order?productName=OutOfStockItem&delay=100');
    expect(orderPath(SCENARIOS['payment-timeout']!.params)).toBe('/api/order?productName=Book&delay=600');
    expect(orderPath(SCENARIOS['payment-failure']!.params)).toBe('/api/order?productName=Book&delay=100&fail=true');
  });
  it('the form: values are encoded, not interpreted', () => {
    const p = paramsFromForm({ productName: " Book'; DROP TABLE x;--&a=b ", quantity: '2', delay: '', fail: false });
    expect(p).toEqual({ productName: "Book'; DROP TABLE x;--&a=b", quantity: 2, delay: undefined, fail: false });
    expect(orderPath(p)).toBe('/api/order?productName=Book%27%3B+DROP+TABLE+x%3B--%26a%3Db&quantity=2');
  });
  it('trace id from traceresponse, else the body', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceIdOf(`00-${id}-00f067aa0ba902b7-01`, {})).toBe(id);
    expect(traceIdOf(null, { traceId: id.toUpperCase() })).toBe(id);
    expect(traceIdOf('bogus', { traceId: 'nope' })).toBeUndefined();
    expect(traceUrl('http://127.0.0.1:3000/', id)).toBe(`http://127.0.0.1:3000/trace/${id}`);
  });
  it('describes answers', () => {
    expect(describeAnswer(200, { status: 'CONFIRMED', orderId: 'o-1' })).toBe('CONFIRMED order o-1');
    expect(describeAnswer(409, { error: 'OUT_OF_STOCK', message: 'Not enough stock' })).toBe('OUT_OF_STOCK: Not enough stock');
    expect(describeAnswer(502, undefined)).toBe('HTTP 502 (not JSON)');
    expect(describeAnswer(0, undefined)).toBe('no answer');
  });
  it('burst size is bounded', () => {
    expect(burstSize('10')).toBe(10);
    for (const bad of ['0', '201', '2.5', 'ten', '']) expect(burstSize(bad)).toMatch(/from 1 to 200/);
  });
});

describe('server pieces', () => {
  it('CSP: no unsafe-inline, OTLP origin allowed for connect', () => {
    const csp = contentSecurityPolicy('http://127.0.0.1:4318/v1/traces');
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:4318;");
  });
  it('config defaults and errors', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8000, orderUrl: 'http://127.0.0.1:8080', tracehubUiUrl: 'http://127.0.0.1:3000', otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces' });
    expect(() => loadConfig({ PORT: 'x' })).toThrow('PORT: x is not a port number');
    expect(() => loadConfig({ ORDER_URL: 'nope' })).toThrow('ORDER_URL: "nope" is not a URL');
  });
  it('forwards only the trace context and content headers', () => {
    expect(pickHeaders({ traceparent: 'tp', tracestate: 'a=1', baggage: ['k=v', 'x=y'], cookie: 'secret', host: 'h' }, ['traceparent', 'tracestate', 'baggage'])).toEqual({
      traceparent: 'tp',
      tracestate: 'a=1',
      baggage: 'k=v,x=y',
    });
  });
});
