/**
 * Store.getTraces on a real DuckDB store: many traces' spans in one read, the
 * same spans getTrace returns, bounded by time when asked; and the TraceQL
 * evaluator gives the same answers on them as on the records written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { evaluatePipeline } from '../../src/traceql/evaluate.js';
import { parseTraceQLQuery } from '../../src/traceql/index.js';
import { T1, T2, T3 } from '../traceql/trace-fixture.js';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tracehub-gettraces-'));
  store = await Store.open({ dataDir: dir });
  await store.write([...T1, ...T2, ...T3], []);
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (spans: { spanId: string }[] | undefined) => (spans ?? []).map((s) => s.spanId).sort();

describe('getTraces', () => {
  it('returns each known trace with all its spans, as getTrace does', async () => {
    const got = await store.getTraces(['t1', 't3', 'nope', 't1']);
    expect([...got.keys()].sort()).toEqual(['t1', 't3']);
    expect(ids(got.get('t1'))).toEqual(ids(T1));
    expect(ids(got.get('t3'))).toEqual(ids(T3));
    expect(got.get('t1')).toEqual(await store.getTrace('t1'));
    expect(await store.getTraces([])).toEqual(new Map());
  });

  it('reads only spans starting within the bounds when given', async () => {
    const t1Start = T1[0].startTimeUnixNano;
    const got = await store.getTraces(['t1', 't2'], { startNs: t1Start, endNs: t1Start + 500_000_000n });
    expect([...got.keys()]).toEqual(['t1']);
    expect(ids(got.get('t1'))).toEqual(ids(T1));
  });

  it('round-trips what the evaluator reads (events, links, scopes, resources, arrays)', async () => {
    const got = await store.getTraces(['t1', 't2', 't3']);
    for (const q of [
      '{ event:name = "exception" && event.exception.message =~ ".*wrong.*" }',
      '{ link:traceID = "t9" && link.opentracing.ref_type = "child_of" }',
      '{ instrumentation:name = "pg" } || { instrumentation.language = "java" && span.tags = "b" }',
      '{ resource.deployment.environment = "staging" } >> { }',
      '{ } | by(resource.service.name) | count() > 2',
    ]) {
      const pipeline = parseTraceQLQuery(q).pipeline;
      for (const [traceId, written] of [['t1', T1], ['t2', T2], ['t3', T3]] as const) {
        const fromStore = evaluatePipeline(pipeline, got.get(traceId)!).map((s) => ids(s.spans));
        expect(fromStore, `${q} on ${traceId}`).toEqual(evaluatePipeline(pipeline, written).map((s) => ids(s.spans)));
      }
    }
  });
});
