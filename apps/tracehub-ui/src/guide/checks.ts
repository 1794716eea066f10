// The lab guide's live checks (pure): which searches to run against tracehub,
// and, given their answers, which steps are done and with which trace. The
// page (GuidePage.tsx) does the I/O. Checks key on the root span name, status
// and the step spans (check-stock, call-payment-api, process-payment), never
// on intermediate spans whose shape may change.
import { criticalPath, selfTimeOnPath } from '../lib/criticalPath';
import { buildSpanTree } from '../lib/spanTree';
import type { SpanData, TraceSummary } from '../lib/types';

export type CheckId = 'normal' | 'out-of-stock' | 'payment-timeout' | 'payment-failure' | 'own-service';

/** The services the lab itself runs; a trace from any other is "your own app". */
export const LAB_SERVICES = ['order-service', 'payment-service', 'storefront'] as const;

const ROOT = 'GET /order';

export interface Check {
  id: CheckId;
  /** TraceQL selector sent as `q`: the span-level condition. */
  q: string;
  /** Trace-level conditions the selector cannot say (one selector matches one span). */
  accept(t: TraceSummary): boolean;
}

const rooted = (t: TraceSummary) => t.rootName === ROOT;
const hasService = (t: TraceSummary, name: string) => t.services.some((s) => s.name === name);

export const CHECKS: Record<CheckId, Check> = {
  // A whole successful order: the root arrived, payment authorised, nothing failed, both services in one trace.
  normal: {
    id: 'normal',
    q: `{ rootName = "${ROOT}" && name = "process-payment" && status != error }`,
    accept: (t) => rooted(t) && t.errorCount === 0 && hasService(t, 'order-service') && hasService(t, 'payment-service'),
  },
  'out-of-stock': {
    id: 'out-of-stock',
    q: `{ rootName = "${ROOT}" && name = "check-stock" && status = error }`,
    accept: (t) => rooted(t) && !hasService(t, 'payment-service'),
  },
  // error.type is the semantic-convention class of the failure; it tells a timeout from a refusal.
  'payment-timeout': {
    id: 'payment-timeout',
    q: `{ rootName = "${ROOT}" && name = "call-payment-api" && status = error && span.error.type = "PAYMENT_TIMEOUT" }`,
    accept: rooted,
  },
  'payment-failure': {
    id: 'payment-failure',
    q: `{ rootName = "${ROOT}" && name = "process-payment" && status = error && span.tracelab.payment.outcome = "declined" }`,
    accept: rooted,
  },
  'own-service': {
    id: 'own-service',
    q: `{ resource.service.name !~ "${LAB_SERVICES.join('|')}" }`,
    accept: (t) => t.services.some((s) => !(LAB_SERVICES as readonly string[]).includes(s.name)),
  },
};

export const CHECK_IDS = Object.keys(CHECKS) as CheckId[];

/** How many recent matches each search asks for; `accept` picks among them. */
export const SEARCH_LIMIT = 20;

/** The /api/v1/traces parameters of a check (all time, newest first). */
export function checkParams(id: CheckId): URLSearchParams {
  return new URLSearchParams({ q: CHECKS[id].q, limit: String(SEARCH_LIMIT) });
}

/** The search page link that shows what a check found, so the learner sees the query too. */
export function searchLink(id: CheckId): string {
  return `/?${new URLSearchParams({ q: CHECKS[id].q, range: 'all' })}`;
}

export type CheckResult = { done: false } | { done: true; trace: TraceSummary; matches: number };

/** One check's state from its search answer (newest first): done with the newest accepted trace. */
export function evaluateCheck(id: CheckId, answer: readonly TraceSummary[] | undefined): CheckResult {
  const accepted = (answer ?? []).filter(CHECKS[id].accept);
  return accepted.length === 0 ? { done: false } : { done: true, trace: accepted[0]!, matches: accepted.length };
}

export type Progress = Record<CheckId, CheckResult>;

export function evaluateAll(answers: Partial<Record<CheckId, readonly TraceSummary[]>>): Progress {
  return Object.fromEntries(CHECK_IDS.map((id) => [id, evaluateCheck(id, answers[id])])) as Progress;
}

/** Services of a trace other than the lab's own (for the "your own app" step). */
export function ownServices(t: TraceSummary): string[] {
  return t.services.map((s) => s.name).filter((n) => !(LAB_SERVICES as readonly string[]).includes(n));
}

/** Whether a live trace can change any check: a lab order, or spans of the learner's own service. */
export function concernsChecks(t: TraceSummary): boolean {
  return rooted(t) || ownServices(t).length > 0;
}

// --- Answers to the guide's questions, read from a whole trace ---

export interface SpanAnswer {
  spanId: string;
  name: string;
  service: string;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  message: string;
}

const answer = (s: SpanData): SpanAnswer => ({
  spanId: s.spanId,
  name: s.name,
  service: s.service,
  durationMs: s.durationUs / 1000,
  status: s.status.code,
  message: s.status.message,
});

/** The first span with this name (an ERROR one if `failed`), optionally of one service. */
export function findStep(spans: readonly SpanData[], name: string, opts: { service?: string; failed?: boolean } = {}): SpanAnswer | undefined {
  const s = spans.find(
    (x) => x.name === name && (opts.service === undefined || x.service === opts.service) && (!opts.failed || x.status.code === 'error'),
  );
  return s && answer(s);
}

/**
 * Where the trace crossed from one service into another: the first span whose
 * parent belongs to a different service, with that parent (the caller side).
 */
export function findHandOff(spans: readonly SpanData[]): { caller: SpanAnswer; callee: SpanAnswer } | undefined {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (const s of spans) {
    const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
    if (parent && parent.service !== s.service) return { caller: answer(parent), callee: answer(s) };
  }
  return undefined;
}

/** The span that holds up the trace longest itself: the most own time on the critical path. */
export function slowestStep(spans: readonly SpanData[]): SpanAnswer | undefined {
  const tree = buildSpanTree(spans);
  let best: [number, number] | undefined;
  for (const [i, us] of selfTimeOnPath(criticalPath(tree))) if (!best || us > best[1]) best = [i, us];
  return best && answer(tree.spans[best[0]]!);
}

// --- Goal 3: send one span by hand, as an exporter would ---

/**
 * A copy-paste curl that POSTs one span as OTLP/JSON to a receiver: what an
 * SDK's exporter does, without an SDK. Ids are hex, times unix nanoseconds.
 */
export function otlpHelloCommand(opts: { endpoint: string; traceId: string; spanId: string; nowMs: number; service?: string }): string {
  const startNs = BigInt(Math.round(opts.nowMs)) * 1_000_000n;
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: opts.service ?? 'my-first-service' } }] },
        scopeSpans: [
          {
            scope: { name: 'by-hand' },
            spans: [
              {
                traceId: opts.traceId,
                spanId: opts.spanId,
                name: 'hello-otlp',
                kind: 2,
                startTimeUnixNano: String(startNs),
                endTimeUnixNano: String(startNs + 42_000_000n),
                attributes: [{ key: 'lab.step', value: { stringValue: 'exporter-to-backend' } }],
              },
            ],
          },
        ],
      },
    ],
  };
  return `curl -s ${opts.endpoint}/v1/traces -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;
}

/** `n` random bytes as lower-case hex (trace ids: 16, span ids: 8). */
export function randomHex(bytes: number, random: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  return Array.from(random(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// --- The commands each step gives to copy ---

/** Where `npm start` puts order-service and tracehub's OTLP/HTTP receiver. */
export const LAB_URLS = { order: 'http://127.0.0.1:8080', otlpHttp: 'http://127.0.0.1:4318' } as const;

/** The seed's calls, as in scripts/lib/scenarios.mjs (the e2e test checks they agree). */
export const SCENARIO_PATHS = {
  normal: '/order?productName=Book&delay=100',
  'out-of-stock': '/order?productName=OutOfStockItem&delay=100',
  'payment-timeout': '/order?productName=Book&delay=600',
  'payment-failure': '/order?productName=Book&delay=100&fail=true',
} as const;
export type ScenarioName = keyof typeof SCENARIO_PATHS;

export function scenarioCommands(name: ScenarioName): { curl: string; npm: string } {
  return { curl: `curl -s '${LAB_URLS.order}${SCENARIO_PATHS[name]}'`, npm: `npm run scenario -- ${name}` };
}
