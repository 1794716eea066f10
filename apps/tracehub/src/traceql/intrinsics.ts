// The TraceQL intrinsics: their spellings, types and (where the span table
// has them) the SQL each maps to.

export type IntrinsicName =
  | 'name'
  | 'status'
  | 'kind'
  | 'duration'
  | 'statusMessage'
  | 'traceDuration'
  | 'rootName'
  | 'rootServiceName'
  | 'span:id'
  | 'span:parentID'
  | 'span:childCount'
  | 'nestedSetLeft'
  | 'nestedSetRight'
  | 'nestedSetParent'
  | 'trace:id'
  | 'event:name'
  | 'event:timeSinceStart'
  | 'link:traceID'
  | 'link:spanID'
  | 'instrumentation:name'
  | 'instrumentation:version';

/** What a field may be compared with. */
export type IntrinsicType = 'string' | 'status' | 'kind' | 'duration' | 'int';

export interface IntrinsicInfo {
  type: IntrinsicType;
  /** SQL over `s` (spans) or `t` (trace_summaries); null when only the evaluator can compute it. */
  sql: string | null;
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
  'span:id': { type: 'string', sql: 's.span_id', trace: false },
  'span:parentID': { type: 'string', sql: 's.parent_span_id', trace: false },
  'span:childCount': { type: 'int', sql: null, trace: false },
  nestedSetLeft: { type: 'int', sql: null, trace: false },
  nestedSetRight: { type: 'int', sql: null, trace: false },
  nestedSetParent: { type: 'int', sql: null, trace: false },
  'trace:id': { type: 'string', sql: 's.trace_id', trace: false },
  'event:name': { type: 'string', sql: null, trace: false },
  'event:timeSinceStart': { type: 'duration', sql: null, trace: false },
  'link:traceID': { type: 'string', sql: null, trace: false },
  'link:spanID': { type: 'string', sql: null, trace: false },
  'instrumentation:name': { type: 'string', sql: '(SELECT sc.name FROM scopes sc WHERE sc.scope_id = s.scope_id)', trace: false },
  'instrumentation:version': { type: 'string', sql: '(SELECT sc.version FROM scopes sc WHERE sc.scope_id = s.scope_id)', trace: false },
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
  'span:id': 'span:id',
  'span:parentID': 'span:parentID',
  'span:childCount': 'span:childCount',
  childCount: 'span:childCount',
  nestedSetLeft: 'nestedSetLeft',
  nestedSetRight: 'nestedSetRight',
  nestedSetParent: 'nestedSetParent',
  'span:nestedSetLeft': 'nestedSetLeft',
  'span:nestedSetRight': 'nestedSetRight',
  'span:nestedSetParent': 'nestedSetParent',
  'trace:id': 'trace:id',
  'event:name': 'event:name',
  'event:timeSinceStart': 'event:timeSinceStart',
  'link:traceID': 'link:traceID',
  'link:spanID': 'link:spanID',
  'instrumentation:name': 'instrumentation:name',
  'instrumentation:version': 'instrumentation:version',
};


export function lookupIntrinsic(word: string): IntrinsicName | undefined {
  return Object.hasOwn(SPELLINGS, word) ? SPELLINGS[word] : undefined;
}

/** Every intrinsic spelling, for error messages. */
export function intrinsicSpellings(): string[] {
  return Object.keys(SPELLINGS);
}

/** Names for Tempo's tag autocomplete, scope "intrinsic". */
export function traceqlIntrinsicTags(): string[] {
  return [
    'duration', 'kind', 'name', 'status', 'statusMessage', 'traceDuration', 'rootName', 'rootServiceName',
    'span:id', 'span:parentID', 'span:childCount', 'trace:id', 'event:name', 'event:timeSinceStart',
    'link:traceID', 'link:spanID', 'instrumentation:name', 'instrumentation:version',
  ];
}

export const STATUS_CODES = { unset: 0, ok: 1, error: 2 } as const;
export type StatusName = keyof typeof STATUS_CODES;

export const KIND_CODES = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
export type KindName = keyof typeof KIND_CODES;
