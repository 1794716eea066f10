import { afterEach, describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describeFaults, getFaults, handleAdminRequest, handleFaultsRequest, isLoopback, LAB_FAULTS_ATTRIBUTE, NO_FAULTS, parseFaults, setFaults } from '../src/faults.js';
import { LabFaultsSpanProcessor } from '../src/faults-processor.js';

afterEach(() => {
  setFaults({});
});

describe('fault switches', () => {
  it('describe: only the active switches, in one short string', () => {
    expect(describeFaults(NO_FAULTS)).toBe('');
    expect(describeFaults({ ...NO_FAULTS, 'payment.latency': 300, 'payment.jitter': 100, 'payment.errorRate': 50 })).toBe('payment.latency=300ms±100ms,payment.errorRate=50%');
    expect(describeFaults({ ...NO_FAULTS, 'payment.unreachable': true, 'payment.retries': 3, 'stock.slowQuery': 200, 'order.nPlusOne': 10 })).toBe(
      'payment.unreachable,payment.retries=3(backoff 50ms),stock.slowQuery=200ms,order.nPlusOne=10',
    );
    // Backoff alone changes nothing, so it is not a fault.
    expect(describeFaults({ ...NO_FAULTS, 'payment.retryBackoff': 500 })).toBe('');
  });

  it.each([
    [[], 'The body must be a JSON object'],
    [{ nope: 1 }, 'Unknown switch "nope"'],
    [{ 'payment.unreachable': 'yes' }, 'payment.unreachable must be true or false.'],
    [{ 'payment.latency': -1 }, 'payment.latency must be a whole number from 0 to 30000 (ms); got -1.'],
    [{ 'payment.retries': 1.5 }, 'payment.retries must be a whole number from 0 to 5; got 1.5.'],
    [{ 'order.nPlusOne': '3' }, 'order.nPlusOne must be a whole number from 0 to 100; got "3".'],
  ])('rejects %j naming the switch', (body, message) => {
    const r = parseFaults(body);
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message).toContain(message);
  });

  it('admin requests: PATCH changes the given switches, PUT replaces, DELETE turns all off', () => {
    expect(handleFaultsRequest('PATCH', { 'payment.errorRate': 20 }).body).toMatchObject({ active: 'payment.errorRate=20%' });
    expect(handleFaultsRequest('PATCH', { 'stock.slowQuery': 100 }).body).toMatchObject({ active: 'payment.errorRate=20%,stock.slowQuery=100ms' });
    expect(handleFaultsRequest('PUT', { 'order.nPlusOne': 2 }).body).toMatchObject({ active: 'order.nPlusOne=2' });
    expect(getFaults()['payment.errorRate']).toBe(0);
    expect(handleFaultsRequest('GET', undefined).body).toMatchObject({ active: 'order.nPlusOne=2' });
    expect(handleFaultsRequest('DELETE', undefined).body).toEqual({ faults: NO_FAULTS, active: '' });
    const bad = handleFaultsRequest('PATCH', { 'payment.errorRate': 101 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'INVALID_FAULTS' });
    expect(handleFaultsRequest('POST', {}).status).toBe(405);
  });

  it('the admin API: 403 from another machine (nothing changes), the request handled from this one', () => {
    const far = handleAdminRequest('192.168.1.9', 'PATCH', { 'payment.errorRate': 100 });
    expect(far).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
    expect(getFaults()['payment.errorRate']).toBe(0);
    expect(handleAdminRequest(undefined, 'GET', undefined).status).toBe(403);
    expect(handleAdminRequest('::1', 'PATCH', { 'payment.errorRate': 100 })).toMatchObject({ status: 200, body: { active: 'payment.errorRate=100%' } });
  });

  it('loopback only', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.2']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:192.168.1.2', '', undefined]) expect(isLoopback(a)).toBe(false);
  });
});

describe('LabFaultsSpanProcessor', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new LabFaultsSpanProcessor(), new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const faultsOf = () => exporter.getFinishedSpans().map((s) => s.attributes[LAB_FAULTS_ATTRIBUTE]);

  afterEach(() => exporter.reset());

  it('tags spans started while a switch is on, and only those', () => {
    tracer.startSpan('before').end();
    setFaults({ 'payment.errorRate': 50 });
    const during = tracer.startSpan('during');
    setFaults({});
    during.end();
    tracer.startSpan('after').end();
    expect(faultsOf()).toEqual([undefined, 'payment.errorRate=50%', undefined]);
  });
});
