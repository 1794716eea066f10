// Field values of one span, as TraceQL sees them: typed values, several of
// them for array attributes (any element may match, as in Tempo), for
// event:/link: fields and event./link. attributes (one per event or link),
// and for unscoped `.x` (the span's and the resource's). Pure.
import type { AnyValue, Attribute, SpanRecord } from '../model.js';
import type { Field, Literal } from './ast.js';
import { KIND_CODES, STATUS_CODES, type KindName, type StatusName } from './intrinsics.js';
import type { TraceContext } from './trace-context.js';

export type Value =
  | { type: 'string'; value: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  /** nanoseconds */
  | { type: 'duration'; value: number }
  | { type: 'status'; value: StatusName }
  | { type: 'kind'; value: KindName };

const STATUS_BY_CODE = Object.fromEntries(Object.entries(STATUS_CODES).map(([k, v]) => [v, k])) as Record<number, StatusName>;
const KIND_BY_CODE = Object.fromEntries(Object.entries(KIND_CODES).map(([k, v]) => [v, k])) as Record<number, KindName>;

export function literalValue(l: Literal): Value {
  if (l.type === 'duration') return { type: 'duration', value: Number(l.ns) };
  return l as Value;
}

/** A scalar AnyValue as TraceQL values; arrays give their scalar elements. */
export function anyValues(v: AnyValue, out: Value[] = []): Value[] {
  switch (v.type) {
    case 'string':
    case 'bytes':
      out.push({ type: 'string', value: v.value });
      break;
    case 'bool':
      out.push({ type: 'bool', value: v.value });
      break;
    case 'int':
      out.push({ type: 'int', value: Number(v.value) });
      break;
    case 'double':
      out.push({ type: 'float', value: typeof v.value === 'number' ? v.value : Number(v.value) });
      break;
    case 'array':
      for (const e of v.value) if (e.type !== 'array') anyValues(e, out);
      break;
    default:
      break;
  }
  return out;
}

function attr(list: Attribute[], key: string): AnyValue | undefined {
  for (const a of list) if (a.key === key) return a.value;
  return undefined;
}

function resourceAttr(span: SpanRecord, key: string): AnyValue | undefined {
  const v = attr(span.resource.attributes, key);
  if (v === undefined && key === 'service.name') return { type: 'string', value: span.resource.serviceName };
  return v;
}

/** The raw attribute values a field names on a span (several for events, links, and `.x`). */
function attributeAnyValues(field: Extract<Field, { type: 'attribute' }>, span: SpanRecord): AnyValue[] {
  const out: AnyValue[] = [];
  const push = (v: AnyValue | undefined): void => {
    if (v !== undefined) out.push(v);
  };
  switch (field.scope) {
    case 'span':
      push(attr(span.attributes, field.name));
      break;
    case 'resource':
      push(resourceAttr(span, field.name));
      break;
    case 'none':
      push(attr(span.attributes, field.name));
      push(resourceAttr(span, field.name));
      break;
    case 'event':
      for (const e of span.events) push(attr(e.attributes, field.name));
      break;
    case 'link':
      for (const l of span.links) push(attr(l.attributes, field.name));
      break;
    case 'instrumentation':
      push(attr(span.scope.attributes, field.name));
      break;
  }
  return out;
}

function targetSpan(field: Field, span: SpanRecord, ctx: TraceContext): SpanRecord | undefined {
  if (field.type === 'attribute' && field.parent) return ctx.relations.get(span)?.parent;
  return span;
}

/** True when the attribute is set on the span (whatever its type). */
export function hasAttribute(field: Extract<Field, { type: 'attribute' }>, span: SpanRecord, ctx: TraceContext): boolean {
  const target = targetSpan(field, span, ctx);
  return target !== undefined && attributeAnyValues(field, target).length > 0;
}

/**
 * The field's values grouped by source: one group per attribute value found
 * (an array attribute is one group of its elements), one group per event or
 * link for event:/link: fields, one group of one for other intrinsics.
 */
export function fieldValueGroups(field: Field, span: SpanRecord, ctx: TraceContext): Value[][] {
  const target = targetSpan(field, span, ctx);
  if (target === undefined) return [];
  if (field.type === 'attribute') return attributeAnyValues(field, target).map((v) => anyValues(v));
  return fieldValues(field, span, ctx).map((v) => [v]);
}

/** Every value the field has on the span; [] when it has none. */
export function fieldValues(field: Field, span: SpanRecord, ctx: TraceContext): Value[] {
  const target = targetSpan(field, span, ctx);
  if (target === undefined) return [];
  if (field.type === 'attribute') {
    const out: Value[] = [];
    for (const v of attributeAnyValues(field, target)) anyValues(v, out);
    return out;
  }
  const rel = ctx.relations.get(target);
  const str = (value: string): Value[] => [{ type: 'string', value }];
  const int = (value: number): Value[] => [{ type: 'int', value }];
  switch (field.name) {
    case 'name':
      return str(target.name);
    case 'status':
      return [{ type: 'status', value: STATUS_BY_CODE[target.statusCode] ?? 'unset' }];
    case 'kind':
      return [{ type: 'kind', value: KIND_BY_CODE[target.kind] ?? 'unspecified' }];
    case 'duration':
      return [{ type: 'duration', value: Number(target.endTimeUnixNano - target.startTimeUnixNano) }];
    case 'statusMessage':
      return str(target.statusMessage);
    case 'traceDuration':
      return [{ type: 'duration', value: Number(ctx.durationNs) }];
    case 'rootName':
      return str(ctx.rootName);
    case 'rootServiceName':
      return str(ctx.rootService);
    case 'span:id':
      return str(target.spanId);
    case 'span:parentID':
      return target.parentSpanId === '' ? [] : str(target.parentSpanId);
    case 'span:childCount':
      return int(rel?.childCount ?? 0);
    case 'nestedSetLeft':
      return int(rel?.nestedSetLeft ?? 0);
    case 'nestedSetRight':
      return int(rel?.nestedSetRight ?? 0);
    case 'nestedSetParent':
      return int(rel?.nestedSetParent ?? 0);
    case 'trace:id':
      return str(target.traceId);
    case 'event:name':
      return target.events.map((e) => ({ type: 'string', value: e.name }));
    case 'event:timeSinceStart':
      return target.events.map((e) => ({ type: 'duration', value: Number(e.timeUnixNano - target.startTimeUnixNano) }));
    case 'link:traceID':
      return target.links.map((l) => ({ type: 'string', value: l.traceId }));
    case 'link:spanID':
      return target.links.map((l) => ({ type: 'string', value: l.spanId }));
    case 'instrumentation:name':
      return str(target.scope.name);
    case 'instrumentation:version':
      return str(target.scope.version);
  }
}

/** The field's (first) value on the span, or null when it has none. */
export function fieldValue(field: Field, span: SpanRecord, ctx: TraceContext): Value | null {
  return fieldValues(field, span, ctx)[0] ?? null;
}

export function isNumeric(v: Value): v is Extract<Value, { type: 'int' | 'float' | 'duration' }> {
  return v.type === 'int' || v.type === 'float' || v.type === 'duration';
}

/** A value's text, for answers (Tempo's `by()` keys, select()ed attributes). */
export function valueText(v: Value | null): string {
  if (v === null) return 'nil';
  return String(v.value);
}
