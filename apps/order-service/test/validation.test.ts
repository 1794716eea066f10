import { describe, expect, it } from 'vitest';
import { parseOrderInput } from '../src/validation.js';
import { toErrorResponse, ServiceError } from '../src/errors.js';
import { loadConfig } from '../src/config.js';

const fieldOf = (raw: unknown) => {
  const r = parseOrderInput(raw);
  return r.ok ? null : r.error.field;
};

describe('parseOrderInput', () => {
  it('accepts the seed call from a query string, with defaults', () => {
    expect(parseOrderInput({ productName: 'Book', delay: '100' })).toEqual({
      ok: true,
      value: { productName: 'Book', quantity: 1, delay: 100, fail: false },
    });
  });
  it('accepts a JSON body with numbers and booleans', () => {
    expect(parseOrderInput({ productName: 'Book', quantity: 3, delay: 0, fail: true })).toEqual({
      ok: true,
      value: { productName: 'Book', quantity: 3, delay: 0, fail: true },
    });
  });
  it.each([
    [{}, 'productName'],
    [{ productName: '' }, 'productName'],
    [{ productName: '   ' }, 'productName'],
    [{ productName: ['Book', 'Book'] }, 'productName'],
    [{ productName: 'x'.repeat(101) }, 'productName'],
    [{ productName: 'Book', delay: 'abc' }, 'delay'],
    [{ productName: 'Book', delay: '-1' }, 'delay'],
    [{ productName: 'Book', delay: '1.5' }, 'delay'],
    [{ productName: 'Book', delay: '10001' }, 'delay'],
    [{ productName: 'Book', delay: 1e20 }, 'delay'],
    [{ productName: 'Book', quantity: '0' }, 'quantity'],
    [{ productName: 'Book', quantity: 2.5 }, 'quantity'],
    [{ productName: 'Book', quantity: '1001' }, 'quantity'],
    [{ productName: 'Book', fail: 'yes' }, 'fail'],
    [[1, 2], 'body'],
    [null, 'body'],
  ])('%j is refused, naming %s', (raw, field) => {
    expect(fieldOf(raw)).toBe(field);
  });
  it('names the bad value in the message', () => {
    const r = parseOrderInput({ productName: 'Book', delay: 'soon' });
    expect(!r.ok && r.error.message).toBe('delay must be an integer between 0 and 10000 (got "soon").');
  });
});

describe('toErrorResponse', () => {
  it('maps catalogue errors with their status and field', () => {
    expect(toErrorResponse(new ServiceError('INVALID_REQUEST', 'bad', 'delay'))).toEqual({
      status: 400,
      body: { error: 'INVALID_REQUEST', message: 'bad', field: 'delay' },
    });
  });
  it('never leaks unexpected errors', () => {
    const r = toErrorResponse(new Error('secret connection string'));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('secret');
  });
});

describe('loadConfig', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toMatchObject({ port: 8080, host: '127.0.0.1', paymentTimeoutMs: 500, paymentUrl: 'http://127.0.0.1:8081' });
  });
  it('refuses a malformed number, naming the variable', () => {
    expect(() => loadConfig({ PAYMENT_TIMEOUT_MS: 'fast' })).toThrow(/PAYMENT_TIMEOUT_MS/);
  });
});
