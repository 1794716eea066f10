/**
 * Test and benchmark helper (not used by the hub itself): a deterministic OTLP
 * workload, senders that keep exports in flight at the maximum rate over
 * OTLP/HTTP protobuf and record what the hub acknowledged, and a checker that
 * reads everything back through /api/v1 and compares it with what was sent.
 * Used by test/durability/*.e2e.test.ts and bench/accounting.mjs.
 *
 * Workload. Request `seq` carries P spans: the first `head` spans of trace `seq`
 * and the last ones of trace `seq - 1`, so every trace spans two requests (one
 * half may be acknowledged and the other not). In every `invalidEvery`-th
 * request two of the P are spans the hub must reject (an all-zero span id, and
 * an end before the start). Every field is derived from (salt, trace, index),
 * so nothing sent is kept in memory: the checker rebuilds it.
 */
import { createHash } from 'node:crypto';
import type { AnyValue, Attribute, Resource, Scope, SpanRecord } from './model.js';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from './model.js';
import { encodeTracesProtobuf } from './otlp/index.js';
import { otlpTypes } from './otlp/schema.js';

export interface WorkloadOptions {
  /** Makes ids unique to one run. */
  salt: string;
  /** Spans per request, the invalid ones included (≥ 4). */
  spansPerRequest: number;
  /** Every n-th request carries two invalid spans; 0: none. */
  invalidEvery: number;
  /** Span start times are this plus offsets (ns). */
  baseTimeNs: bigint;
}

const str = (value: string): AnyValue => ({ type: 'string', value });
const int = (value: bigint | number): AnyValue => ({ type: 'int', value: String(value) });

function resource(service: string, extra: Attribute[], schemaUrl: string, dropped: number): Resource {
  return {
    attributes: [{ key: 'service.name', value: str(service) }, ...extra],
    droppedAttributesCount: dropped,
    schemaUrl,
    serviceName: service,
  };
}

const RESOURCES: Resource[] = [
  resource('ledger-frontend', [{ key: 'service.version', value: str('2.0.1') }, { key: 'process.pid', value: int(4242) }], 'https://opentelemetry.io/schemas/1.26.0', 0),
  resource('ledger-orders', [{ key: 'host.cores', value: { type: 'array', value: [int(0), int(1)] } }], '', 2),
  resource('ledger-paiement ☕', [{ key: 'deployment.environment.name', value: str('lab') }, { key: 'cloud.ok', value: { type: 'bool', value: true } }], '', 0),
];

const SCOPES: Scope[] = [
  { name: '@opentelemetry/instrumentation-http', version: '0.223.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' },
  {
    name: 'ledger.manual',
    version: '',
    attributes: [{ key: 'scope.flag', value: { type: 'bool', value: false } }, { key: 'scope.n', value: int(-7) }],
    droppedAttributesCount: 1,
    schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
  },
];

export class Workload {
  readonly head: number;

  constructor(readonly opts: WorkloadOptions) {
    if (opts.spansPerRequest < 4) throw new Error('spansPerRequest must be at least 4');
    this.head = Math.ceil(opts.spansPerRequest * 0.6);
  }

  private hash(...parts: (string | number)[]): Buffer {
    return createHash('sha256').update(`${this.opts.salt}:${parts.join(':')}`).digest();
  }

  traceId(trace: number): string {
    return this.hash('trace', trace).subarray(0, 16).toString('hex');
  }

  spanId(trace: number, k: number): string {
    return this.hash('span', trace, k).subarray(0, 8).toString('hex');
  }

  /** Span `k` of trace `trace` (k = 0 is the root), every field derived from the two numbers. */
  span(trace: number, k: number): SpanRecord {
    const h = this.hash('fields', trace, k);
    const traceId = this.traceId(trace);
    const start = this.opts.baseTimeNs + BigInt(trace) * 1_000_000_007n + BigInt(k) * 1_003n + BigInt(h[2]!);
    const end = k % 17 === 3 ? start : start + BigInt(h.readUInt32LE(4));
    const attributes: Attribute[] = [
      { key: 'http.route', value: str(`/r/${h[8]! % 7}`) },
      { key: 'ledger.k', value: int(k) },
      { key: 'ledger.big', value: int(BigInt.asIntN(64, h.readBigUInt64LE(16))) },
      {
        key: 'ledger.ratio',
        value: { type: 'double', value: k % 50 === 7 ? 'NaN' : k % 50 === 8 ? '-Infinity' : h[9]! / 7 - 11 },
      },
      { key: 'ledger.ok', value: { type: 'bool', value: h[10]! % 2 === 0 } },
    ];
    if (k % 4 === 0) attributes.push({ key: 'ledger.blob', value: { type: 'bytes', value: h.subarray(12, 20).toString('base64') } });
    if (k % 6 === 1) attributes.push({ key: 'ledger.tags', value: { type: 'array', value: [str('a'), int(h[11]!), { type: 'double', value: 0.5 }, { type: 'bool', value: false }] } });
    if (k % 9 === 2) {
      attributes.push({
        key: 'ledger.obj',
        value: { type: 'kvlist', value: [{ key: 'a', value: str('x') }, { key: 'inner', value: { type: 'kvlist', value: [{ key: 'n', value: int(-1) }] } }] },
      });
    }
    if (k % 13 === 5) attributes.push({ key: 'ledger.nothing', value: { type: 'empty' } });
    if (k % 11 === 4) attributes.push({ key: 'ledger.text', value: str(`café ☕ 𝄞 "quoted" \\ new\nline ${trace}`) });

    const statusPick = h[1]! % 10;
    const span: SpanRecord = {
      traceId,
      spanId: this.spanId(trace, k),
      parentSpanId: k === 0 ? '' : this.spanId(trace, Math.floor((k - 1) / 3)),
      traceState: k % 5 === 0 ? `ledger=${h.subarray(24, 28).toString('hex')},other=1` : '',
      flags: k % 3 === 0 ? 0x301 : 1,
      name: k === 0 ? `GET /ledger/${trace % 10}` : k % 7 === 0 ? `étape ${h[0]! % 20} ✓` : `op-${h[0]! % 20}`,
      kind: h[0]! % 6,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      attributes,
      droppedAttributesCount: k % 7 === 1 ? 3 : 0,
      events:
        k % 4 === 2
          ? [
              { timeUnixNano: start + 10n, name: 'retry', attributes: [{ key: 'attempt', value: int(k % 3) }], droppedAttributesCount: 0 },
              {
                timeUnixNano: end,
                name: 'exception',
                attributes: [{ key: 'exception.type', value: str('LedgerError') }, { key: 'exception.message', value: str(`no ${k}`) }],
                droppedAttributesCount: 1,
              },
            ]
          : [],
      droppedEventsCount: k % 10 === 6 ? 2 : 0,
      links:
        k % 5 === 1
          ? [
              {
                traceId: this.traceId(trace - 1),
                spanId: this.spanId(trace - 1, 0),
                traceState: 'link=1',
                flags: 1,
                attributes: [{ key: 'link.kind', value: str('follows') }],
                droppedAttributesCount: k % 2,
              },
            ]
          : [],
      droppedLinksCount: k % 15 === 11 ? 1 : 0,
      statusCode: statusPick === 0 ? 2 : statusPick === 1 ? 1 : 0,
      statusMessage: statusPick === 0 ? `boom ${k}` : '',
      resource: RESOURCES[h[11]! % RESOURCES.length]!,
      scope: SCOPES[k % SCOPES.length]!,
    };
    return span;
  }

  /** Indexes (k) of trace `trace`'s spans carried by request `seq` (seq is trace or trace + 1). */
  private ks(trace: number, seq: number): number[] {
    const p = this.opts.spansPerRequest;
    if (seq === trace) return Array.from({ length: this.head }, (_, i) => i);
    return Array.from({ length: p - this.head - this.invalidCount(seq) }, (_, i) => this.head + i);
  }

  /** The valid spans of request `seq`: [trace, k] pairs. */
  validOf(seq: number): [trace: number, k: number][] {
    return [...this.ks(seq, seq).map((k) => [seq, k] as [number, number]), ...this.ks(seq - 1, seq).map((k) => [seq - 1, k] as [number, number])];
  }

  invalidCount(seq: number): number {
    return this.opts.invalidEvery > 0 && seq % this.opts.invalidEvery === 0 ? 2 : 0;
  }

  /** Span ids the hub must reject in request `seq` (the all-zero one has no id worth looking for). */
  invalidSpanIdsOf(seq: number): string[] {
    return this.invalidCount(seq) > 0 ? [this.spanId(seq, 1_000_000)] : [];
  }

  /** Every span of request `seq`, valid and invalid. */
  spansOf(seq: number): SpanRecord[] {
    const spans = this.validOf(seq).map(([t, k]) => this.span(t, k));
    if (this.invalidCount(seq) > 0) {
      const zero = this.span(seq, 1_000_001);
      spans.splice(1, 0, { ...zero, spanId: '0'.repeat(16) });
      const backwards = this.span(seq, 1_000_000);
      spans.push({ ...backwards, endTimeUnixNano: backwards.startTimeUnixNano - 1n });
    }
    return spans;
  }

  /** The ExportTraceServiceRequest of request `seq`. */
  body(seq: number): Uint8Array {
    return encodeTracesProtobuf(this.spansOf(seq));
  }

  /** Spans sent in request `seq`, valid and invalid. */
  sentCount(_seq: number): number {
    return this.opts.spansPerRequest;
  }
}

/** What the senders learnt about each request. */
export class Ledger {
  /** 200: its valid spans must be stored. */
  readonly acked = new Set<number>();
  /** Sent but no answer (connection lost): its spans may or may not be stored. */
  readonly unanswered = new Set<number>();
  /** Refused with 429/503 and not resent: none of its spans may be stored. */
  readonly refused = new Set<number>();
  /** HTTP status → answers. */
  readonly statuses = new Map<number, number>();
  /** 429/503 answers without a numeric Retry-After header. */
  refusalsWithoutRetryAfter = 0;
  /** Sum of partialSuccess.rejectedSpans over the 200 answers. */
  rejectedByAnswers = 0;
  /** Requests whose rejectedSpans was not the number of invalid spans they carried. */
  readonly wrongRejected: { seq: number; expected: number; answered: number }[] = [];
  /** Answers other than 200/429/503 (status and body text). */
  readonly unexpected: { seq: number; status: number; body: string }[] = [];
  /** Network errors other than a lost connection to a killed hub. */
  readonly errors: string[] = [];

  /** Every request that reached the wire, in any state. */
  attempted(): number[] {
    return [...new Set([...this.acked, ...this.unanswered, ...this.refused, ...this.unexpected.map((u) => u.seq)])].sort((a, b) => a - b);
  }

  count(status: number): number {
    return this.statuses.get(status) ?? 0;
  }
}

function rejectedSpansOf(body: Uint8Array): number {
  if (body.length === 0) return 0;
  const msg = otlpTypes().ExportTraceServiceResponse.decode(body) as unknown as { partialSuccess?: { rejectedSpans?: number | { toNumber(): number } } };
  const r = msg.partialSuccess?.rejectedSpans;
  if (r === undefined || r === null) return 0;
  return typeof r === 'number' ? r : r.toNumber();
}

export interface SendersOptions {
  /** The hub's OTLP/HTTP base URL (handle.otlpHttpUrl). */
  url: string;
  workload: Workload;
  ledger: Ledger;
  /** Exports in flight at once. */
  concurrency: number;
  /** The next request to send, or null when there is no more work. */
  nextSeq: () => number | null;
  /** Stop taking new work (requests in flight finish or fail). */
  signal?: AbortSignal;
  /** On 429/503: wait Retry-After and send the same request again (true), or record it as refused (false). */
  retryRefused: boolean;
  /** With retryRefused: wait this long instead of Retry-After (an impatient client). */
  retryDelayMs?: number;
  /** Called after every answer (e.g. to sample the hub's RSS). */
  onAnswer?: () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `concurrency` closed-loop senders until nextSeq() is null or the signal aborts. */
export async function runSenders(o: SendersOptions): Promise<void> {
  const url = `${o.url}/v1/traces`;
  const worker = async () => {
    for (;;) {
      if (o.signal?.aborted) return;
      const seq = o.nextSeq();
      if (seq === null) return;
      const body = o.workload.body(seq);
      for (;;) {
        let res: Response;
        let answer: Uint8Array;
        try {
          res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
          answer = new Uint8Array(await res.arrayBuffer());
        } catch (err) {
          o.ledger.unanswered.add(seq);
          if (!o.signal?.aborted) o.ledger.errors.push(`request ${seq}: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`);
          break;
        }
        o.ledger.statuses.set(res.status, o.ledger.count(res.status) + 1);
        o.onAnswer?.();
        if (res.status === 200) {
          o.ledger.acked.add(seq);
          const rejected = rejectedSpansOf(answer);
          o.ledger.rejectedByAnswers += rejected;
          const expected = o.workload.invalidCount(seq);
          if (rejected !== expected) o.ledger.wrongRejected.push({ seq, expected, answered: rejected });
          break;
        }
        if (res.status === 429 || res.status === 503) {
          const retryAfter = res.headers.get('retry-after');
          if (retryAfter === null || !/^\d+$/.test(retryAfter)) o.ledger.refusalsWithoutRetryAfter++;
          if (o.retryRefused && !o.signal?.aborted) {
            await sleep(o.retryDelayMs ?? Math.min(Number(retryAfter ?? 1), 5) * 1000);
            continue;
          }
          o.ledger.refused.add(seq);
          break;
        }
        let text = '';
        try {
          text = otlpTypes().Status.decode(answer).toJSON().message ?? '';
        } catch {
          text = Buffer.from(answer).toString('utf8');
        }
        o.ledger.unexpected.push({ seq, status: res.status, body: text.slice(0, 300) });
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
}

/** The /api/v1/traces/{id} JSON of a span as sent (durationMs left out: a display figure). */
export function expectedSpanJson(s: SpanRecord): Record<string, unknown> {
  const { serviceName, ...res } = s.resource;
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId === '' ? null : s.parentSpanId,
    name: s.name,
    kind: SPAN_KIND_NAMES[s.kind],
    service: serviceName,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    durationNs: (s.endTimeUnixNano - s.startTimeUnixNano).toString(),
    status: { code: STATUS_CODE_NAMES[s.statusCode], message: s.statusMessage },
    traceState: s.traceState,
    flags: s.flags,
    attributes: s.attributes,
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({ timeUnixNano: e.timeUnixNano.toString(), name: e.name, attributes: e.attributes, droppedAttributesCount: e.droppedAttributesCount })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links,
    droppedLinksCount: s.droppedLinksCount,
    resource: res,
    scope: s.scope,
  };
}

/** The first path at which `actual` differs from `expected` (JSON values), or null. */
export function firstDifference(expected: unknown, actual: unknown, at = ''): string | null {
  if (Object.is(expected, actual)) return null;
  if (typeof expected !== 'object' || expected === null || typeof actual !== 'object' || actual === null) {
    return `${at || '.'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  if (Array.isArray(expected)) {
    const a = actual as unknown[];
    if (a.length !== expected.length) return `${at}: expected ${expected.length} items ${JSON.stringify(expected)}, got ${a.length} ${JSON.stringify(a)}`;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], a[i], `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
    const d = firstDifference(e[key], a[key], `${at}.${key}`);
    if (d) return d;
  }
  return null;
}

export interface CheckOptions {
  /** Compare every field of at least this many acknowledged spans (whole traces, picked at random). */
  sampleSpans: number;
  /** ... and of every span of at least this many traces. */
  sampleTraces: number;
  /** Trace reads in flight. */
  concurrency?: number;
  /** Fields left out of the comparison (top-level Span keys). */
  ignore?: string[];
  /** How long traces short of acknowledged spans are read again before they count as missing (ms). */
  settleMs?: number;
}

export interface CheckReport {
  tracesRead: number;
  /** Distinct spans found in the traces the workload wrote. */
  storedSpans: number;
  /** Valid spans of acknowledged requests. */
  ackedSpans: number;
  missingAcked: number;
  storedUnanswered: number;
  /** A span id listed more than once in its trace. */
  duplicates: number;
  /** Spans of refused (429/503) requests found stored. */
  storedRefused: number;
  /** Spans the hub rejected (partial success) found stored. */
  storedRejected: number;
  /** Span ids in a trace that no request sent. */
  foreign: number;
  /** Traces whose spanCount (the summary) is not the number of spans listed. */
  countMismatches: number;
  /** Spans whose every field was compared, and how many of them were acknowledged. */
  compared: number;
  comparedAcked: number;
  comparedTraces: number;
  mismatches: string[];
  /** The first few problems of every kind, for the failure message. */
  examples: string[];
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url);
      const text = await res.text();
      return { status: res.status, body: res.status === 200 ? JSON.parse(text) : text };
    } catch (err) {
      if (attempt >= 2) throw err;
      await sleep(200);
    }
  }
}

/**
 * Reads every trace the attempted requests touched (compact format: span ids) and, for a random
 * sample of traces, the JSON detail, comparing every field of every span with what was sent.
 */
export async function checkStored(apiUrl: string, workload: Workload, ledger: Ledger, opts: CheckOptions, random: () => number = Math.random): Promise<CheckReport> {
  const attempted = new Set(ledger.attempted());
  const traces = new Set<number>();
  for (const seq of attempted) traces.add(seq).add(seq - 1);
  const empty = (): CheckReport => ({
    tracesRead: 0, storedSpans: 0, ackedSpans: 0, missingAcked: 0, storedUnanswered: 0, duplicates: 0, storedRefused: 0,
    storedRejected: 0, foreign: 0, countMismatches: 0, compared: 0, comparedAcked: 0, comparedTraces: 0, mismatches: [], examples: [],
  });
  const report = empty();
  for (const seq of ledger.acked) report.ackedSpans += workload.validOf(seq).length;

  /** span id → [trace, k, request] for the trace's valid spans. */
  const sentOf = (trace: number) => {
    const m = new Map<string, { k: number; seq: number }>();
    for (const seq of [trace, trace + 1]) {
      if (!attempted.has(seq)) continue;
      for (const [t, k] of workload.validOf(seq)) if (t === trace) m.set(workload.spanId(t, k), { k, seq });
    }
    return m;
  };
  const rejectedOf = (trace: number) => new Set(attempted.has(trace) ? workload.invalidSpanIdsOf(trace) : []);

  const order = [...traces].sort((a, b) => a - b);
  const sampled = new Set<number>();
  {
    // Whole traces at random until enough acknowledged spans are covered.
    const shuffled = [...order];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    let ackedCovered = 0;
    for (const t of shuffled) {
      if (ackedCovered >= opts.sampleSpans && sampled.size >= opts.sampleTraces) break;
      const acked = [...sentOf(t).values()].filter((v) => ledger.acked.has(v.seq)).length;
      if (acked === 0) continue;
      sampled.add(t);
      ackedCovered += acked;
    }
  }

  const ignore = new Set(opts.ignore ?? []);
  /** One trace's part of the report. */
  const checkTrace = async (trace: number): Promise<CheckReport> => {
    const report = empty();
    const example = (s: string) => {
      if (report.examples.length < 5) report.examples.push(s);
    };
    const traceId = workload.traceId(trace);
    const full = sampled.has(trace);
    // Span ids from the compact detail (API.md, version tracehub.compact/1), else from the JSON detail.
    let { status, body } = await getJson(`${apiUrl}/api/v1/traces/${traceId}${full ? '' : '?format=compact'}`);
    let json = full;
    if (!full && status === 200) {
      const c = body as { format?: string; spans?: { spanId?: unknown } };
      if (c.format !== 'tracehub.compact/1' || !Array.isArray(c.spans?.spanId)) {
        ({ status, body } = await getJson(`${apiUrl}/api/v1/traces/${traceId}`));
        json = true;
      }
    }
    report.tracesRead++;
    const sent = sentOf(trace);
    let ids: string[] = [];
    let spans: Record<string, unknown>[] = [];
    if (status === 200) {
      const b = body as { spanCount: number; spans: { spanId: string[] } | Record<string, unknown>[] };
      if (json) {
        spans = b.spans as Record<string, unknown>[];
        ids = spans.map((s) => s.spanId as string);
      } else {
        ids = (b.spans as { spanId: string[] }).spanId;
      }
      if (b.spanCount !== ids.length) {
        report.countMismatches++;
        example(`count: trace ${traceId} says spanCount ${b.spanCount} but lists ${ids.length} spans`);
      }
    } else if (status !== 404) {
      report.mismatches.push(`trace ${traceId}: GET answered ${status}: ${String(body).slice(0, 200)}`);
      return report;
    }
    const seen = new Set<string>();
    const rejected = rejectedOf(trace);
    for (const id of ids) {
      if (seen.has(id)) {
        report.duplicates++;
        example(`duplicate: span ${id} of trace ${traceId} (trace #${trace}) is listed twice`);
        continue;
      }
      seen.add(id);
      report.storedSpans++;
      const s = sent.get(id);
      if (rejected.has(id)) {
        report.storedRejected++;
        example(`stored although rejected: span ${id} of trace ${traceId}`);
      } else if (!s) {
        report.foreign++;
        example(`foreign: span ${id} in trace ${traceId} was never sent`);
      } else if (ledger.refused.has(s.seq)) {
        report.storedRefused++;
        example(`stored although refused: span ${id} of request ${s.seq}`);
      } else if (!ledger.acked.has(s.seq)) {
        report.storedUnanswered++;
      }
    }
    for (const [id, s] of sent) {
      if (ledger.acked.has(s.seq) && !seen.has(id)) {
        report.missingAcked++;
        example(`missing: acknowledged span ${id} (trace ${traceId} #${trace}, k ${s.k}, request ${s.seq})`);
      }
    }
    if (!full) return report;
    report.comparedTraces++;
    for (const actual of spans) {
      const s = sent.get(actual.spanId as string);
      if (!s) continue;
      const expected = expectedSpanJson(workload.span(trace, s.k));
      const { durationMs, ...rest } = actual;
      for (const key of ignore) {
        delete expected[key];
        delete rest[key];
      }
      report.compared++;
      if (ledger.acked.has(s.seq)) report.comparedAcked++;
      const d = firstDifference(expected, rest);
      const dur = Number(BigInt(expected.durationNs as string)) / 1e6;
      if (d) report.mismatches.push(`span ${actual.spanId} of trace ${traceId}: ${d}`);
      else if (typeof durationMs !== 'number' || Math.abs(durationMs - dur) > 1e-3) report.mismatches.push(`span ${actual.spanId}: durationMs ${durationMs}, expected ${dur}`);
    }
    return report;
  };

  const results = new Map<number, CheckReport>();
  const readAll = async (list: number[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: opts.concurrency ?? 4 }, async () => {
        while (next < list.length) {
          const t = list[next++]!;
          results.set(t, await checkTrace(t));
        }
      }),
    );
  };
  await readAll(order);
  // A store may make an acknowledged export visible a moment later (the issue allows up to 1 s):
  // traces still short of acknowledged spans are read again for up to settleMs before they count.
  const settleBy = Date.now() + (opts.settleMs ?? 15_000);
  for (;;) {
    const short = order.filter((t) => results.get(t)!.missingAcked > 0);
    if (short.length === 0 || Date.now() >= settleBy) break;
    await sleep(500);
    await readAll(short);
  }
  for (const t of order) {
    const r = results.get(t)!;
    for (const key of Object.keys(r) as (keyof CheckReport)[]) {
      if (key === 'examples' || key === 'mismatches') continue;
      (report[key] as number) += r[key] as number;
    }
    report.mismatches.push(...r.mismatches);
    for (const e of r.examples) if (report.examples.length < 30) report.examples.push(e);
  }
  return report;
}

/** The resident set size of a process in bytes (/proc/<pid>/status VmRSS; Linux). */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/** Seeded numbers in [0, 1) (sha256 of seed and counter), so a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let n = 0;
  return () => createHash('sha256').update(`${seed}:${n++}`).digest().readUInt32LE(0) / 4294967296;
}

export interface AccountingResult {
  /** Spans sent (valid and invalid). */
  sent: number;
  requests: number;
  sendSeconds: number;
  checkSeconds: number;
  ledger: Ledger;
  report: CheckReport;
  /** The hub's largest RSS while it ingested (sampled every 50 ms). */
  maxRssBytes: number;
}

async function withRss<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; maxRss: number; startRss: number }> {
  const startRss = await rssBytes(pid);
  let maxRss = startRss;
  const sampler = setInterval(() => {
    rssBytes(pid).then((b) => (maxRss = Math.max(maxRss, b)), () => {});
  }, 50);
  try {
    const value = await work();
    maxRss = Math.max(maxRss, await rssBytes(pid));
    return { value, maxRss, startRss };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Sends `spans` spans (a multiple of spansPerRequest) with `concurrency` exports in flight,
 * resending refused ones after Retry-After, then reads everything back (checkStored).
 */
export async function runAccounting(
  hub: { otlpHttpUrl: string; apiUrl: string; process: { pid?: number } },
  o: { spans: number; spansPerRequest: number; concurrency: number; seed: number; sampleSpans?: number },
): Promise<AccountingResult> {
  if (o.spans % o.spansPerRequest !== 0) throw new Error('spans must be a multiple of spansPerRequest');
  const workload = new Workload({ salt: `accounting-${o.seed}`, spansPerRequest: o.spansPerRequest, invalidEvery: 10, baseTimeNs: BigInt(Date.now() - 60_000) * 1_000_000n + 987_654_321n });
  const ledger = new Ledger();
  const requests = o.spans / o.spansPerRequest;
  let seq = 0;
  const t0 = performance.now();
  const { maxRss } = await withRss(hub.process.pid!, () =>
    runSenders({ url: hub.otlpHttpUrl, workload, ledger, concurrency: o.concurrency, nextSeq: () => (seq < requests ? seq++ : null), retryRefused: true }),
  );
  const t1 = performance.now();
  const report = await checkStored(hub.apiUrl, workload, ledger, { sampleSpans: o.sampleSpans ?? 1000, sampleTraces: 10 }, seededRandom(o.seed));
  let sent = 0;
  for (let s = 0; s < requests; s++) sent += workload.sentCount(s);
  return { sent, requests, sendSeconds: (t1 - t0) / 1000, checkSeconds: (performance.now() - t1) / 1000, ledger, report, maxRssBytes: maxRss };
}

export interface OverloadResult {
  /** Exports sent (each eventually acknowledged, or not: see ledger). */
  requests: number;
  refusals: number;
  ledger: Ledger;
  report: CheckReport;
  startRssBytes: number;
  maxRssBytes: number;
}

/**
 * `concurrency` impatient senders for `ms`: a refused export is sent again after `retryDelayMs`,
 * whatever Retry-After says; after `ms` no new exports, and the ones in flight are sent until
 * acknowledged. Then everything is read back (checkStored).
 */
export async function runOverload(
  hub: { otlpHttpUrl: string; apiUrl: string; process: { pid?: number } },
  o: { ms: number; spansPerRequest: number; concurrency: number; seed: number; retryDelayMs?: number },
): Promise<OverloadResult> {
  const workload = new Workload({ salt: `overload-${o.seed}`, spansPerRequest: o.spansPerRequest, invalidEvery: 10, baseTimeNs: BigInt(Date.now() - 60_000) * 1_000_000n + 1n });
  const ledger = new Ledger();
  let seq = 0;
  const deadline = Date.now() + o.ms;
  const { maxRss, startRss } = await withRss(hub.process.pid!, () =>
    runSenders({
      url: hub.otlpHttpUrl, workload, ledger, concurrency: o.concurrency,
      nextSeq: () => (Date.now() < deadline ? seq++ : null), retryRefused: true, retryDelayMs: o.retryDelayMs ?? 20,
    }),
  );
  const report = await checkStored(hub.apiUrl, workload, ledger, { sampleSpans: 1000, sampleTraces: 10 }, seededRandom(o.seed));
  return { requests: seq, refusals: ledger.count(429) + ledger.count(503), ledger, report, startRssBytes: startRss, maxRssBytes: maxRss };
}
