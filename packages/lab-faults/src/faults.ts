/**
 * The lab's fault switches: one process-wide state per service, changed at
 * run time through the services' admin API (`/admin/faults`), read by the
 * code that misbehaves on purpose and by the span processor that tags every
 * span started while a switch is on with `lab.faults`. Parsing and
 * describing are pure.
 */

/** The switches, by the name used in the admin API and in `lab.faults`. */
export interface LabFaults {
  /** payment-service: ms added to every payment. */
  'payment.latency': number;
  /** payment-service: plus a uniform random 0..jitter ms. */
  'payment.jitter': number;
  /** payment-service: percentage (0..100) of payments that fail (500). */
  'payment.errorRate': number;
  /** order-service: payment calls go to a port where nothing listens (connection refused → 502). */
  'payment.unreachable': boolean;
  /** order-service: retry a failed payment call up to N times... */
  'payment.retries': number;
  /** ...waiting this many ms before the first retry, doubling each time. */
  'payment.retryBackoff': number;
  /** order-service: check-stock first runs `SELECT pg_sleep(ms / 1000)`. */
  'stock.slowQuery': number;
  /** order-service: save-order runs N extra one-row queries, one per "line" (the N+1 pattern). */
  'order.nPlusOne': number;
}
export type FaultName = keyof LabFaults;

/** Bounds for every numeric switch; booleans have none. */
export const FAULT_LIMITS: Record<Exclude<FaultName, 'payment.unreachable'>, { max: number; unit: string }> = {
  'payment.latency': { max: 30_000, unit: 'ms' },
  'payment.jitter': { max: 30_000, unit: 'ms' },
  'payment.errorRate': { max: 100, unit: '%' },
  'payment.retries': { max: 5, unit: '' },
  'payment.retryBackoff': { max: 5_000, unit: 'ms' },
  'stock.slowQuery': { max: 10_000, unit: 'ms' },
  'order.nPlusOne': { max: 100, unit: '' },
};

export const NO_FAULTS: Readonly<LabFaults> = Object.freeze({
  'payment.latency': 0,
  'payment.jitter': 0,
  'payment.errorRate': 0,
  'payment.unreachable': false,
  'payment.retries': 0,
  'payment.retryBackoff': 50,
  'stock.slowQuery': 0,
  'order.nPlusOne': 0,
});

export const FAULT_NAMES = Object.keys(NO_FAULTS) as FaultName[];

/** The attribute every span started while a switch is on carries. */
export const LAB_FAULTS_ATTRIBUTE = 'lab.faults';

/** Validates a (partial) change; unknown names and out-of-range values are errors naming the switch. */
export function parseFaults(raw: unknown): { ok: true; value: Partial<LabFaults> } | { ok: false; message: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: 'The body must be a JSON object of switches, e.g. {"payment.errorRate": 50}.' };
  const out: Partial<Record<FaultName, number | boolean>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(FAULT_NAMES as string[]).includes(key)) return { ok: false, message: `Unknown switch ${JSON.stringify(key)}; switches: ${FAULT_NAMES.join(', ')}.` };
    const name = key as FaultName;
    if (name === 'payment.unreachable') {
      if (typeof value !== 'boolean') return { ok: false, message: 'payment.unreachable must be true or false.' };
      out[name] = value;
      continue;
    }
    const { max, unit } = FAULT_LIMITS[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      return { ok: false, message: `${name} must be a whole number from 0 to ${max}${unit ? ` (${unit})` : ''}; got ${JSON.stringify(value)}.` };
    }
    out[name] = value;
  }
  return { ok: true, value: out as Partial<LabFaults> };
}

/**
 * The active switches as one short string, e.g.
 * `payment.latency=300ms±100ms,payment.errorRate=50%`; '' when all are off.
 * Retry backoff only shows with retries on; jitter joins latency.
 */
export function describeFaults(f: LabFaults): string {
  const parts: string[] = [];
  if (f['payment.latency'] > 0 || f['payment.jitter'] > 0) parts.push(`payment.latency=${f['payment.latency']}ms${f['payment.jitter'] > 0 ? `±${f['payment.jitter']}ms` : ''}`);
  if (f['payment.errorRate'] > 0) parts.push(`payment.errorRate=${f['payment.errorRate']}%`);
  if (f['payment.unreachable']) parts.push('payment.unreachable');
  if (f['payment.retries'] > 0) parts.push(`payment.retries=${f['payment.retries']}(backoff ${f['payment.retryBackoff']}ms)`);
  if (f['stock.slowQuery'] > 0) parts.push(`stock.slowQuery=${f['stock.slowQuery']}ms`);
  if (f['order.nPlusOne'] > 0) parts.push(`order.nPlusOne=${f['order.nPlusOne']}`);
  return parts.join(',');
}

// One state per process, shared even if two copies of this module are loaded
// (say, a service's dist and a test importing the source).
const KEY = Symbol.for('tracelab.labFaults');
interface Holder {
  faults: LabFaults;
  description: string;
}
const holder: Holder = ((globalThis as Record<symbol, Holder>)[KEY] ??= { faults: { ...NO_FAULTS }, description: '' });

export function getFaults(): Readonly<LabFaults> {
  return holder.faults;
}

/** The active switches as `lab.faults` shows them; '' when none. */
export function activeFaults(): string {
  return holder.description;
}

/** Replaces the whole state (missing switches are off). */
export function setFaults(next: Partial<LabFaults>): Readonly<LabFaults> {
  holder.faults = { ...NO_FAULTS, ...next };
  holder.description = describeFaults(holder.faults);
  return holder.faults;
}

/** Changes only the switches given. */
export function patchFaults(change: Partial<LabFaults>): Readonly<LabFaults> {
  return setFaults({ ...holder.faults, ...change });
}

/**
 * The admin API without a web framework: method + body → status + JSON.
 * GET shows, PUT replaces, PATCH changes the switches given, DELETE turns all off.
 */
export function handleFaultsRequest(method: string, body: unknown): { status: number; body: object } {
  const show = () => ({ faults: holder.faults, active: holder.description });
  switch (method) {
    case 'GET':
      return { status: 200, body: show() };
    case 'DELETE':
      setFaults({});
      return { status: 200, body: show() };
    case 'PUT':
    case 'PATCH': {
      const parsed = parseFaults(body ?? {});
      if (!parsed.ok) return { status: 400, body: { error: 'INVALID_FAULTS', message: parsed.message } };
      if (method === 'PUT') setFaults(parsed.value);
      else patchFaults(parsed.value);
      return { status: 200, body: show() };
    }
    default:
      return { status: 405, body: { error: 'METHOD_NOT_ALLOWED', message: 'Use GET, PUT, PATCH or DELETE on /admin/faults.' } };
  }
}

/**
 * The admin API as the services mount it: 403 for a request from another machine
 * (`remoteAddress` not loopback), else handleFaultsRequest.
 */
export function handleAdminRequest(remoteAddress: string | undefined, method: string, body: unknown): { status: number; body: object } {
  if (!isLoopback(remoteAddress)) return { status: 403, body: { error: 'FORBIDDEN', message: 'The admin API answers only requests from this machine (127.0.0.1).' } };
  return handleFaultsRequest(method, body);
}

/** The admin API answers only the machine itself. */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}
