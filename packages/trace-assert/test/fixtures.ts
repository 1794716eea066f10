import type { TraceSpan } from '../src/types.js';

let next = 1;
/** A span for tests: ids from a counter, times in ms from the trace start. */
export function span(name: string, parent: TraceSpan | null, fields: Partial<TraceSpan> & { startMs?: number; attrs?: Record<string, string | number | boolean> } = {}): TraceSpan {
  const id = (next++).toString(16).padStart(16, '0');
  const startNs = BigInt(1_700_000_000_000_000_000n) + BigInt(Math.round((fields.startMs ?? 0) * 1e6));
  const durationMs = fields.durationMs ?? 1;
  return {
    spanId: id,
    parentSpanId: parent ? parent.spanId : null,
    name,
    kind: fields.kind ?? 'internal',
    service: fields.service ?? 'order-service',
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: (startNs + BigInt(Math.round(durationMs * 1e6))).toString(),
    durationMs,
    status: fields.status ?? { code: 'unset', message: '' },
    attributes:
      fields.attributes ??
      Object.entries(fields.attrs ?? {}).map(([key, v]) => ({
        key,
        value: typeof v === 'number' ? { type: 'int', value: String(v) } : typeof v === 'boolean' ? { type: 'bool', value: v } : { type: 'string', value: v },
      })),
    events: fields.events ?? [],
  };
}

/** The seed's out-of-stock trace, as order-service emits it. */
export function outOfStockTrace(): TraceSpan[] {
  const msg = 'Not enough stock for "OutOfStockItem": wanted 1, 0 left.';
  const root = span('GET /order', null, { kind: 'server', durationMs: 20, attrs: { 'http.response.status_code': 409 } });
  const check = span('check-stock', root, {
    durationMs: 15,
    status: { code: 'error', message: msg },
    attrs: { 'tracelab.product.name': 'OutOfStockItem' },
    events: [{ name: 'exception', attributes: [{ key: 'exception.message', value: { type: 'string', value: msg } }] }],
  });
  const q1 = span('UPDATE products', check, { kind: 'client', attrs: { 'db.system.name': 'postgresql' } });
  const q2 = span('SELECT products', check, { kind: 'client', startMs: 5, attrs: { 'db.system.name': 'postgresql' } });
  return [root, check, q1, q2];
}

/** A normal order's trace, with `queries` database spans under save-order. */
export function normalTrace(queries = 1): TraceSpan[] {
  const root = span('GET /order', null, { kind: 'server', durationMs: 200, attrs: { 'http.response.status_code': 200, 'http.route': '/order' } });
  const check = span('check-stock', root, { startMs: 1 });
  const upd = span('UPDATE products', check, { kind: 'client', startMs: 1, attrs: { 'db.system.name': 'postgresql' } });
  const pay = span('call-payment-api', root, { startMs: 5, durationMs: 150 });
  const post = span('POST', pay, { kind: 'client', startMs: 6, durationMs: 140 });
  const server = span('POST /payments', post, { kind: 'server', service: 'payment-service', startMs: 7, durationMs: 130 });
  const proc = span('process-payment', server, { service: 'payment-service', startMs: 8, durationMs: 120, attrs: { 'tracelab.payment.delay_ms': 100 } });
  const save = span('save-order', root, { startMs: 160, durationMs: 30 });
  const inserts = Array.from({ length: queries }, (_, i) =>
    span(i === 0 ? 'INSERT orders' : 'SELECT products', save, { kind: 'client', startMs: 161 + i, attrs: { 'db.system.name': 'postgresql' } }),
  );
  return [root, check, upd, pay, post, server, proc, save, ...inserts];
}
