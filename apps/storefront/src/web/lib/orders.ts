// What the page sends and how it reads the answers. Pure (no DOM), unit-tested.

export interface OrderParams {
  productName: string;
  quantity?: number;
  delay?: number;
  fail?: boolean;
}

/** The seed's three scenarios (and a payment failure), as the page's buttons fire them. */
export const SCENARIOS: Record<string, { label: string; expect: string; params: OrderParams }> = {
  normal: { label: 'Normal order', expect: '200 CONFIRMED', params: { productName: 'Book', delay: 100 } },
  'out-of-stock': { label: 'Out of stock', expect: '409 OUT_OF_STOCK', params: { productName: 'OutOfStockItem', delay: 100 } },
  'payment-timeout': { label: 'Payment timeout', expect: '504 PAYMENT_TIMEOUT', params: { productName: 'Book', delay: 600 } },
  'payment-failure': { label: 'Payment failure', expect: '502 PAYMENT_FAILED', params: { productName: 'Book', delay: 100, fail: true } },
};

/** GET /api/order?… on the storefront server, which proxies to order-service's GET /order. */
export function orderPath(p: OrderParams): string {
  const q = new URLSearchParams({ productName: p.productName });
  if (p.quantity !== undefined) q.set('quantity', String(p.quantity));
  if (p.delay !== undefined) q.set('delay', String(p.delay));
  if (p.fail) q.set('fail', 'true');
  return `/api/order?${q.toString()}`;
}

/** Reads the custom-order form's fields; order-service validates the values, the page only trims. */
export function paramsFromForm(fields: { productName: string; quantity: string; delay: string; fail: boolean }): OrderParams {
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));
  return { productName: fields.productName.trim(), quantity: num(fields.quantity), delay: num(fields.delay), fail: fields.fail };
}

const TRACE_RESPONSE = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i;

/** The trace the answer belongs to: the W3C traceresponse header, else the body's traceId. */
export function traceIdOf(traceresponse: string | null, body: unknown): string | undefined {
  const m = traceresponse ? TRACE_RESPONSE.exec(traceresponse.trim()) : null;
  if (m) return m[1]!.toLowerCase();
  const id = (body as { traceId?: unknown } | undefined)?.traceId;
  return typeof id === 'string' && /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : undefined;
}

/** One line saying what the answer was: "CONFIRMED order 1a2b…" or "OUT_OF_STOCK: Not enough stock…". */
export function describeAnswer(status: number, body: unknown): string {
  if (typeof body !== 'object' || body === null) return status === 0 ? 'no answer' : `HTTP ${status} (not JSON)`;
  const b = body as Record<string, unknown>;
  if (typeof b.status === 'string') return `${b.status}${typeof b.orderId === 'string' ? ` order ${b.orderId}` : ''}`;
  if (typeof b.error === 'string') return `${b.error}${typeof b.message === 'string' ? `: ${b.message}` : ''}`;
  return `HTTP ${status}`;
}

/** The trace in tracehub's UI. */
export function traceUrl(tracehubUiUrl: string, traceId: string): string {
  return `${tracehubUiUrl.replace(/\/+$/, '')}/trace/${traceId}`;
}

/** How many orders a burst may fire at once: enough to contend for stock, not enough to hang a laptop. */
export const MAX_BURST = 200;

export function burstSize(text: string): number | string {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1 || n > MAX_BURST) return `Burst size must be a whole number from 1 to ${MAX_BURST}.`;
  return n;
}
