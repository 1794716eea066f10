// A spanset as the search APIs answer it (pure): its first `spss` spans (by
// start time) with the attributes the query read or select()ed, the total
// number of matched spans, and the spanset's by() / aggregate values.
import type { SpanRecord } from '../model.js';
import type { Condition, Field, Pipeline, ScalarExpr, SpansetExpr, ValueExpr } from './ast.js';
import { formatField } from './ast.js';
import type { Spanset, SpansetAttribute } from './evaluate.js';
import type { TraceContext } from './trace-context.js';
import { fieldValue, type Value } from './values.js';

export interface AnswerSpan {
  spanId: string;
  name: string;
  service: string;
  statusCode: number;
  startTimeUnixNano: bigint;
  durationNs: bigint;
  /** Tempo's keys: attribute names without scope (`http.method`), intrinsics by name (`status`, `kind`). */
  attributes: { key: string; value: Value }[];
}

export interface SpansetAnswer {
  spans: AnswerSpan[];
  matched: number;
  attributes: SpansetAttribute[];
}

/** Fields that appear as their own span properties, not as attributes. */
const SPAN_PROPERTIES = new Set(['name', 'duration', 'traceDuration', 'rootName', 'rootServiceName', 'trace:id', 'span:id']);

export function answerSpansets(sets: Spanset[], pipeline: Pipeline, ctx: TraceContext, spss: number): SpansetAnswer[] {
  const read = referencedFields(pipeline);
  return sets.map((ss) => {
    const fields = uniqueFields([...read, ...ss.selected]);
    const spans = [...ss.spans].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
    return { spans: spans.slice(0, spss).map((s) => answerSpan(s, fields, ctx)), matched: ss.spans.length, attributes: ss.attributes };
  });
}

function answerSpan(s: SpanRecord, fields: Field[], ctx: TraceContext): AnswerSpan {
  const attributes: { key: string; value: Value }[] = [{ key: 'service.name', value: { type: 'string', value: s.resource.serviceName } }];
  const seen = new Set(['service.name']);
  for (const f of fields) {
    const key = f.type === 'attribute' ? f.name : formatField(f);
    if (seen.has(key) || (f.type === 'intrinsic' && SPAN_PROPERTIES.has(f.name))) continue;
    const value = fieldValue(f, s, ctx);
    if (value === null) continue;
    // Tempo leaves an unset status out.
    if (f.type === 'intrinsic' && f.name === 'status' && value.type === 'status' && value.value === 'unset') continue;
    seen.add(key);
    attributes.push({ key, value });
  }
  if (!seen.has('status') && s.statusCode !== 0) {
    attributes.push({ key: 'status', value: { type: 'status', value: s.statusCode === 2 ? 'error' : 'ok' } });
  }
  return {
    spanId: s.spanId,
    name: s.name,
    service: s.resource.serviceName,
    statusCode: s.statusCode,
    startTimeUnixNano: s.startTimeUnixNano,
    durationNs: s.endTimeUnixNano - s.startTimeUnixNano,
    attributes,
  };
}

function uniqueFields(fields: Field[]): Field[] {
  const seen = new Set<string>();
  return fields.filter((f) => {
    const k = formatField(f);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Every field the pipeline reads, in the order written. */
export function referencedFields(p: Pipeline): Field[] {
  const out: Field[] = [];
  const value = (e: ValueExpr): void => {
    if (e.type === 'field') out.push(e.field);
    else if (e.type === 'arith') {
      value(e.left);
      value(e.right);
    } else if (e.type === 'neg') value(e.operand);
  };
  const cond = (c: Condition): void => {
    switch (c.type) {
      case 'and':
      case 'or':
        cond(c.left);
        cond(c.right);
        break;
      case 'not':
        cond(c.operand);
        break;
      case 'compare':
      case 'exists':
      case 'truthy':
        out.push(c.field);
        break;
      case 'expr':
        value(c.left);
        value(c.right);
        break;
      case 'const':
        break;
    }
  };
  const scalar = (e: ScalarExpr): void => {
    if (e.type === 'aggregate' && e.field) value(e.field);
    else if (e.type === 'arith') {
      scalar(e.left);
      scalar(e.right);
    }
  };
  const spanset = (e: SpansetExpr): void => {
    if (e.type === 'filter') cond(e.where);
    else if (e.type === 'pipeline') pipeline(e.pipeline);
    else {
      spanset(e.left);
      spanset(e.right);
    }
  };
  const pipeline = (q: Pipeline): void => {
    for (const st of q.stages) {
      if (st.type === 'spanset') spanset(st.expr);
      else if (st.type === 'scalar-filter') {
        scalar(st.left);
        scalar(st.right);
      } else if (st.type === 'by') value(st.expr);
    }
  };
  pipeline(p);
  return out;
}
