// /api/order and /api/orders → order-service. The trace context headers the
// browser's fetch instrumentation set are forwarded untouched, so
// order-service's server span is a child of the browser's fetch span; the
// answer's traceresponse header comes back to the page.
export const FORWARDED_REQUEST_HEADERS = ['traceparent', 'tracestate', 'baggage', 'content-type', 'accept'];
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'traceresponse'];

export interface Forwarded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Picks the headers to pass on (lower-case names; repeated headers joined as HTTP allows). */
export function pickHeaders(headers: Record<string, string | string[] | undefined>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = headers[name];
    if (v === undefined) continue;
    out[name] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

export async function forward(target: string, init: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number }): Promise<Forwarded> {
  let res: Response;
  try {
    res = await fetch(target, { method: init.method, headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs), redirect: 'manual' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${init.timeoutMs} ms` : (e.cause?.code ?? e.message);
    return {
      status: 502,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ error: 'ORDER_SERVICE_UNAVAILABLE', message: `order-service did not answer (${why}). Is it running? (npm start)` }),
    };
  }
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const v = res.headers.get(name);
    if (v !== null) headers[name] = v;
  }
  return { status: res.status, headers, body: await res.text() };
}
