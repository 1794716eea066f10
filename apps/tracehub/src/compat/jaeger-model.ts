/**
 * SpanRecord[] → the Jaeger query API's trace model (the JSON that Jaeger UI
 * and Grafana's Jaeger client decode). Follows the OTLP → Jaeger mapping of
 * the OpenTelemetry Jaeger translator: span kind and status become tags
 * (`span.kind`, `otel.status_code`, `error=true`, `otel.status_description`),
 * events become logs, the resource becomes the process, parent and links
 * become CHILD_OF / FOLLOWS_FROM references. Times are whole microseconds.
 */
import { SPAN_KIND_NAMES, type AnyValue, type Attribute, type SpanRecord } from '../model.js';
import { resourceKey } from '../otlp/group.js';
import { nsToMicros } from './ids.js';

export interface JaegerKeyValue {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: string | number | boolean;
}
export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}
export interface JaegerLog {
  timestamp: number;
  fields: JaegerKeyValue[];
}
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  flags: number;
  operationName: string;
  references: JaegerReference[];
  startTime: number;
  duration: number;
  tags: JaegerKeyValue[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}
export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

/** Compound and non-JSON values have no Jaeger type; they travel as JSON text, as the OTel translator does. */
function plainJson(v: AnyValue): unknown {
  switch (v.type) {
    case 'array':
      return v.value.map(plainJson);
    case 'kvlist':
      return Object.fromEntries(v.value.map((a) => [a.key, plainJson(a.value)]));
    case 'int':
      return Number.isSafeInteger(Number(v.value)) ? Number(v.value) : v.value;
    case 'empty':
      return null;
    default:
      return v.value;
  }
}

export function toJaegerKeyValue(key: string, v: AnyValue): JaegerKeyValue {
  switch (v.type) {
    case 'string':
      return { key, type: 'string', value: v.value };
    case 'bool':
      return { key, type: 'bool', value: v.value };
    case 'int': {
      const n = Number(v.value);
      // Beyond 2^53 a JSON number would lose digits: keep the exact text.
      return Number.isSafeInteger(n) ? { key, type: 'int64', value: n } : { key, type: 'string', value: v.value };
    }
    case 'double':
      return typeof v.value === 'number'
        ? { key, type: 'float64', value: v.value }
        : { key, type: 'string', value: v.value };
    case 'bytes':
      return { key, type: 'binary', value: v.value };
    case 'empty':
      return { key, type: 'string', value: '' };
    default:
      return { key, type: 'string', value: JSON.stringify(plainJson(v)) };
  }
}

const tagsOf = (attrs: Attribute[]) => attrs.map((a) => toJaegerKeyValue(a.key, a.value));
const str = (key: string, value: string): JaegerKeyValue => ({ key, type: 'string', value });

function spanTags(s: SpanRecord): JaegerKeyValue[] {
  const tags = tagsOf(s.attributes);
  if (s.kind !== 0 && SPAN_KIND_NAMES[s.kind]) tags.push(str('span.kind', SPAN_KIND_NAMES[s.kind]!));
  if (s.statusCode === 1) tags.push(str('otel.status_code', 'OK'));
  if (s.statusCode === 2) {
    tags.push(str('otel.status_code', 'ERROR'));
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  if (s.statusMessage !== '') tags.push(str('otel.status_description', s.statusMessage));
  if (s.scope.name !== '') tags.push(str('otel.scope.name', s.scope.name));
  if (s.scope.version !== '') tags.push(str('otel.scope.version', s.scope.version));
  if (s.traceState !== '') tags.push(str('w3c.tracestate', s.traceState));
  return tags;
}

function spanReferences(s: SpanRecord): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (s.parentSpanId !== '') refs.push({ refType: 'CHILD_OF', traceID: s.traceId, spanID: s.parentSpanId });
  for (const l of s.links) refs.push({ refType: 'FOLLOWS_FROM', traceID: l.traceId, spanID: l.spanId });
  return refs;
}

/** One Jaeger trace from the spans of one trace (any order; output ordered by start time). */
export function spansToJaegerTrace(spans: SpanRecord[]): JaegerTrace {
  const processes: Record<string, JaegerProcess> = {};
  const processIds = new Map<string, string>();
  const ordered = [...spans].sort((a, b) =>
    a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0,
  );
  const out: JaegerSpan[] = ordered.map((s) => {
    const key = resourceKey(s.resource);
    let pid = processIds.get(key);
    if (pid === undefined) {
      pid = `p${processIds.size + 1}`;
      processIds.set(key, pid);
      processes[pid] = {
        serviceName: s.resource.serviceName,
        tags: tagsOf(s.resource.attributes.filter((a) => a.key !== 'service.name')),
      };
    }
    const durationNs = s.endTimeUnixNano - s.startTimeUnixNano;
    return {
      traceID: s.traceId,
      spanID: s.spanId,
      flags: s.flags & 0xff,
      operationName: s.name,
      references: spanReferences(s),
      startTime: nsToMicros(s.startTimeUnixNano),
      duration: nsToMicros(durationNs > 0n ? durationNs : 0n),
      tags: spanTags(s),
      logs: s.events.map((e) => ({
        timestamp: nsToMicros(e.timeUnixNano),
        fields: [str('event', e.name), ...tagsOf(e.attributes)],
      })),
      processID: pid,
      warnings: null,
    };
  });
  return { traceID: spans[0]?.traceId ?? '', spans: out, processes, warnings: null };
}

/** The kind names Jaeger's /api/operations uses ('' for unspecified). */
export function jaegerSpanKind(kind: number): string {
  return kind === 0 ? '' : (SPAN_KIND_NAMES[kind] ?? '');
}
