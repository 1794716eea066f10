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
  it('only from this machine', async () => {
    const app = Fastify();
    adminRoutes(app);
    const far = await app.inject({ method: 'PATCH', url: '/admin/faults', remoteAddress: '192.168.1.9', payload: { 'payment.errorRate': 100 } });
    expect(far.statusCode).toBe(403);
    expect(far.json()).toMatchObject({ error: 'FORBIDDEN' });
    const near = await app.inject({ method: 'GET', url: '/admin/faults', remoteAddress: '127.0.0.1' });
    expect(near.statusCode).toBe(200);
    expect(near.json().active).toBe('');
    await app.close();
  });
});
