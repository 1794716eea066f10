// Rules against a trace: pure, no I/O. Each rule yields one result for its
// count and one per property it checks; a failing result names every span
// that broke it, so the report says where to look.
import { formatMs } from './pattern.js';
import type { AssertionResult, ResponseSpec, Spec, SpanRule, TraceRules, TraceSpan, WireValue } from './types.js';

export interface Answer {
  status: number;
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
}

/** Everything a spec says, checked against one answer and its trace. */
export function evaluate(spec: Spec, answer: Answer, spans: TraceSpan[]): AssertionResult[] {
  return [...checkResponse(spec.response, answer), ...checkTrace(spec.trace, spans), ...spec.assertions.flatMap((r) => checkRule(r, spans))];
}

export function checkResponse(expect: ResponseSpec, answer: Answer): AssertionResult[] {
  const results: AssertionResult[] = [
    result(`response: HTTP status is ${expect.status}`, answer.status === expect.status ? [] : [`got HTTP ${answer.status}`]),
  ];
  if (expect.body) {
    const failures = Object.entries(expect.body)
      .filter(([k, v]) => !isSubset(v, (answer.body as Record<string, unknown> | undefined)?.[k]))
      .map(([k, v]) => `body.${k} is ${JSON.stringify((answer.body as Record<string, unknown> | undefined)?.[k])}, expected ${JSON.stringify(v)}`);
    results.push(result(`response: body has ${JSON.stringify(expect.body)}`, failures));
  }
  return results;
}

export function checkTrace(rules: TraceRules, spans: TraceSpan[]): AssertionResult[] {
  const out: AssertionResult[] = [];
  if (rules.services) {
    const present = new Set(spans.map((s) => s.service));
    for (const svc of rules.services) {
      out.push(result(`trace: has spans of service ${svc}`, present.has(svc) ? [] : [`no span of ${svc}; services present: ${[...present].sort().join(', ') || 'none'}`]));
    }
  }
  if (rules.minSpans !== undefined) {
    out.push(result(`trace: at least ${rules.minSpans} spans`, spans.length >= rules.minSpans ? [] : [`the trace has ${spans.length} spans`]));
  }
  if (rules.maxSpans !== undefined) {
    out.push(result(`trace: at most ${rules.maxSpans} spans`, spans.length <= rules.maxSpans ? [] : [`the trace has ${spans.length} spans`]));
  }
  if (rules.maxDuration !== undefined) {
    const d = traceDurationMs(spans);
    out.push(result(`trace: lasts at most ${formatMs(rules.maxDuration)}`, d <= rules.maxDuration ? [] : [`the trace lasts ${formatMs(d)}`]));
  }
  return out;
}

export function checkRule(rule: SpanRule, spans: TraceSpan[]): AssertionResult[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const parentOf = (s: TraceSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
  const selected = spans.filter((s) => {
    if (!rule.name.test(s.name)) return false;
    if (rule.service !== undefined && s.service !== rule.service) return false;
    if (rule.under) {
      for (let p = parentOf(s), hops = 0; p && hops < spans.length; p = parentOf(p), hops++) {
        if (rule.under.test(p.name)) return true;
      }
      return false;
    }
    return true;
  });
  const subject = ruleLabel(rule);
  const results: AssertionResult[] = [countResult(rule, subject, selected)];
  if (selected.length === 0) return results;

  const each = (what: string, fails: (s: TraceSpan) => string | undefined) => {
    const failures: string[] = [];
    for (const s of selected) {
      const why = fails(s);
      if (why) failures.push(`${spanLabel(s)}: ${why}`);
    }
    results.push(result(`${subject}: ${what}`, failures));
  };

  if (rule.root !== undefined) {
    each(rule.root ? 'is the root span' : 'is not the root span', (s) => {
      const isRoot = s.parentSpanId === null;
      if (isRoot === rule.root) return undefined;
      return isRoot ? 'is the root' : `has parent ${describeParent(s, parentOf(s))}`;
    });
  }
  if (rule.parent) {
    const want = rule.parent;
    each(`parent is "${want.source}"`, (s) => {
      const p = parentOf(s);
      return p && want.test(p.name) ? undefined : `parent is ${describeParent(s, p)}`;
    });
  }
  if (rule.kind) each(`kind is ${rule.kind}`, (s) => (s.kind === rule.kind ? undefined : `kind is ${s.kind}`));
  if (rule.status) {
    each(`status is ${rule.status}`, (s) => (s.status.code === rule.status ? undefined : `status is ${s.status.code}${s.status.message ? ` (${JSON.stringify(s.status.message)})` : ''}`));
  }
  if (rule.message) {
    const want = rule.message;
    each(`status message matches ${JSON.stringify(want.source)}`, (s) => (want.test(s.status.message) ? undefined : `status message is ${JSON.stringify(s.status.message)}`));
  }
  if (rule.exception) {
    const want = rule.exception;
    each(`records an exception matching ${JSON.stringify(want.source)}`, (s) => {
      const messages = exceptionMessages(s);
      if (messages.some((m) => want.test(m))) return undefined;
      return messages.length === 0 ? 'records no exception event' : `exception messages are ${messages.map((m) => JSON.stringify(m)).join(', ')}`;
    });
  }
  for (const a of rule.attributes) {
    const what =
      a.matcher.kind === 'absent' ? `has no attribute ${a.key}` : a.matcher.kind === 'regex' ? `attribute ${a.key} matches ${a.matcher.pattern.source}` : `attribute ${a.key} = ${JSON.stringify(a.source)}`;
    each(what, (s) => {
      const found = s.attributes.find((x) => x.key === a.key);
      const text = found ? valueText(found.value) : undefined;
      switch (a.matcher.kind) {
        case 'absent':
          return text === undefined ? undefined : `${a.key} is ${JSON.stringify(text)}`;
        case 'equals':
          return text === a.matcher.text ? undefined : text === undefined ? `has no attribute ${a.key}` : `${a.key} is ${JSON.stringify(text)}`;
        case 'regex':
          return text !== undefined && a.matcher.pattern.test(text) ? undefined : text === undefined ? `has no attribute ${a.key}` : `${a.key} is ${JSON.stringify(text)}`;
      }
    });
  }
  if (rule.minDuration !== undefined) {
    const min = rule.minDuration;
    each(`lasts at least ${formatMs(min)}`, (s) => (s.durationMs >= min ? undefined : `lasts ${formatMs(s.durationMs)}`));
  }
  if (rule.maxDuration !== undefined) {
    const max = rule.maxDuration;
    each(`lasts at most ${formatMs(max)}`, (s) => (s.durationMs <= max ? undefined : `lasts ${formatMs(s.durationMs)}`));
  }
  return results;
}

function countResult(rule: SpanRule, subject: string, selected: TraceSpan[]): AssertionResult {
  const { min, max } = rule;
  const what = max === undefined ? (min === 1 ? 'exists' : `at least ${min} spans`) : min === max ? (max === 0 ? 'is absent' : `exactly ${max} span${max === 1 ? '' : 's'}`) : min === 0 ? `at most ${max} span${max === 1 ? '' : 's'}` : `${min} to ${max} spans`;
  const ok = selected.length >= min && (max === undefined || selected.length <= max);
  const failures = ok ? [] : [`found ${selected.length}${selected.length > 0 ? `: ${selected.map(spanLabel).join('; ')}` : ''}`];
  return result(`${subject}: ${what}`, failures);
}

/** `check-stock [order-service] under "save-order"`: the rule's selector as a reader sees it. */
export function ruleLabel(rule: SpanRule): string {
  return `${rule.where} "${rule.name.source}"${rule.service ? ` [${rule.service}]` : ''}${rule.under ? ` under "${rule.under.source}"` : ''}`;
}

export function spanLabel(s: TraceSpan): string {
  return `span "${s.name}" [${s.service}] ${s.spanId}`;
}

function describeParent(s: TraceSpan, p: TraceSpan | undefined): string {
  if (p) return `"${p.name}" [${p.service}]`;
  return s.parentSpanId ? `${s.parentSpanId} (not in the trace)` : 'none (it is the root)';
}

function exceptionMessages(s: TraceSpan): string[] {
  return s.events
    .filter((e) => e.name === 'exception')
    .map((e) => e.attributes.find((a) => a.key === 'exception.message'))
    .filter((a) => a !== undefined)
    .map((a) => valueText(a.value) ?? '');
}

/** An attribute value as text: ints are decimal strings on the wire already, bools `true`/`false`, arrays JSON. */
export function valueText(v: WireValue): string | undefined {
  switch (v.type) {
    case 'empty':
      return '';
    case 'array':
      return JSON.stringify((v.value as WireValue[]).map(valueText));
    case 'kvlist':
      return JSON.stringify(v.value);
    default:
      return String(v.value);
  }
}

export function traceDurationMs(spans: TraceSpan[]): number {
  if (spans.length === 0) return 0;
  let start = BigInt(spans[0]!.startTimeUnixNano);
  let end = start;
  for (const s of spans) {
    const st = BigInt(s.startTimeUnixNano);
    const en = s.endTimeUnixNano ? BigInt(s.endTimeUnixNano) : st + BigInt(Math.round(s.durationMs * 1e6));
    if (st < start) start = st;
    if (en > end) end = en;
  }
  return Number(end - start) / 1e6;
}

function isSubset(want: unknown, got: unknown): boolean {
  if (want === null || typeof want !== 'object') return want === got;
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((w, i) => isSubset(w, got[i]));
  if (got === null || typeof got !== 'object') return false;
  return Object.entries(want).every(([k, v]) => isSubset(v, (got as Record<string, unknown>)[k]));
}

function result(title: string, failures: string[]): AssertionResult {
  return { title, pass: failures.length === 0, failures };
}
