// The fault panel's form ↔ the admin API's switches. Pure.

export interface FaultField {
  name: string;
  label: string;
  kind: 'number' | 'boolean';
  max?: number;
  /** What turning it on shows in the traces. */
  shows: string;
}

/** In the order the panel shows them; names as in the admin API and `lab.faults`. */
export const FAULT_FIELDS: FaultField[] = [
  { name: 'payment.latency', label: 'Payment latency (ms)', kind: 'number', max: 30000, shows: 'process-payment takes longer; past 500 ms, call-payment-api times out (504)' },
  { name: 'payment.jitter', label: '± jitter (ms)', kind: 'number', max: 30000, shows: 'payment durations spread out' },
  { name: 'payment.errorRate', label: 'Payment error rate (%)', kind: 'number', max: 100, shows: 'that share of process-payment spans is ERROR, orders 502' },
  { name: 'payment.unreachable', label: 'Payment-service unreachable', kind: 'boolean', shows: 'the POST client span fails to connect, call-payment-api ERROR, 502' },
  { name: 'payment.retries', label: 'Payment retries', kind: 'number', max: 5, shows: 'several POST spans under call-payment-api, lab.retry events' },
  { name: 'payment.retryBackoff', label: 'Retry backoff (ms)', kind: 'number', max: 5000, shows: 'gaps between the attempts, doubling' },
  { name: 'stock.slowQuery', label: 'Slow stock query (ms)', kind: 'number', max: 10000, shows: 'a pg_sleep query span inside check-stock' },
  { name: 'order.nPlusOne', label: 'N+1 queries in save-order', kind: 'number', max: 100, shows: 'N extra SELECT spans under save-order' },
];

/** Form values → the PUT body; empty numbers are 0, out-of-range is reported by the service. */
export function faultsFromForm(values: Record<string, string | boolean>): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const f of FAULT_FIELDS) {
    const v = values[f.name];
    if (f.kind === 'boolean') out[f.name] = v === true;
    else out[f.name] = typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : 0;
  }
  return out;
}
