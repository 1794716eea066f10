/**
 * The span shape the rules read: the fields every OTLP backend has, with times
 * in microseconds relative to the trace start. tracehub's records and the UI's
 * spans both fit it (each adapts its own model), so nothing here knows either.
 */
export interface ExplainAttribute {
  key: string;
  /** OTLP AnyValue as tracehub spells it: `int` values are decimal strings. */
  value: { type: string; value?: unknown };
}

export interface TreeSpan {
  spanId: string;
  /** null (or '') for a root span */
  parentSpanId: string | null;
  /** Microseconds since the trace start. */
  startUs: number;
  durationUs: number;
}

export interface ExplainSpan extends TreeSpan {
  name: string;
  service: string;
  /** OTLP span kind, lower case: internal | server | client | producer | consumer | unspecified */
  kind: string;
  status: { code: string; message: string };
  attributes: readonly ExplainAttribute[];
  events: readonly { name: string; attributes: readonly ExplainAttribute[] }[];
}

export const CAUSE_KINDS = ['error', 'timeout', 'unreachable', 'retries-exhausted', 'slow', 'slow-query', 'n-plus-one'] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

/** How a span on the chain took part: where it started, who gave up, who passed it on, who merely waited. */
export const CHAIN_ROLES = ['cause', 'gave-up', 'propagated', 'waited', 'root'] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];

export interface Explanation {
  status: 'ok' | 'error';
  /** One plain English sentence. */
  summary: string;
  cause: { spanId: string; service: string; name: string; kind: CauseKind } | null;
  /** From the cause up to its root, cause first. */
  chain: { spanId: string; service: string; name: string; role: ChainRole }[];
}
