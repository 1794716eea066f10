// An OTLP/HTTP JSON proxy between the services and tracehub that changes
// real traces on their way: `edit` gets each span (with its resource's
// service.name) and returns it changed, or null to withhold it. The services
// must export http/json (OTEL_EXPORTER_OTLP_PROTOCOL=http/json).
import { createServer, type Server } from 'node:http';

export interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  [k: string]: unknown;
}

interface ResourceSpans {
  resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
  scopeSpans?: { spans?: JsonSpan[] }[];
}

export interface TamperProxy {
  url: string;
  /** Spans withheld so far, with their service. */
  withheld: { service: string; span: JsonSpan }[];
  close(): Promise<void>;
}

/** Shifts a JSON OTLP time (decimal string or number of ns) by `ns`. */
export function shiftTime(t: string | number, ns: bigint): string {
  return (BigInt(String(t)) + ns).toString();
}

export async function startTamperProxy(hubOtlpUrl: string, edit: (span: JsonSpan, service: string) => JsonSpan | null): Promise<TamperProxy> {
  const withheld: TamperProxy['withheld'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let body = Buffer.concat(chunks).toString('utf8');
        if (req.url === '/v1/traces') {
          const doc = JSON.parse(body) as { resourceSpans?: ResourceSpans[] };
          for (const rs of doc.resourceSpans ?? []) {
            const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
            for (const ss of rs.scopeSpans ?? []) {
              ss.spans = (ss.spans ?? []).flatMap((s) => {
                const out = edit(s, service);
                if (out === null) withheld.push({ service, span: s });
                return out === null ? [] : [out];
              });
            }
          }
          body = JSON.stringify(doc);
        }
        const upstream = await fetch(`${hubOtlpUrl}${req.url}`, { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body });
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      })().catch((err: Error) => {
        res.writeHead(502);
        res.end(err.message);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    withheld,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
