import { afterEach, describe, expect, it, vi } from 'vitest';
import { createForwarder, type Forwarder } from '../../src/forward/forwarder.js';
import { startOtlpPeer, type OtlpPeer } from './otlp-peer.js';

const WAIT = { timeout: 30_000, interval: 20 };
let peer: OtlpPeer | undefined;
let fwd: Forwarder | undefined;

afterEach(async () => {
  await fwd?.close(0);
  await peer?.close();
  fwd = undefined;
  peer = undefined;
});

const body = (n: number, size = 16) => new Uint8Array(size).fill(n);

describe('forwarder against a real OTLP/HTTP peer', () => {
  it('posts every batch as protobuf, in order, with the configured headers', async () => {
    peer = await startOtlpPeer();
    fwd = createForwarder({ endpoint: `${peer.url}/`, headers: { authorization: 'Bearer t' } });
    for (let i = 1; i <= 5; i++) fwd.enqueue('traces', body(i), i);
    fwd.enqueue('logs', body(9), 4);
    await vi.waitFor(() => expect(fwd!.stats().sentBatches).toBe(6), WAIT);
    const st = fwd.stats();
    expect(st).toMatchObject({ sentSpans: 15, sentLogRecords: 4, droppedSpans: 0, queuedBatches: 0, pendingItems: 0, failedAttempts: 0, upstreamUp: true });
    expect(peer.received.map((r) => r.path)).toEqual([...Array(5).fill('/v1/traces'), '/v1/logs']);
    expect(peer.received.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);
    expect(peer.received.every((r) => r.headers.authorization === 'Bearer t')).toBe(true);
    expect(peer.received.map((r) => r.body[0])).toEqual([1, 2, 3, 4, 5, 9]);
  });

  it('retries 503 and 429 (honouring Retry-After) and delivers once', async () => {
    peer = await startOtlpPeer();
    peer.setMode((_r, n) => (n === 1 ? { status: 503, retryAfter: '0' } : n === 2 ? { status: 429 } : { status: 200 }));
    fwd = createForwarder({ endpoint: peer.url, initialBackoffMs: 5 });
    fwd.enqueue('traces', body(1), 7);
    await vi.waitFor(() => expect(fwd!.stats().sentSpans).toBe(7), WAIT);
    expect(peer.received).toHaveLength(3);
    expect(peer.accepted).toHaveLength(1);
    expect(fwd.stats()).toMatchObject({ failedAttempts: 2, droppedSpans: 0, lastError: '' });
  });

  it('drops a batch the peer rejects with 400 at once and goes on', async () => {
    peer = await startOtlpPeer();
    peer.setMode((r) => (r.body[0] === 1 ? { status: 400 } : { status: 200 }));
    fwd = createForwarder({ endpoint: peer.url, initialBackoffMs: 5 });
    fwd.enqueue('traces', body(1), 3);
    fwd.enqueue('traces', body(2), 4);
    await vi.waitFor(() => expect(fwd!.stats().sentSpans).toBe(4), WAIT);
    const st = fwd.stats();
    expect(st.droppedSpans).toBe(3);
    expect(st.droppedByReason.rejected).toBe(3);
    expect(peer.received.filter((r) => r.body[0] === 1)).toHaveLength(1); // never retried
  });

  it('with the peer down: counts what it loses, keeps what fits, resumes when it is back', async () => {
    peer = await startOtlpPeer();
    await peer.down();
    // Room for 3 batches of 100 bytes; a batch is given up after 3 attempts.
    fwd = createForwarder({ endpoint: peer.url, maxQueueBytes: 300, maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 20 });
    fwd.enqueue('traces', body(1, 100), 10);
    await vi.waitFor(() => expect(fwd!.stats().droppedByReason.retries_exhausted).toBe(10), WAIT);
    expect(fwd.stats()).toMatchObject({ upstreamUp: false, failedAttempts: 3 });
    expect(fwd.stats().lastError).not.toBe('');

    // Enqueue never blocks: 6 more batches while down; only the newest 3 fit (+1 in flight at most).
    for (let i = 2; i <= 7; i++) fwd.enqueue('traces', body(i, 100), 10);
    const st = fwd.stats();
    expect(st.queuedBatches).toBeLessThanOrEqual(3);
    expect(st.droppedByReason.queue_full).toBeGreaterThan(0);

    await peer.up();
    await vi.waitFor(() => expect(fwd!.stats().pendingItems).toBe(0), WAIT);
    const end = fwd.stats();
    const receivedSpans = peer.accepted.length * 10;
    expect(end.upstreamUp).toBe(true);
    expect(end.sentSpans).toBe(receivedSpans);
    expect(end.sentSpans + end.droppedSpans).toBe(70);
    expect(end.sentSpans).toBeGreaterThanOrEqual(30);
    // What arrived is the newest data, in order.
    const ids = peer.accepted.map((r) => r.body[0]!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.at(-1)).toBe(7);

    // And later batches flow normally.
    fwd.enqueue('traces', body(8, 100), 5);
    await vi.waitFor(() => expect(fwd!.stats().sentSpans).toBe(end.sentSpans + 5), WAIT);
  });

  it('close() sends what it can, then counts the rest as shutdown drops', async () => {
    peer = await startOtlpPeer();
    await peer.down();
    fwd = createForwarder({ endpoint: peer.url, initialBackoffMs: 50, maxBackoffMs: 50, maxAttempts: 1000 });
    fwd.enqueue('traces', body(1), 4);
    fwd.enqueue('logs', body(2), 6);
    await fwd.close(100);
    const st = fwd.stats();
    expect(st.droppedByReason.shutdown).toBe(10);
    expect(st).toMatchObject({ droppedSpans: 4, droppedLogRecords: 6, pendingItems: 0, queuedBatches: 0 });
    fwd.enqueue('traces', body(3), 2); // after close: counted, not sent
    expect(fwd.stats().droppedSpans).toBe(6);
  });

  it('rejects an endpoint that is not an http URL', () => {
    expect(() => createForwarder({ endpoint: 'collector:4318' })).toThrow(/http/);
  });
});
