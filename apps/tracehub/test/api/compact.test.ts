// The compact trace detail, the hub's side: the encoder shares what repeats, keeps offsets beyond
// 2^53 ns exact, and the fixture's JSON and compact details are the contract's wire examples
// (packages/api-contract/examples), which the UI's decoder reads in its own test
// (apps/tracehub-ui/src/api/convertCompact.test.ts: both decode to the same spans, every field).
// Update the examples after a deliberate change: `npx vitest run apps/tracehub/test/api/compact.test.ts -u`.
import { fileURLToPath } from 'node:url';
import { assertContract } from '@tracelab/api-contract/validate';
import { describe, expect, it } from 'vitest';
import { encodeCompactTrace } from '../../src/api/compact.js';
import { traceDetailJson } from '../../src/api/present.js';
import type { SpanRecord } from '../../src/model.js';
import { fixtureSpans } from './trace-fixture.js';

/** What goes over the wire and comes back. */
const wire = (v: unknown) => JSON.parse(JSON.stringify(v));
const example = (name: string) => fileURLToPath(new URL(`../../../../packages/api-contract/examples/${name}`, import.meta.url));
const text = (v: unknown) => `${JSON.stringify(v, null, 1)}\n`;
/** Two spans, the second starting 2^54 + 1 ns after the first. */
function farSpans(): SpanRecord[] {
  const spans = fixtureSpans().slice(0, 2);
  const far: SpanRecord = { ...spans[1]!, spanId: '0000000000000009', startTimeUnixNano: spans[0]!.startTimeUnixNano + 2n ** 54n + 1n, endTimeUnixNano: spans[0]!.startTimeUnixNano + 2n ** 55n };
  return [spans[0]!, far];
}

describe('compact trace detail', () => {
  it("the fixture's JSON and compact details are the contract's wire examples", async () => {
    const detail = wire(traceDetailJson(fixtureSpans()));
    const compact = wire(encodeCompactTrace(fixtureSpans()));
    assertContract('TraceDetail', detail);
    assertContract('CompactTraceDetail', compact);
    await expect(text(detail)).toMatchFileSnapshot(example('trace-detail.json'));
    await expect(text(compact)).toMatchFileSnapshot(example('trace-compact.json'));
  });

  it('sends each resource, scope, string and value once; parents as indexes; times as offsets', () => {
    const c = encodeCompactTrace(fixtureSpans());
    expect(c.resources.map((r) => r.service)).toEqual(['shop', 'postgres']);
    expect(c.scopes.map((s) => s.name)).toEqual(['@opentelemetry/instrumentation-http', 'pg']);
    expect(c.strings.filter((s) => s === 'SELECT orders')).toHaveLength(1);
    expect(c.strings.filter((s) => s === 'http.method')).toHaveLength(1);
    expect(c.values.filter((v) => v === 'GET')).toHaveLength(1);
    expect(c.spans.parent).toEqual([-1, 0, 0, 2, -2]);
    expect(c.spans.missingParents).toEqual([[4, '000000000000dead']]);
    expect(c.spans.start).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(c.spans.duration[0]).toBe(900_000_001);
    expect(c.spans.events).toEqual([[0, [[-5, c.strings.indexOf('before start'), [], 0], [7, c.strings.indexOf('exception'), expect.any(Array), 1]]]]);
    expect(c.spans.dropped).toEqual([[0, 3, 4, 5]]);
    expect(c.baseTimeUnixNano).toBe('1764000000123456789');
  });

  it('keeps offsets beyond 2^53 ns exact (as decimal strings); that trace is a wire example too', async () => {
    const spans = farSpans();
    const c = encodeCompactTrace(spans);
    expect(c.spans.start).toEqual([0, (2n ** 54n + 1n).toString()]);
    expect(c.spans.duration[1]).toBe((2n ** 54n - 1n).toString());
    await expect(text(wire(traceDetailJson(spans)))).toMatchFileSnapshot(example('trace-detail-far.json'));
    await expect(text(wire(c))).toMatchFileSnapshot(example('trace-compact-far.json'));
  });
});

describe('the compact detail as text (what the route streams)', () => {
  it('is JSON.stringify of the detail, whether the columns were flushed to text or not', async () => {
    const { CompactTraceBuilder } = await import('../../src/api/compact.js');
    const spans = fixtureSpans();
    const same = <T>(x: T) => x;
    for (const every of [1, 2, 100]) {
      const b = new CompactTraceBuilder(spans[0]!.traceId, spans[0]!.startTimeUnixNano);
      spans.forEach((s, i) => {
        b.addRecord(s);
        if ((i + 1) % every === 0) b.flushColumns();
      });
      const text = b.finishText(same, same);
      expect(text.spanCount).toBe(spans.length);
      expect([...text.pieces()].join('')).toBe(JSON.stringify(encodeCompactTrace(spans)));
    }
    const flushed = new CompactTraceBuilder(spans[0]!.traceId, spans[0]!.startTimeUnixNano);
    flushed.addRecord(spans[0]!);
    flushed.flushColumns();
    expect(() => flushed.finish(same, same)).toThrow(/finishText/);
  });
});

describe('the streamed details (very large traces)', () => {
  it('are the same JSON text as JSON.stringify, in pieces: objects key by key, long arrays in chunks', async () => {
    const { jsonPieces } = await import('../../src/api/json-pieces.js');
    const spans = Array.from({ length: 2500 }, (_, i) => ({ ...fixtureSpans()[1]!, spanId: i.toString(16).padStart(16, '0') }));
    const detail = { ...traceDetailJson(spans), skipped: undefined };
    const pieces = [...jsonPieces(detail, 100, 4096)];
    expect(pieces.length).toBeGreaterThanOrEqual(25);
    expect(pieces.join('')).toBe(JSON.stringify(detail));
    const compact = encodeCompactTrace(spans);
    expect([...jsonPieces(compact, 100, 1000)].join('')).toBe(JSON.stringify(compact));
    expect([...jsonPieces([], 1, 1)].join('')).toBe('[]');
    expect([...jsonPieces({ a: [1, 2, 3], b: {} }, 1, 1)].join('')).toBe('{"a":[1,2,3],"b":{}}');
  });
});
