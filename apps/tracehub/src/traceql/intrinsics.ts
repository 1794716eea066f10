// The TraceQL intrinsics tracehub evaluates, the SQL each maps to, and the
// names Tempo knows that we reject as unsupported.

export type IntrinsicName =
  | 'name'
  | 'status'
  | 'kind'
  | 'duration'
  | 'statusMessage'
  | 'traceDuration'
  | 'rootName'
  | 'rootServiceName';

/** What a field may be compared with. */
export type IntrinsicType = 'string' | 'status' | 'kind' | 'duration';

export interface IntrinsicInfo {
  type: IntrinsicType;
  /** SQL over `s` (spans) or `t` (trace_summaries). */
  sql: string;
  /** True when `sql` reads `t`, which the caller must join. */
  trace: boolean;
}

export const INTRINSICS: Record<IntrinsicName, IntrinsicInfo> = {
  name: { type: 'string', sql: 's.name', trace: false },
  status: { type: 'status', sql: 's.status_code', trace: false },
  kind: { type: 'kind', sql: 's.kind', trace: false },
  duration: { type: 'duration', sql: 's.duration_ns', trace: false },
  statusMessage: { type: 'string', sql: 's.status_message', trace: false },
  traceDuration: { type: 'duration', sql: 't.duration_ns', trace: true },
  // The summary has no root until the root span arrives; Tempo then reports
  // an empty name, so NULL reads as '' (and `!(rootName = "x")` holds).
  rootName: { type: 'string', sql: "coalesce(t.root_name, '')", trace: true },
  rootServiceName: { type: 'string', sql: "coalesce(t.root_service, '')", trace: true },
};

/** Every spelling we accept, including Tempo 2.5+'s scoped forms. */
const SPELLINGS: Record<string, IntrinsicName> = {
  name: 'name',
  status: 'status',
  kind: 'kind',
  duration: 'duration',
  statusMessage: 'statusMessage',
  traceDuration: 'traceDuration',
  rootName: 'rootName',
  rootServiceName: 'rootServiceName',
  'span:name': 'name',
  'span:status': 'status',
  'span:kind': 'kind',
  'span:duration': 'duration',
  'span:statusMessage': 'statusMessage',
  'trace:duration': 'traceDuration',
  'trace:rootName': 'rootName',
  'trace:rootService': 'rootServiceName',
};

/** Intrinsics Tempo has that we do not evaluate. */
const UNSUPPORTED = new Set([
  'childCount',
  'parent',
  'nestedSetLeft',
  'nestedSetRight',
  'nestedSetParent',
  'span:id',
  'span:parentID',
  'span:childCount',
  'span:nestedSetLeft',
  'span:nestedSetRight',
  'span:nestedSetParent',
  'trace:id',
  'event:name',
  'event:timeSinceStart',
  'link:traceID',
  'link:spanID',
  'instrumentation:name',
  'instrumentation:version',
]);

export function lookupIntrinsic(word: string): IntrinsicName | undefined {
  return Object.hasOwn(SPELLINGS, word) ? SPELLINGS[word] : undefined;
}

/** True for Tempo intrinsics we reject, and for any other `scope:name` word. */
export function isUnsupportedIntrinsic(word: string): boolean {
  return UNSUPPORTED.has(word) || word.includes(':');
}

/** Names for Tempo's tag autocomplete, scope "intrinsic". */
export function traceqlIntrinsicTags(): string[] {
  return ['duration', 'kind', 'name', 'status', 'statusMessage', 'traceDuration', 'rootName', 'rootServiceName'];
}

export const STATUS_CODES = { unset: 0, ok: 1, error: 2 } as const;
export type StatusName = keyof typeof STATUS_CODES;

export const KIND_CODES = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
export type KindName = keyof typeof KIND_CODES;
