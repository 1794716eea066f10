/**
 * Store.attributeAnalysis on a real DuckDB store: the window, the three
 * selection kinds, sampling, self time, and the per-key value statistics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankAttributes } from '../../src/analysis/attributes.js';
import type { Resource, SpanRecord } from '../../src/model.js';
import { Store } from '../../src/store/store.js';
import type { AttributeAnalysisQuery, AttributeValueCounts } from '../../src/store/types.js';
import { compileTraceQL } from '../../src/traceql/index.js';
import { resource as serviceResource, span as baseSpan } from '../compat/span-fixtures.js';

const MS = 1_000_000n;
const T0 = 1_700_000_000_000n * MS;
const ORDER = serviceResource('order');
const PAYMENT = serviceResource('payment');
const scope = { name: 's', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };

let n = 0;
function span(traceId: string, parent: string, name: string, resource: Resource, startNs: bigint, durMs: number, extra: Partial<SpanRecord> = {}, attrs: Record<string, string> = {}): SpanRecord {
  const spanId = (++n).toString(16).padStart(16, '0');
  return baseSpan({
    traceId,
    spanId,
    parentSpanId: parent,
    flags: 0,
    name,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + BigInt(durMs) * MS,
    attributes: [
      { key: 'req.id', value: { type: 'string', value: `r-${spanId}` } },
      ...Object.entries(attrs).map(([key, value]) => ({ key, value: { type: 'string' as const, value } })),
    ],
    resource,
    scope,
    ...extra,
  });
}

/** A root in `order` and one payment child taking payMs (two overlapping children when split). */
function trace(i: number, payMs: number, opts: { slow?: boolean; error?: boolean } = {}): SpanRecord[] {
  const traceId = (i + 1).toString(16).padStart(32, '0');
  const start = T0 + BigInt(i) * 1000n * MS;
  const attrs: Record<string, string> = opts.slow ? { flag: 'slow' } : {};
  const root = span(traceId, '', 'GET /order', ORDER, start, payMs + 20, opts.error ? { statusCode: 2 } : {}, attrs);
  // Two overlapping payment children: [5, 5+payMs] and [10, 10+payMs/2]; the root's self time counts their union once.
  const pay = span(traceId, root.spanId, 'pay', PAYMENT, start + 5n * MS, payMs, { kind: 3 }, attrs);
  const pay2 = span(traceId, root.spanId, 'pay-audit', PAYMENT, start + 10n * MS, payMs / 2, { kind: 3 }, attrs);
  return [root, pay, pay2];
}

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tracehub-attrs-'));
  store = await Store.open({ dataDir: dir });
  const spans: SpanRecord[] = [];
  for (let i = 0; i < 50; i++) spans.push(...trace(i, 10, { error: i % 10 === 0 }));
  for (let i = 50; i < 60; i++) spans.push(...trace(i, 500, { slow: true }));
  // Outside the window: never counted.
  spans.push(...trace(1000, 500, { slow: true }));
  await store.write(spans, []);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const window = { startNs: T0, endNs: T0 + 100n * 1000n * MS, limit: 1000, valuesPerKey: 50 };
const box = { kind: 'box' as const, startNs: T0, endNs: T0 + 100n * 1000n * MS, minDurationNs: 300n * MS, maxDurationNs: 10_000n * MS };
const find = (values: AttributeValueCounts[], key: string, value: string) => values.find((v) => v.key === key && v.value === value);

describe('Store.attributeAnalysis', () => {
  it('a box: the slow traces against the others, by traces and by self time', async () => {
    const d = await store.attributeAnalysis({ ...window, selection: box });
    expect(d.selection).toMatchObject({ traceCount: 10, totalTraceCount: 10, spanCount: 30 });
    expect(d.baseline).toMatchObject({ traceCount: 50, totalTraceCount: 50, spanCount: 150 });
    expect(find(d.values, 'flag', 'slow')).toMatchObject({ scope: 'span', selTraces: 10, baseTraces: 0, spans: 30 });
    // Self time: root 520 ms less the union [5, 505] of its children = 20 ms; pay 500 ms; pay-audit 250 ms.
    expect(d.selection.timeNs).toBe(10 * (20 + 500 + 250) * 1e6);
    expect(d.baseline.timeNs).toBe(50 * (20 + 10 + 5) * 1e6);
    const pay = find(d.values, 'service.name', 'payment')!;
    expect(pay).toMatchObject({ scope: 'resource', selTraces: 10, baseTraces: 50, selTimeNs: 10 * 750 * 1e6, baseTimeNs: 50 * 15 * 1e6 });
    expect(find(d.values, 'span.kind', 'client')).toMatchObject({ scope: 'intrinsic', spans: 120 });
    expect(find(d.values, 'span.status', 'error')).toMatchObject({ scope: 'intrinsic', selTraces: 0, baseTraces: 5 });
    // req.id is unique per span: 180 values, all singletons, and only valuesPerKey of them come back.
    const ids = d.values.filter((v) => v.key === 'req.id');
    expect(ids).toHaveLength(50);
    expect(ids[0]).toMatchObject({ keyDistinctValues: 180, keySingletonValues: 180 });

    const ranked = rankAttributes(d);
    expect(ranked.attributes[0]).toMatchObject({ key: 'flag', scope: 'span', score: 1, by: 'traces' });
    expect(ranked.skipped).toEqual([{ key: 'req.id', scope: 'span', distinctValues: 180 }]);
    expect(ranked.summary).toBe('flag = slow is on 100% of the selected traces and 0% of the others.');
    const svc = ranked.attributes.find((a) => a.key === 'service.name')!;
    expect(svc.by).toBe('time');
    expect(svc.values.find((v) => v.value === 'payment')!.selection.time).toBeGreaterThan(svc.values.find((v) => v.value === 'payment')!.baseline.time);
  });

  it('status=error and a TraceQL predicate select the same way the search does', async () => {
    const errors = await store.attributeAnalysis({ ...window, selection: { kind: 'status', status: 'error' } });
    expect(errors.selection.traceCount).toBe(5);
    expect(errors.baseline.traceCount).toBe(55);
    expect(rankAttributes(errors).attributes[0]).toMatchObject({ key: 'span.status', score: 1 });

    const q = await store.attributeAnalysis({ ...window, selection: { kind: 'predicate', predicate: compileTraceQL('{ duration > 300ms }') } });
    expect(q.selection.traceCount).toBe(10);
    expect(find(q.values, 'flag', 'slow')!.selTraces).toBe(10);
    const traceLevel = await store.attributeAnalysis({ ...window, selection: { kind: 'predicate', predicate: compileTraceQL('{ traceDuration > 300ms }') } });
    expect(traceLevel.selection.traceCount).toBe(10);
  });

  it('samples each set to the most recent `limit` traces, and answers an empty selection with no values', async () => {
    const d = await store.attributeAnalysis({ ...window, limit: 4, selection: box });
    expect(d.selection).toMatchObject({ traceCount: 4, totalTraceCount: 10, spanCount: 12 });
    expect(d.baseline).toMatchObject({ traceCount: 4, totalTraceCount: 50 });
    // The four most recent baseline traces are 46..49; none has an error (0, 10, 20, 30, 40 do).
    expect(find(d.values, 'span.status', 'error')).toBeUndefined();

    const none = await store.attributeAnalysis({ ...window, selection: { ...box, minDurationNs: 5_000n * MS } });
    expect(none.selection.traceCount).toBe(0);
    expect(none.values).toEqual([]);
    expect(rankAttributes(none).summary).toBe('No traces in the window match the selection.');
  });

  it('runs again on the same reader connections (its temp tables are dropped)', async () => {
    await store.attributeAnalysis({ ...window, selection: box });
    const again = await store.attributeAnalysis({ ...window, selection: { kind: 'status', status: 'error' } });
    expect(again.selection.traceCount).toBe(5);
  });
});
