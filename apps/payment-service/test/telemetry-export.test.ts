// The telemetry bootstrap in a real process: a SIGTERM flushes pending spans
// before exit, gRPC is selectable by OTEL_EXPORTER_OTLP_PROTOCOL, and logs
// reach tracehub stamped with the trace. Read back through tracehub's API.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { freePort } from '../../../scripts/lib/ports.mjs';
import { startProcess, waitForReady } from '../../../scripts/lib/processes.mjs';

let hub: HubHandle;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.stop({ removeData: true });
});

async function startPayment(env: Record<string, string>) {
  const port = await freePort();
  const proc = startProcess({
    name: 'payment-service',
    command: process.execPath,
    args: ['--import', '@tracelab/telemetry/register', 'dist/main.js'],
    cwd: new URL('..', import.meta.url).pathname,
    env: { PORT: String(port), OTEL_SERVICE_NAME: 'payment-service', ...env },
    quiet: true,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(`${url}/ready`, { proc });
  return { proc, url };
}

async function pay(url: string, traceId: string) {
  const res = await fetch(`${url}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    body: JSON.stringify({ orderId: 'o-1', productName: 'Book', quantity: 1, delay: 0 }),
  });
  expect(res.status).toBe(200);
}

async function spansOf(traceId: string, want: number) {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`);
    if (res.ok) {
      const spans = ((await res.json()) as { spans: { name: string; service: string }[] }).spans;
      if (spans.length >= want) return spans;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

it('SIGTERM flushes spans still waiting in the batch processor', async () => {
  // A one-minute export interval: only the shutdown flush can deliver these spans in time.
  const { proc, url } = await startPayment({ OTEL_EXPORTER_OTLP_ENDPOINT: hub.otlpHttpUrl, OTEL_BSP_SCHEDULE_DELAY: '60000' });
  const traceId = randomBytes(16).toString('hex');
  await pay(url, traceId);
  const { code } = await proc.stop(10_000);
  expect(code).toBe(0);
  const spans = await spansOf(traceId, 2);
  // The SERVER span, named after the route, and its one child: no framework span in between.
  expect(spans.map((s) => s.name).sort()).toEqual(['POST /payments', 'process-payment']);
  expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['payment-service']));
});

it('exports over gRPC when OTEL_EXPORTER_OTLP_PROTOCOL=grpc, logs included', async () => {
  const { proc, url } = await startPayment({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${hub.otlpGrpcUrl}`,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
  });
  try {
    const traceId = randomBytes(16).toString('hex');
    await pay(url, traceId);
    expect((await spansOf(traceId, 2)).length).toBe(2);
    // pino's request logs carry the trace and arrive as OTLP log records.
    let logs: { traceId: string | null; spanId: string | null; service: string }[] = [];
    for (let i = 0; i < 100 && logs.length === 0; i++) {
      const res = await fetch(`${hub.apiUrl}/api/v1/logs?traceId=${traceId}`);
      if (res.ok) logs = ((await res.json()) as { logs: typeof logs }).logs;
      if (logs.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((l) => l.traceId === traceId && l.spanId && l.service === 'payment-service')).toBe(true);
  } finally {
    await proc.stop();
  }
});
