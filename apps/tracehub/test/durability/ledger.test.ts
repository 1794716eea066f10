/**
 * The durability tests' checker can fail: against a stand-in for /api/v1 (the hub's own presenters
 * over spans kept in a map; fetch is replaced, no socket), a lost, doubled, altered or rejected span
 * is reported, and a complete store is not.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeCompactTrace } from '../../src/api/compact.js';
import { traceDetailJson } from '../../src/api/present.js';
import type { SpanRecord } from '../../src/model.js';
import { Ledger, Workload, checkStored, seededRandom } from '../../src/testing-ledger.js';

const API = 'http://hub.invalid';

/** What a store holds: trace id → spans. */
function fakeHub(stored: Map<string, SpanRecord[]>) {
  vi.stubGlobal('fetch', async (url: string) => {
    const m = /\/api\/v1\/traces\/([0-9a-f]{32})(\?format=compact)?$/.exec(url);
    const spans = m ? stored.get(m[1]!) : undefined;
    if (!spans || spans.length === 0) return new Response('{"error":"TRACE_NOT_FOUND","message":"no"}', { status: 404 });
    const body = m![2] ? encodeCompactTrace(spans) : traceDetailJson(spans);
    return new Response(JSON.stringify(body), { status: 200 });
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

/** 6 requests of 20 spans, 0-3 acknowledged, 4 cut off, 5 acknowledged; what a correct hub stores. */
function scenario() {
  const workload = new Workload({ salt: 'unit', spansPerRequest: 20, invalidEvery: 3, baseTimeNs: 1_764_000_000_123_456_789n });
  const ledger = new Ledger();
  for (const seq of [0, 1, 2, 3, 5]) ledger.acked.add(seq);
  ledger.unanswered.add(4);
  const stored = new Map<string, SpanRecord[]>();
  for (const seq of [0, 1, 2, 3, 5]) {
    for (const s of workload.spansOf(seq)) {
      if (s.spanId === '0'.repeat(16) || s.endTimeUnixNano < s.startTimeUnixNano) continue; // what the hub rejects
      stored.set(s.traceId, [...(stored.get(s.traceId) ?? []), s]);
    }
  }
  return { workload, ledger, stored };
}

const check = (s: ReturnType<typeof scenario>) => checkStored(API, s.workload, s.ledger, { sampleSpans: 1000, sampleTraces: 10, settleMs: 0 }, seededRandom(1));

describe('checkStored', () => {
  it('passes a store that holds exactly the acknowledged spans', async () => {
    const s = scenario();
    fakeHub(s.stored);
    const r = await check(s);
    expect(r).toMatchObject({ missingAcked: 0, duplicates: 0, storedRejected: 0, foreign: 0, countMismatches: 0, mismatches: [] });
    expect(r.storedSpans).toBe(r.ackedSpans);
    expect(r.ackedSpans).toBe(5 * 20 - 2 * 2); // requests 0 and 3 carry two invalid spans each
    expect(r.comparedAcked).toBe(r.ackedSpans); // fewer than 1,000: every trace is compared
  });

  it('reports a lost, a doubled and an altered span, and a rejected one that was stored', async () => {
    const s = scenario();
    const [traceId, spans] = [...s.stored][2]!;
    const lost = spans.pop()!;
    spans.push(spans[0]!); // stored twice
    spans[1] = { ...spans[1]!, endTimeUnixNano: spans[1]!.endTimeUnixNano + 1n };
    const rejected = s.workload.spansOf(3).at(-1)!;
    s.stored.get(rejected.traceId)!.push({ ...rejected, endTimeUnixNano: rejected.startTimeUnixNano });
    fakeHub(s.stored);
    const r = await check(s);
    expect(r.missingAcked).toBe(1);
    expect(r.examples.join('\n')).toContain(`missing: acknowledged span ${lost.spanId} (trace ${traceId}`);
    expect(r.duplicates).toBe(1);
    expect(r.storedRejected).toBe(1);
    expect(r.mismatches.some((m) => m.includes(`span ${spans[1]!.spanId}`) && m.includes('.endTimeUnixNano'))).toBe(true);
  });

  it('tells an attribute value of another type from the one sent', async () => {
    const s = scenario();
    const spans = [...s.stored.values()][0]!;
    const attrs = spans[0]!.attributes.map((a) => (a.key === 'ledger.big' ? { key: a.key, value: { type: 'string' as const, value: a.value.type === 'int' ? a.value.value : '' } } : a));
    spans[0] = { ...spans[0]!, attributes: attrs };
    fakeHub(s.stored);
    const r = await check(s);
    expect(r.mismatches).toHaveLength(1);
    expect(r.mismatches[0]).toMatch(/\.attributes\[2\]\.value\.type: expected "int", got "string"/);
  });

  it('counts the spans of cut-off exports that were stored, and rereads a trace that is short', async () => {
    const s = scenario();
    const cutOff = s.workload.spansOf(4).filter((x) => x.spanId !== '0'.repeat(16) && x.endTimeUnixNano >= x.startTimeUnixNano);
    for (const x of cutOff.slice(0, 3)) s.stored.set(x.traceId, [...(s.stored.get(x.traceId) ?? []), x]);
    // One acknowledged span becomes visible only on the second read.
    const [traceId, spans] = [...s.stored][1]!;
    const late = spans.pop()!;
    let reads = 0;
    const inner = new Map(s.stored);
    vi.stubGlobal('fetch', async (url: string) => {
      if (url.includes(traceId) && ++reads === 2) inner.set(traceId, [...spans, late]);
      const m = /\/api\/v1\/traces\/([0-9a-f]{32})(\?format=compact)?$/.exec(url)!;
      const list = inner.get(m[1]!);
      if (!list) return new Response('{}', { status: 404 });
      return new Response(JSON.stringify(m[2] ? encodeCompactTrace(list) : traceDetailJson(list)), { status: 200 });
    });
    const r = await checkStored(API, s.workload, s.ledger, { sampleSpans: 1000, sampleTraces: 10, settleMs: 5_000 }, seededRandom(1));
    expect(reads).toBe(2);
    expect(r.missingAcked).toBe(0);
    expect(r.storedUnanswered).toBe(3);
    expect(r.storedSpans).toBe(r.ackedSpans + 3);
  });
});
