// The scenario runner's span tree text (scripts/lib/span-tree.mjs), pure.
import { describe, expect, it } from 'vitest';
import { formatDuration, renderSpanTree } from '../../../scripts/lib/span-tree.mjs';

const span = (id: string, parent: string | null, name: string, start: number, ms: number, extra: Record<string, unknown> = {}) => ({
  spanId: id,
  parentSpanId: parent,
  name,
  kind: 'internal',
  service: 'order-service',
  startTimeUnixNano: String(BigInt(start) * 1_000_000n),
  durationMs: ms,
  status: { code: 'unset', message: '' },
  events: [],
  ...extra,
});

describe('renderSpanTree', () => {
  it('draws children in start order with durations and the failing span', () => {
    const spans = [
      span('c', 'a', 'call-payment-api', 3, 500.5, {
        status: { code: 'error', message: '' },
        events: [{ name: 'exception', attributes: [{ key: 'exception.message', value: { type: 'string', value: 'timed out' } }] }],
      }),
      span('a', null, 'GET /order', 0, 512, { kind: 'server', status: { code: 'error', message: '' } }),
      span('b', 'a', 'check-stock', 1, 2.04),
      span('d', 'b', 'UPDATE products', 1, 1.5, { kind: 'client' }),
      span('e', 'a', 'release-stock', 505, 5.59),
    ];
    expect(renderSpanTree(spans)).toBe(
      [
        'GET /order [order-service, server] 512.0 ms  ERROR',
        '├─ check-stock [order-service, internal] 2.04 ms',
        '│  └─ UPDATE products [order-service, client] 1.50 ms',
        '├─ call-payment-api [order-service, internal] 500.5 ms  ERROR: timed out',
        '└─ release-stock [order-service, internal] 5.59 ms',
      ].join('\n'),
    );
  });

  it('shows a span whose parent never arrived as a root, saying so', () => {
    expect(renderSpanTree([span('x', 'missing', 'process-payment', 0, 100)])).toBe(
      'process-payment [order-service, internal] 100.0 ms (parent span not received)',
    );
  });

  it('formats durations for reading', () => {
    expect(formatDuration(0.421)).toBe('0.42 ms');
    expect(formatDuration(1520)).toBe('1.52 s');
  });
});
