// OTLP decode benchmark: a realistic 512-span ExportTraceServiceRequest
// (≈10 http/url/db attributes per span, an event on every 10th span), built by
// the OpenTelemetry JS SDK's own serializers, decoded by tracehub's codec.
// Run after building: `npx tsc -b apps/tracehub && node apps/tracehub/bench/otlp-decode.bench.mjs`
// Prints spans/s per variant and writes bench/results/otlp-decode.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanKind, context, trace } from '@opentelemetry/api';
import {
  decodeTracesJson,
  decodeTracesProtobuf,
  encodeTracesJson,
  encodeTracesProtobuf,
} from '../dist/otlp/index.js';
import { otlpTypes } from '../dist/otlp/schema.js';

const SPANS = 512;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

async function makeRequestSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'order-service',
      'service.version': '1.4.2',
      'deployment.environment.name': 'prod',
      'host.name': 'ip-10-0-3-17',
      'telemetry.sdk.language': 'nodejs',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const http = provider.getTracer('@opentelemetry/instrumentation-http', '0.223.1');
  const pg = provider.getTracer('@opentelemetry/instrumentation-pg', '0.61.0');
  let n = 0;
  while (n < SPANS) {
    const root = http.startSpan(`GET /orders/{id}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/orders/{id}',
        'http.response.status_code': 200,
        'url.path': `/orders/${n}`,
        'url.scheme': 'http',
        'server.address': 'orders.internal',
        'server.port': 8080,
        'client.address': '10.0.7.21',
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
        'network.protocol.version': '1.1',
      },
    });
    if (n % 10 === 0) root.addEvent('cache miss', { 'cache.key': `order:${n}` });
    n++;
    const ctx = trace.setSpan(context.active(), root);
    for (let i = 0; i < 7 && n < SPANS; i++, n++) {
      const s = pg.startSpan(
        'SELECT orders',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'postgresql',
            'db.namespace': 'shop',
            'db.operation.name': 'SELECT',
            'db.collection.name': 'orders',
            'db.query.text': 'SELECT id, status, total FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20',
            'db.response.returned_rows': 20 + i,
            'server.address': 'db.internal',
            'server.port': 5432,
            'network.peer.address': '10.0.9.4',
            'network.peer.port': 5432,
          },
        },
        ctx,
      );
      if (n % 10 === 0) s.addEvent('query retried', { attempt: 2, 'error.type': 'timeout' });
      s.end();
    }
    root.end();
  }
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

// Reports wall-clock throughput and throughput per CPU-second of this process
// (user + system, GC threads included): on a shared machine the second is the
// steadier figure.
function measure(name, fn) {
  for (let i = 0; i < 200; i++) fn(); // warm up
  let iterations = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(SECONDS * 1e9);
  let now = t0;
  while (now < deadline) {
    for (let i = 0; i < 20; i++) fn();
    iterations += 20;
    now = process.hrtime.bigint();
  }
  const cpu = process.cpuUsage(cpu0);
  const secs = Number(now - t0) / 1e9;
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const spansPerSec = Math.round((iterations * SPANS) / secs);
  const spansPerCpuSec = Math.round((iterations * SPANS) / cpuSecs);
  const usPerSpan = (secs * 1e6) / (iterations * SPANS);
  console.log(
    `${name.padEnd(46)} ${spansPerSec.toLocaleString('en-US').padStart(10)} spans/s  ${usPerSpan.toFixed(2).padStart(6)} µs/span  ` +
      `${spansPerCpuSec.toLocaleString('en-US').padStart(10)} spans/CPU-s`,
  );
  return { name, spansPerSec, usPerSpan: Number(usPerSpan.toFixed(3)), spansPerCpuSec };
}

const sdkSpans = await makeRequestSpans();
const pbBody = ProtobufTraceSerializer.serializeRequest(sdkSpans);
const jsonText = Buffer.from(JsonTraceSerializer.serializeRequest(sdkSpans)).toString('utf8');
const decoded = decodeTracesProtobuf(pbBody);
if (decoded.spans.length !== SPANS) throw new Error(`expected ${SPANS} spans, decoded ${decoded.spans.length}`);
const attrs = decoded.spans.reduce((a, s) => a + s.attributes.length, 0) / SPANS;
console.log(`request: ${SPANS} spans, ${attrs.toFixed(1)} attributes/span, protobuf ${pbBody.length} bytes, JSON ${jsonText.length} bytes`);
console.log(`node ${process.version}, ${SECONDS}s per variant`);

if (process.env.DUMP_BODY) {
  writeFileSync(process.env.DUMP_BODY, pbBody);
  writeFileSync(`${process.env.DUMP_BODY}.json`, jsonText);
}
const { ExportTraceServiceRequest } = otlpTypes();
const results = [
  measure('decodeTracesProtobuf (tracehub, one pass)', () => decodeTracesProtobuf(pbBody)),
  measure('protobufjs Type.decode (baseline, no model)', () => ExportTraceServiceRequest.decode(pbBody)),
  measure('decodeTracesJson (OTel JS JSON body)', () => decodeTracesJson(jsonText)),
  measure('encodeTracesProtobuf', () => encodeTracesProtobuf(decoded.spans)),
  measure('encodeTracesJson + JSON.stringify', () => JSON.stringify(encodeTracesJson(decoded.spans))),
];

const out = fileURLToPath(new URL('../../../bench/results/otlp-decode.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../../../bench/results/', import.meta.url)), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      benchmark: 'otlp-decode',
      date: new Date().toISOString(),
      node: process.version,
      loadAverage: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(2))),
      request: { spans: SPANS, attributesPerSpan: Number(attrs.toFixed(1)), protobufBytes: pbBody.length, jsonBytes: jsonText.length },
      results,
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${out}`);
