// Which trace did the answer belong to? Pure.

const TRACE_RESPONSE = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i;

/**
 * The W3C `traceresponse` header (Trace Context Level 2) names the trace the
 * server recorded; failing that, a `traceId` field in the JSON body.
 */
export function traceIdFrom(traceresponse: string | null, body: unknown): string | undefined {
  const m = traceresponse ? TRACE_RESPONSE.exec(traceresponse.trim()) : null;
  if (m && !/^0+$/.test(m[1]!)) return m[1]!.toLowerCase();
  const fromBody = (body as { traceId?: unknown } | null | undefined)?.traceId;
  if (typeof fromBody === 'string' && /^[0-9a-f]{32}$/i.test(fromBody)) return fromBody.toLowerCase();
  return undefined;
}
