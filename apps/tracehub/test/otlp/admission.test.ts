/**
 * Overload is refused before a body is decoded: while the ingest queue cannot
 * take an export of the usual size, the OTLP/HTTP receiver answers 429 with
 * Retry-After without reading the body (a body that is not protobuf at all gets
 * the 429, not the 400 its decoding would give), and takes exports again once
 * the queue drains.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestPipeline } from '../../src/ingest/pipeline.js';
import type { SpanRecord } from '../../src/model.js';
import { encodeTracesProtobuf } from '../../src/otlp/index.js';
import { createIngest } from '../../src/receivers/ingest.js';
import { buildOtlpHttpApp } from '../../src/receivers/otlp-http.js';
import { span } from '../compat/span-fixtures.js';

/** A writer whose writes wait until released. */
function gatedWriter() {
  let open!: () => void;
  let gate = new Promise<void>((r) => (open = r));
  const written: SpanRecord[][] = [];
  return {
    written,
    release() {
      open();
      gate = new Promise<void>((r) => (open = r));
    },
    async write(spans: SpanRecord[]) {
      await gate;
      written.push(spans);
    },
  };
}

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

function setup(maxQueuedRecords: number) {
  const writer = gatedWriter();
  const pipeline = new IngestPipeline(writer, { maxQueuedRecords, maxBatchRecords: 10_000 });
  const app = buildOtlpHttpApp(createIngest(pipeline), { maxBodyBytes: 1 << 20, corsOrigins: [], logger: pino({ level: 'silent' }) });
  apps.push(app);
  const post = (payload: Buffer | Uint8Array) =>
    app.inject({ method: 'POST', url: '/v1/traces', payload: Buffer.from(payload), headers: { 'content-type': 'application/x-protobuf' } });
  return { writer, pipeline, post };
}

const spans = (n: number, tag: string) => Array.from({ length: n }, (_, i) => span({ traceId: tag.repeat(32).slice(0, 32), spanId: (i + 1).toString(16).padStart(16, '0') }));
const garbage = Buffer.from('this is not protobuf \u00ff\u00ff\u00ff');

describe('OTLP/HTTP admission', () => {
  it('answers 429 with Retry-After before decoding while the queue is full, and 200 again once it drains', async () => {
    const { writer, pipeline, post } = setup(10);
    // Not protobuf, with room in the queue: decoded, and refused as bad input.
    expect((await post(garbage)).statusCode).toBe(400);

    const first = post(encodeTracesProtobuf(spans(8, 'a')));
    await new Promise((r) => setTimeout(r, 20));
    expect(pipeline.queuedRecords).toBe(8);

    const refused = await post(garbage);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    const refusedValid = await post(encodeTracesProtobuf(spans(8, 'b')));
    expect(refusedValid.statusCode).toBe(429);
    expect(pipeline.stats.refusedBatches).toBe(2);

    writer.release();
    expect((await first).statusCode).toBe(200);
    expect(pipeline.queuedRecords).toBe(0);
    expect((await post(garbage)).statusCode).toBe(400);
    const later = post(encodeTracesProtobuf(spans(8, 'c')));
    await new Promise((r) => setTimeout(r, 20));
    writer.release();
    expect((await later).statusCode).toBe(200);
    expect(writer.written.map((w) => w.length)).toEqual([8, 8]);
  });

  it('lets a small export in next to a queued one when the usual export fits', async () => {
    const { writer, pipeline, post } = setup(100);
    const first = post(encodeTracesProtobuf(spans(8, 'd')));
    await new Promise((r) => setTimeout(r, 20));
    const second = post(encodeTracesProtobuf(spans(8, 'e')));
    await new Promise((r) => setTimeout(r, 20));
    expect(pipeline.queuedRecords).toBe(16);
    writer.release();
    expect((await first).statusCode).toBe(200);
    writer.release();
    expect((await second).statusCode).toBe(200);
  });
});
