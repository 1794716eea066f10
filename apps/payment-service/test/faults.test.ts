// payment-service's side of the lab's fault switches, in process: how the switches change a
// payment, and the admin API answering only this machine (the state and its parsing are
// @tracelab/lab-faults' tests; the switches end to end are order-service's lab-faults.test.ts).
import { setFaults } from '@tracelab/lab-faults';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { adminRoutes } from '../src/admin.js';
import { applyPaymentFaults } from '../src/faults.js';

afterEach(() => {
  setFaults({});
});

describe('applyPaymentFaults', () => {
  it('latency plus jitter, error rate', () => {
    const input = { orderId: 'o', productName: 'Book', quantity: 1, delay: 100, fail: false };
    expect(applyPaymentFaults(input)).toBe(input);
    setFaults({ 'payment.latency': 200, 'payment.jitter': 100 });
    expect(applyPaymentFaults(input, () => 0.5)).toEqual({ ...input, delay: 350 });
    setFaults({ 'payment.errorRate': 30 });
    expect(applyPaymentFaults(input, () => 0.29).fail).toBe(true);
    expect(applyPaymentFaults(input, () => 0.3).fail).toBe(false);
  });
});

describe('admin API', () => {
  it('mounted at /admin/faults behind the loopback guard of @tracelab/lab-faults', async () => {
    const app = Fastify();
    adminRoutes(app);
    expect((await app.inject({ method: 'DELETE', url: '/admin/faults', remoteAddress: '10.0.0.7' })).statusCode).toBe(403);
    const set = await app.inject({ method: 'PUT', url: '/admin/faults', remoteAddress: '127.0.0.1', payload: { 'payment.latency': 25 } });
    expect([set.statusCode, set.json().active]).toEqual([200, 'payment.latency=25ms']);
    expect(applyPaymentFaults({ orderId: 'o', productName: 'Book', quantity: 1, delay: 0, fail: false }).delay).toBe(25);
    await app.close();
  });
});
