import { describe, expect, it } from 'vitest';
import { ByteBoundedQueue } from '../../src/forward/byte-queue.js';
import { backoffDelay, classifyStatus, parseRetryAfter } from '../../src/forward/retry-policy.js';

describe('classifyStatus', () => {
  it('retries only 429/502/503/504', () => {
    expect([200, 204].map(classifyStatus)).toEqual(['sent', 'sent']);
    expect([429, 502, 503, 504].map(classifyStatus)).toEqual(['retry', 'retry', 'retry', 'retry']);
    expect([400, 401, 403, 404, 413, 415, 500, 501].map(classifyStatus)).toEqual(Array(8).fill('drop'));
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or junk values', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt within [exp/2, exp] and caps', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(4, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(30, 100, 10_000, () => 1)).toBe(10_000);
    expect(backoffDelay(30, 100, 10_000, () => 0)).toBe(5_000);
  });
});

describe('ByteBoundedQueue', () => {
  const item = (id: number, bytes: number) => ({ id, bytes });
  it('evicts the oldest items to fit a new one', () => {
    const q = new ByteBoundedQueue<{ id: number; bytes: number }>(10);
    expect(q.push(item(1, 4))).toEqual([]);
    expect(q.push(item(2, 4))).toEqual([]);
    expect(q.push(item(3, 4))).toEqual([item(1, 4)]);
    expect(q.bytes).toBe(8);
    expect(q.shift()).toEqual(item(2, 4));
    expect(q.length).toBe(1);
  });
  it('refuses an item larger than the bound, keeping the rest', () => {
    const q = new ByteBoundedQueue<{ id: number; bytes: number }>(10);
    q.push(item(1, 4));
    expect(q.push(item(2, 11))).toEqual([item(2, 11)]);
    expect(q.length).toBe(1);
  });
  it('stays FIFO across many pushes and compactions', () => {
    const q = new ByteBoundedQueue<{ id: number; bytes: number }>(1_000_000);
    for (let i = 0; i < 5000; i++) q.push(item(i, 1));
    const out: number[] = [];
    for (let i = 0; i < 3000; i++) out.push(q.shift()!.id);
    for (let i = 5000; i < 6000; i++) q.push(item(i, 1));
    while (q.length) out.push(q.shift()!.id);
    expect(out).toEqual([...Array(6000).keys()]);
    expect(q.bytes).toBe(0);
  });
});
