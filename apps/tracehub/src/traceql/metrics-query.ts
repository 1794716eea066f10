/**
 * Splits a TraceQL metrics query into its first stage (a spanset filter, the
 * selector subset parser.ts reads) and its MetricsStage. Interim: the metrics
 * grammar here is the small part Grafana and the Tempo docs write
 * (`fn(args) by (fields) | topk(n) > 10`); the full TraceQL parser replaces it.
 */
import type { Ast, Field } from './ast.js';
import { TraceQLError } from './errors.js';
import { lookupIntrinsic } from './intrinsics.js';
import type { MetricsFunction, MetricsStage } from './metrics-ast.js';
import { parseTraceQL } from './parser.js';

export interface MetricsQuery {
  first: Ast;
  stage: MetricsStage;
}

const FUNCTIONS = new Set<MetricsFunction>([
  'rate',
  'count_over_time',
  'sum_over_time',
  'min_over_time',
  'max_over_time',
  'avg_over_time',
  'quantile_over_time',
  'histogram_over_time',
  'compare',
]);

/** Offset of the first `|` outside strings, braces and parentheses (`||` is not a pipe), or -1. */
function topLevelPipe(q: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < q.length; i++) {
    const c = q[i]!;
    if (c === '"' || c === '`') {
      const end = c === '`' ? q.indexOf('`', i + 1) : closingQuote(q, i);
      if (end < 0) return -1;
      i = end;
    } else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === '|' && depth === 0) {
      if (q[i + 1] === '|') i++;
      else return i;
    }
  }
  return -1;
}

function closingQuote(q: string, open: number): number {
  for (let i = open + 1; i < q.length; i++) {
    if (q[i] === '\\') i++;
    else if (q[i] === '"') return i;
  }
  return -1;
}

/** True when the query ends in a metrics function (`... | rate()`). */
export function isMetricsQuery(q: string): boolean {
  const pipe = topLevelPipe(q);
  return pipe >= 0 && /^\s*([a-z_]+)\s*\(/.test(q.slice(pipe + 1)) && FUNCTIONS.has(/^\s*([a-z_]+)/.exec(q.slice(pipe + 1))![1] as MetricsFunction);
}

export function parseField(text: string, at: number): Field {
  const t = text.trim();
  const intrinsic = lookupIntrinsic(t);
  if (intrinsic) return { type: 'intrinsic', name: intrinsic };
  const m = /^(resource|span)?\.(.+)$/.exec(t);
  if (!m || m[2]!.trim() === '') throw new TraceQLError(`invalid field "${t}" at position ${at}: use an intrinsic (name, status, ...), resource.x, span.x or .x`, at);
  return { type: 'attribute', scope: (m[1] as 'resource' | 'span' | undefined) ?? 'none', name: m[2]!.replace(/^"(.*)"$/, '$1') };
}

/** Splits `a, b, c` at top-level commas (braces and strings kept whole). */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') {
        cur += c + (s[++i] ?? '');
        continue;
      }
      if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '' || out.length > 0) out.push(cur);
  return out.map((a) => a.trim());
}

function number(text: string, what: string, at: number): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) throw new TraceQLError(`${what}: "${text.trim()}" is not a number at position ${at}`, at);
  return v;
}

export function parseMetricsQuery(q: string): MetricsQuery {
  const pipe = topLevelPipe(q);
  if (pipe < 0) throw new TraceQLError('not a metrics query: expected `| rate()` or another metrics function after the spanset filter', q.length);
  const first = parseTraceQL(q.slice(0, pipe));
  const rest = q.slice(pipe + 1);
  const base = pipe + 1;
  const fnm = /^\s*([a-z_]+)\s*\(/.exec(rest);
  if (!fnm || !FUNCTIONS.has(fnm[1] as MetricsFunction)) {
    throw new TraceQLError(`unknown metrics function at position ${base}: expected one of ${[...FUNCTIONS].join(', ')}`, base);
  }
  const fn = fnm[1] as MetricsFunction;
  let i = fnm[0].length;
  const close = matching(rest, i - 1);
  if (close < 0) throw new TraceQLError(`unclosed ( after ${fn} at position ${base + i}`, base + i);
  const args = splitArgs(rest.slice(i, close));
  i = close + 1;
  const stage: MetricsStage = { fn, by: [] };
  if (fn === 'compare') {
    if (args.length < 1 || args.length > 4) throw new TraceQLError(`compare() takes a spanset filter and up to 3 numbers at position ${base}`, base);
    const sel = parseTraceQL(args[0]!);
    if (sel.type !== 'spanset') throw new TraceQLError('compare() takes one spanset filter', base);
    stage.compare = {
      selection: sel.where,
      topN: args[1] === undefined ? 10 : number(args[1], 'compare() topN', base),
      ...(args[2] !== undefined ? { startNs: BigInt(number(args[2], 'compare() start', base)) } : {}),
      ...(args[3] !== undefined ? { endNs: BigInt(number(args[3], 'compare() end', base)) } : {}),
    };
  } else if (fn === 'rate' || fn === 'count_over_time') {
    if (args.length > 0) throw new TraceQLError(`${fn}() takes no arguments at position ${base}`, base);
  } else {
    if (args.length < 1) throw new TraceQLError(`${fn}() needs a field at position ${base}`, base);
    stage.field = parseField(args[0]!, base);
    if (fn === 'quantile_over_time') {
      if (args.length < 2) throw new TraceQLError(`quantile_over_time() needs at least one quantile at position ${base}`, base);
      stage.quantiles = args.slice(1).map((a) => number(a, 'quantile', base));
    } else if (args.length > 1) throw new TraceQLError(`${fn}() takes one field at position ${base}`, base);
  }
  let tail = rest.slice(i);
  const by = /^\s*by\s*\(/.exec(tail);
  if (by) {
    const open = by[0].length - 1;
    const end = matching(tail, open);
    if (end < 0) throw new TraceQLError(`unclosed by( at position ${base + i + open}`, base + i + open);
    stage.by = splitArgs(tail.slice(open + 1, end)).map((f) => parseField(f, base + i + open));
    i += end + 1;
    tail = rest.slice(i);
  }
  const topk = /^\s*\|\s*(topk|bottomk)\s*\(\s*([^)]*)\)/.exec(tail);
  if (topk) {
    stage.topk = { fn: topk[1] as 'topk' | 'bottomk', n: number(topk[2]!, topk[1]!, base + i) };
    i += topk[0].length;
    tail = rest.slice(i);
  }
  const filter = /^\s*(>=|<=|!=|=|>|<)\s*(-?[0-9.eE+-]+)/.exec(tail);
  if (filter) {
    stage.filter = { op: filter[1] as NonNullable<MetricsStage['filter']>['op'], value: number(filter[2]!, 'filter value', base + i) };
    i += filter[0].length;
    tail = rest.slice(i);
  }
  if (tail.trim() !== '') {
    const at = base + i + (tail.length - tail.trimStart().length);
    throw new TraceQLError(`unexpected "${tail.trim().slice(0, 20)}" at position ${at}`, at);
  }
  return { first, stage };
}

function matching(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '"') {
      const e = closingQuote(s, i);
      if (e < 0) return -1;
      i = e;
    } else if (s[i] === '(' || s[i] === '{') depth++;
    else if (s[i] === ')' || s[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
