// The spec (after validation) and the trace as tracehub's /api/v1 returns it.
import type { AnyValue, Attribute, Span } from '@tracelab/api-contract';

/** A span name or text pattern: exact text, a glob with `*` and `?`, or `/regex/flags`. */
export interface Pattern {
  /** As written in the spec, for messages. */
  source: string;
  test(text: string): boolean;
}

/** What an attribute must be: equal as text, match a regex, or be absent (`null`). */
export type ValueMatcher = { kind: 'equals'; text: string } | { kind: 'regex'; pattern: Pattern } | { kind: 'absent' };

export interface RequestSpec {
  method: string;
  /** Path with optional query string, e.g. `/order?productName=Book`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** JSON body, sent with content-type application/json. */
  body?: unknown;
}

export interface ResponseSpec {
  status: number;
  /** Fields the JSON answer must have (a subset, compared deeply). */
  body?: Record<string, unknown>;
}

export interface TraceRules {
  services?: string[];
  minSpans?: number;
  maxSpans?: number;
  /** Milliseconds. */
  maxDuration?: number;
}

export interface SpanRule {
  /** Position in the spec, e.g. `assertions[2]`, for messages. */
  where: string;
  name: Pattern;
  service?: string;
  /** Only spans with an ancestor of this name. */
  under?: Pattern;
  /** How many selected spans there must be; default at least 1. */
  min: number;
  max?: number;
  parent?: Pattern;
  root?: boolean;
  kind?: string;
  status?: 'ok' | 'error' | 'unset';
  /** Status message contains (or matches). */
  message?: Pattern;
  /** An `exception` event whose exception.message contains (or matches). */
  exception?: Pattern;
  attributes: { key: string; matcher: ValueMatcher; source: unknown }[];
  /** Milliseconds. */
  minDuration?: number;
  maxDuration?: number;
}

export interface Spec {
  name: string;
  description?: string;
  /** The file it came from. */
  file: string;
  request: RequestSpec;
  response: ResponseSpec;
  trace: TraceRules;
  assertions: SpanRule[];
}

/** An attribute value and an attribute as /api/v1 sends them (@tracelab/api-contract). */
export type WireValue = AnyValue;
export type WireAttribute = Attribute;

/** The fields of an /api/v1 span (@tracelab/api-contract Span) that the assertions read. */
export type TraceSpan = Pick<Span, 'spanId' | 'parentSpanId' | 'name' | 'kind' | 'service' | 'startTimeUnixNano' | 'durationMs' | 'status' | 'attributes'> & {
  endTimeUnixNano?: string;
  events: Pick<Span['events'][number], 'name' | 'attributes'>[];
};

/** One assertion's outcome: a line of the report, a JUnit test case. */
export interface AssertionResult {
  /** What was asserted, e.g. `check-stock [order-service]: status is error`. */
  title: string;
  pass: boolean;
  /** Why it failed, naming the offending spans. */
  failures: string[];
}
