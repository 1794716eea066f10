// Recursive-descent parser for TraceQL, following Tempo's grammar
// (pkg/traceql/expr.y):
//  - a query is a pipeline of stages joined by `|`, optionally ending in a
//    metrics stage (`| rate() by (...)`), optionally followed by `with (...)`;
//  - spanset operators: structural ones (`>` `<` `>>` `<<` `~`, their `!` and `&`
//    forms) bind tighter than `&&` / `||`, which share one level; all left-assoc;
//  - inside `{ }`: `&&` and `||` share the lowest level, then comparisons, then
//    `+ -`, then `!`, then `* / %`, then `^` (right-assoc). So `a || b && c` is
//    `(a || b) && c` and `!` needs parentheses around a comparison: `!(a = b)`.
import type {
  Ast,
  Condition,
  CompareOp,
  Field,
  Hints,
  Pipeline,
  Query,
  ScalarExpr,
  SpansetExpr,
  Stage,
  StructuralMode,
  StructuralOp,
  ArithOp,
  AggregateFn,
} from './ast.js';
import { formatStage } from './ast.js';
import { TraceQLError, UnsupportedTraceQLError } from './errors.js';
import { KIND_CODES, lookupIntrinsic, STATUS_CODES } from './intrinsics.js';
import { tokenize, type Token } from './lexer.js';
import { VALUE_FUNCTIONS, type MetricsFunction, type MetricsStage } from './metrics-ast.js';
import type { RawExpr } from './raw.js';
import { impliedType, toCondition, toValueExpr } from './typecheck.js';

const COMPARE_OPS = new Set<string>(['=', '!=', '>', '>=', '<', '<=', '=~', '!~']);
const SCALAR_COMPARE_OPS = new Set<string>(['=', '!=', '>', '>=', '<', '<=']);

const PREC_LOGIC = 1;
const PREC_COMPARE = 2;
const PREC_ADD = 3;
const PREC_NOT = 4;
const PREC_MUL = 5;
const PREC_POW = 6;

const ARITH_PREC: Record<string, number> = { '+': PREC_ADD, '-': PREC_ADD, '*': PREC_MUL, '/': PREC_MUL, '%': PREC_MUL, '^': PREC_POW };

const AGGREGATES = new Set<string>(['count', 'avg', 'max', 'min', 'sum']);
const METRICS_FUNCTIONS = new Set<string>([
  'rate', 'count_over_time', 'min_over_time', 'max_over_time', 'avg_over_time', 'sum_over_time',
  'quantile_over_time', 'histogram_over_time', 'compare',
]);

const STRUCTURAL: Record<string, { op: StructuralOp; mode: StructuralMode }> = {
  '>': { op: '>', mode: 'plain' },
  '<': { op: '<', mode: 'plain' },
  '>>': { op: '>>', mode: 'plain' },
  '<<': { op: '<<', mode: 'plain' },
  '~': { op: '~', mode: 'plain' },
  '!>': { op: '>', mode: 'not' },
  '!<': { op: '<', mode: 'not' },
  '!>>': { op: '>>', mode: 'not' },
  '!<<': { op: '<<', mode: 'not' },
  '!~': { op: '~', mode: 'not' },
  '&>': { op: '>', mode: 'union' },
  '&<': { op: '<', mode: 'union' },
  '&>>': { op: '>>', mode: 'union' },
  '&<<': { op: '<<', mode: 'union' },
  '&~': { op: '~', mode: 'union' },
};

const describe = (t: Token): string => (t.kind === 'eof' ? 'end of query' : JSON.stringify(t.text));

/** Parses any TraceQL query: a search pipeline, or one ending in a metrics stage. */
export function parseTraceQLQuery(query: string): Query {
  return new Parser(query).parseQuery();
}

/**
 * Parses the selector subset compileTraceQL turns into one SQL predicate:
 * `{ ... }` filters joined by `||`. Valid TraceQL beyond it raises
 * UnsupportedTraceQLError naming the construct (search runs it through the
 * evaluator instead, see src/traceql/search.ts).
 */
export function parseTraceQL(query: string): Ast {
  const q = parseTraceQLQuery(query);
  if (q.kind === 'metrics') {
    throw new UnsupportedTraceQLError(`metrics function ${q.metrics.fn}()`, 0, 'send metrics queries to the metrics endpoint');
  }
  const [first, ...rest] = q.pipeline.stages;
  if (rest.length > 0) throw new UnsupportedTraceQLError(`pipeline stage ${formatStage(rest[0])} in a single SQL predicate`, 0);
  if (first.type !== 'spanset') throw new UnsupportedTraceQLError(`${formatStage(first)} in a single SQL predicate`, 0);
  return subsetAst(first.expr);
}

function subsetAst(e: SpansetExpr): Ast {
  switch (e.type) {
    case 'filter':
      return { type: 'spanset', where: e.where };
    case 'or':
      return { type: 'union', left: subsetAst(e.left), right: subsetAst(e.right) };
    case 'and':
      throw new UnsupportedTraceQLError('spanset operator && in a single SQL predicate', 0);
    case 'structural': {
      const prefix = e.mode === 'union' ? '&' : e.mode === 'not' ? '!' : '';
      throw new UnsupportedTraceQLError(`structural operator ${prefix}${e.op} in a single SQL predicate`, 0);
    }
    case 'pipeline':
      throw new UnsupportedTraceQLError('a nested pipeline in a single SQL predicate', 0);
  }
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(query: string) {
    this.tokens = tokenize(query);
  }

  private get tok(): Token {
    return this.tokens[this.at];
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.tokens[this.at];
    if (this.at < this.tokens.length - 1) this.at++;
    return t;
  }

  private is(kind: Token['kind'], text?: string): boolean {
    return this.tok.kind === kind && (text === undefined || this.tok.text === text);
  }

  private expected(what: string): TraceQLError {
    const t = this.tok;
    return new TraceQLError(`expected ${what} at position ${t.pos}, found ${describe(t)}`, t.pos);
  }

  private expectPunct(text: '{' | '}' | '(' | ')' | ','): Token {
    if (!this.is('punct', text)) throw this.expected(`"${text}"`);
    return this.next();
  }

  parseQuery(): Query {
    if (this.is('eof')) throw this.expected('a spanset filter such as { } or { name = "GET /" }');
    const { pipeline, metrics } = this.parsePipeline(true);
    const hints = this.parseHints();
    if (!this.is('eof')) throw this.expected('end of query, "|" or a spanset operator (&&, ||, >>, >, ...)');
    return metrics ? { kind: 'metrics', pipeline, metrics, hints } : { kind: 'search', pipeline, hints };
  }

  /** Query hints, `with (most_recent=true)`: advisory in Tempo; read and kept, results are newest first anyway. */
  private parseHints(): Hints {
    const hints: Hints = {};
    if (!this.is('word', 'with')) return hints;
    this.next();
    this.expectPunct('(');
    for (;;) {
      const name = this.tok;
      if (name.kind !== 'word') throw this.expected('a hint name such as most_recent');
      this.next();
      if (!this.is('op', '=')) throw this.expected('"=" after the hint name');
      this.next();
      const v = this.peek(0);
      if (v.kind === 'string') hints[name.text] = v.value;
      else if (v.kind === 'int' || v.kind === 'float') hints[name.text] = v.value;
      else if (v.kind === 'duration') hints[name.text] = v.text;
      else if (v.kind === 'word' && (v.text === 'true' || v.text === 'false')) hints[name.text] = v.text === 'true';
      else throw this.expected('a hint value (true, false, a number, a duration or a string)');
      this.next();
      if (this.is('punct', ')')) break;
      if (!this.is('punct', ',')) throw this.expected('"," or ")"');
      this.next();
    }
    this.next();
    return hints;
  }

  // pipeline := stage ( "|" stage )* ( "|" metrics )?
  private parsePipeline(top: boolean): { pipeline: Pipeline; metrics?: MetricsStage } {
    const stages: Stage[] = [this.parseStage()];
    while (this.is('op', '|')) {
      const bar = this.next();
      if (this.tok.kind === 'word' && METRICS_FUNCTIONS.has(this.tok.text)) {
        if (!top) throw new TraceQLError(`a metrics function cannot be used inside parentheses at position ${this.tok.pos}`, this.tok.pos);
        return { pipeline: { stages }, metrics: this.parseMetrics() };
      }
      if (this.is('eof')) throw new TraceQLError(`expected a pipeline stage after "|" at position ${bar.pos}`, bar.pos);
      stages.push(this.parseStage());
    }
    return { pipeline: { stages } };
  }

  private parseStage(): Stage {
    const t = this.tok;
    if (t.kind === 'word') {
      if (t.text === 'by') return this.parseBy();
      if (t.text === 'coalesce') {
        this.next();
        this.expectPunct('(');
        this.expectPunct(')');
        return { type: 'coalesce' };
      }
      if (t.text === 'select') return this.parseSelect();
      if (AGGREGATES.has(t.text)) return this.parseScalarFilter();
      if (METRICS_FUNCTIONS.has(t.text)) {
        throw new TraceQLError(`metrics function ${t.text}() must follow a spanset filter and "|" (e.g. { } | ${t.text}(...)) at position ${t.pos}`, t.pos);
      }
      if (t.text === 'topk' || t.text === 'bottomk') {
        throw new TraceQLError(`${t.text}() must follow a metrics function (e.g. { } | rate() by (name) | ${t.text}(5)) at position ${t.pos}`, t.pos);
      }
    }
    if (t.kind === 'int' || t.kind === 'float' || t.kind === 'duration') return this.parseScalarFilter();
    if (this.is('punct', '(') && this.parenStartsScalar()) return this.parseScalarFilter();
    return { type: 'spanset', expr: this.parseSpansetExpr(0) };
  }

  /** `(count() + 1) > 2` vs `({ a } | count() > 1) && { b }`: look past the opening parentheses. */
  private parenStartsScalar(): boolean {
    let i = 0;
    while (this.peek(i).kind === 'punct' && this.peek(i).text === '(') i++;
    const t = this.peek(i);
    return (t.kind === 'word' && AGGREGATES.has(t.text)) || t.kind === 'int' || t.kind === 'float' || t.kind === 'duration';
  }

  // Precedence climbing over spanset operators.
  private parseSpansetExpr(minPrec: number): SpansetExpr {
    let left = this.parseSpansetOperand();
    for (;;) {
      const t = this.tok;
      if (t.kind !== 'op') return left;
      if ((t.text === '&&' || t.text === '||') && minPrec <= 1) {
        this.next();
        const right = this.parseSpansetExpr(2);
        left = { type: t.text === '&&' ? 'and' : 'or', left, right };
      } else if (Object.hasOwn(STRUCTURAL, t.text) && minPrec <= 2) {
        this.next();
        const right = this.parseSpansetExpr(3);
        left = { type: 'structural', ...STRUCTURAL[t.text], left, right };
      } else {
        return left;
      }
    }
  }

  // operand := "{" expr? "}" | "(" pipeline ")"
  private parseSpansetOperand(): SpansetExpr {
    const t = this.tok;
    if (this.is('punct', '{')) {
      this.next();
      if (this.is('punct', '}')) {
        this.next();
        return { type: 'filter', where: { type: 'const', value: true } };
      }
      const raw = this.parseExpr(0);
      if (!this.is('punct', '}')) {
        if (this.is('op', '|')) {
          throw new TraceQLError(`"|" cannot be used inside { } at position ${this.tok.pos}: close the filter first, { ... } | ...`, this.tok.pos);
        }
        throw this.expected('"}" or an operator (&&, ||, =, !=, >, >=, <, <=, =~, !~, + - * / % ^)');
      }
      this.next();
      return { type: 'filter', where: toCondition(raw) };
    }
    if (this.is('punct', '(')) {
      this.next();
      const { pipeline } = this.parsePipeline(false);
      this.expectPunct(')');
      const only = pipeline.stages.length === 1 ? pipeline.stages[0] : undefined;
      if (only?.type === 'spanset') return only.expr;
      return { type: 'pipeline', pipeline };
    }
    if (t.kind === 'word' && AGGREGATES.has(t.text)) {
      throw new TraceQLError(`aggregate ${t.text}() must be compared with a value (e.g. ${t.text}() > 2) at position ${t.pos}`, t.pos);
    }
    throw this.expected('"{" to start a spanset filter');
  }

  // by "(" fieldExpression ")"
  private parseBy(): Stage {
    const at = this.next();
    this.expectPunct('(');
    const raw = this.parseExpr(0);
    if (this.is('punct', ',')) {
      throw new TraceQLError(`by() in a search pipeline takes one field at position ${this.tok.pos}: chain them, | by(a) | by(b)`, this.tok.pos);
    }
    this.expectPunct(')');
    if (!referencesField(raw)) throw new TraceQLError(`by() needs a field of the span, e.g. by(resource.service.name), at position ${at.pos}`, at.pos);
    return { type: 'by', expr: toValueExpr(raw) };
  }

  // select "(" field ( "," field )* ")"
  private parseSelect(): Stage {
    this.next();
    this.expectPunct('(');
    const fields = [this.parseField('select()')];
    while (this.is('punct', ',')) {
      this.next();
      fields.push(this.parseField('select()'));
    }
    this.expectPunct(')');
    return { type: 'select', fields };
  }

  /** One plain field (attribute or intrinsic): select(), metrics by() and the metrics' measured field. */
  private parseField(where: string): Field {
    const t = this.tok;
    const raw = this.parsePrimary();
    if (raw.r !== 'field') throw new TraceQLError(`${where} takes fields (span.x, resource.x, .x, name, duration, ...), not ${raw.r === 'static' ? raw.text : 'an expression'}, at position ${t.pos}`, t.pos);
    return raw.field;
  }

  // scalarFilter := scalar cmp scalar
  private parseScalarFilter(): Stage {
    const start = this.tok.pos;
    const left = this.parseScalar(0);
    const t = this.tok;
    if (t.kind !== 'op' || !SCALAR_COMPARE_OPS.has(t.text)) {
      throw this.expected('a comparison (=, !=, >, >=, <, <=) after the aggregate, e.g. count() > 2,');
    }
    this.next();
    const right = this.parseScalar(0);
    if (!hasAggregate(left) && !hasAggregate(right)) {
      throw new TraceQLError(`a scalar filter needs an aggregate (count(), avg(x), min(x), max(x), sum(x)) at position ${start}`, start);
    }
    return { type: 'scalar-filter', op: t.text as Extract<Stage, { type: 'scalar-filter' }>['op'], left, right };
  }

  private parseScalar(minPrec: number): ScalarExpr {
    let left = this.parseScalarPrimary();
    for (;;) {
      const t = this.tok;
      const prec = t.kind === 'op' ? ARITH_PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.next();
      const right = this.parseScalar(t.text === '^' ? prec : prec + 1);
      left = { type: 'arith', op: t.text as ArithOp, left, right };
    }
  }

  private parseScalarPrimary(): ScalarExpr {
    const t = this.tok;
    if (t.kind === 'punct' && t.text === '(') {
      this.next();
      const inner = this.parseScalar(0);
      this.expectPunct(')');
      return inner;
    }
    if (t.kind === 'int' || t.kind === 'float') {
      this.next();
      return { type: 'literal', value: { type: t.kind, value: t.value } };
    }
    if (t.kind === 'duration') {
      this.next();
      return { type: 'literal', value: { type: 'duration', ns: t.ns } };
    }
    if (t.kind === 'op' && t.text === '-') {
      this.next();
      const n = this.tok;
      if (n.kind === 'int' || n.kind === 'float') {
        this.next();
        return { type: 'literal', value: { type: n.kind, value: -n.value } };
      }
      if (n.kind === 'duration') {
        this.next();
        return { type: 'literal', value: { type: 'duration', ns: -n.ns } };
      }
      throw this.expected('a number after "-"');
    }
    if (t.kind === 'word' && AGGREGATES.has(t.text)) {
      this.next();
      this.expectPunct('(');
      const fn = t.text as AggregateFn;
      if (fn === 'count') {
        if (!this.is('punct', ')')) throw this.expected('")": count() takes no argument');
        this.next();
        return { type: 'aggregate', fn };
      }
      if (this.is('punct', ')')) throw this.expected(`a field to aggregate, e.g. ${fn}(duration)`);
      const fieldPos = this.tok.pos;
      const raw = this.parseExpr(0);
      this.expectPunct(')');
      const type = impliedType(raw);
      if (type !== 'number' && type !== 'unknown') {
        throw new TraceQLError(`${fn}() needs a number field (duration, span.x, ...) at position ${fieldPos}`, fieldPos);
      }
      if (!referencesField(raw)) throw new TraceQLError(`${fn}() needs a field of the span at position ${fieldPos}`, fieldPos);
      return { type: 'aggregate', fn, field: toValueExpr(raw) };
    }
    throw this.expected('an aggregate (count(), avg(x), min(x), max(x), sum(x)) or a number');
  }

  // metrics := fn "(" args ")" ( "by" "(" field ( "," field )* ")" )? ( "|" topk|bottomk "(" int ")" )? ( cmp number )?
  private parseMetrics(): MetricsStage {
    const t = this.next();
    const fn = t.text as MetricsFunction;
    this.expectPunct('(');
    const stage: MetricsStage = { fn, by: [] };
    if (fn === 'rate' || fn === 'count_over_time') {
      if (!this.is('punct', ')')) throw this.expected(`")": ${fn}() takes no argument`);
    } else if (fn === 'compare') {
      if (!this.is('punct', '{')) throw this.expected('a spanset filter: compare({ status = error }, ...)');
      const sel = this.parseSpansetOperand();
      if (sel.type !== 'filter') throw new TraceQLError(`compare() takes one { ... } filter at position ${t.pos}`, t.pos);
      const compare: NonNullable<MetricsStage['compare']> = { selection: sel.where as Condition, topN: 10 };
      const ints: bigint[] = [];
      while (this.is('punct', ',')) {
        this.next();
        const n = this.tok;
        if (n.kind !== 'int') throw this.expected('an integer (compare({...}, topN, startNs, endNs))');
        this.next();
        ints.push(BigInt(n.text));
      }
      if (ints.length > 3) throw new TraceQLError(`compare() takes at most a filter and 3 numbers at position ${t.pos}`, t.pos);
      if (ints.length === 2) throw new TraceQLError(`compare() needs both a start and an end, or neither, at position ${t.pos}`, t.pos);
      if (ints.length >= 1) {
        if (ints[0] < 1n) throw new TraceQLError(`compare()'s topN must be at least 1 at position ${t.pos}`, t.pos);
        compare.topN = Number(ints[0]);
      }
      if (ints.length === 3) {
        compare.startNs = ints[1];
        compare.endNs = ints[2];
      }
      stage.compare = compare;
    } else {
      if (this.is('punct', ')')) throw this.expected(`a field to measure, e.g. ${fn}(duration)`);
      stage.field = this.parseField(`${fn}()`);
      if (fn === 'quantile_over_time') {
        const quantiles: number[] = [];
        while (this.is('punct', ',')) {
          this.next();
          const q = this.tok;
          if ((q.kind !== 'int' && q.kind !== 'float') || q.value < 0 || q.value > 1) {
            throw this.expected('a quantile between 0 and 1, e.g. .99');
          }
          this.next();
          quantiles.push(q.value);
        }
        if (quantiles.length === 0) throw this.expected('"," and at least one quantile: quantile_over_time(duration, .99)');
        stage.quantiles = quantiles;
      } else if (!VALUE_FUNCTIONS.has(fn)) {
        throw new Error(`unreachable: metrics function ${fn}`);
      }
    }
    this.expectPunct(')');
    if (this.is('word', 'by')) {
      this.next();
      this.expectPunct('(');
      stage.by.push(this.parseField('by()'));
      while (this.is('punct', ',')) {
        this.next();
        stage.by.push(this.parseField('by()'));
      }
      this.expectPunct(')');
    }
    this.parseMetricsFilter(stage);
    if (this.is('op', '|')) {
      this.next();
      const k = this.tok;
      if (k.kind !== 'word' || (k.text !== 'topk' && k.text !== 'bottomk')) throw this.expected('topk(n) or bottomk(n) after a metrics function');
      this.next();
      this.expectPunct('(');
      const n = this.tok;
      if (n.kind !== 'int' || n.value < 1) throw this.expected('a positive integer');
      this.next();
      this.expectPunct(')');
      stage.topk = { fn: k.text, n: n.value };
      if (!stage.filter) this.parseMetricsFilter(stage);
    }
    return stage;
  }

  private parseMetricsFilter(stage: MetricsStage): void {
    const t = this.tok;
    if (t.kind !== 'op' || !SCALAR_COMPARE_OPS.has(t.text)) return;
    this.next();
    let sign = 1;
    if (this.is('op', '-')) {
      this.next();
      sign = -1;
    }
    const v = this.tok;
    let value: number;
    if (v.kind === 'int' || v.kind === 'float') value = v.value;
    else if (v.kind === 'duration') value = Number(v.ns) / 1e9;
    else throw this.expected(`a number after ${t.text}`);
    this.next();
    stage.filter = { op: t.text as NonNullable<MetricsStage['filter']>['op'], value: sign * value };
  }

  // Precedence climbing over field expressions.
  private parseExpr(minPrec: number): RawExpr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.tok;
      if (t.kind !== 'op') return left;
      if ((t.text === '&&' || t.text === '||') && PREC_LOGIC >= minPrec) {
        this.next();
        const right = this.parseExpr(PREC_LOGIC + 1);
        left = { r: 'logic', op: t.text === '&&' ? 'and' : 'or', left, right, pos: t.pos };
      } else if (COMPARE_OPS.has(t.text) && PREC_COMPARE >= minPrec) {
        this.next();
        const right = this.parseExpr(PREC_COMPARE + 1);
        left = { r: 'compare', op: t.text as CompareOp, left, right, pos: t.pos };
      } else if (Object.hasOwn(ARITH_PREC, t.text) && ARITH_PREC[t.text] >= minPrec) {
        const prec = ARITH_PREC[t.text];
        this.next();
        const right = this.parseExpr(t.text === '^' ? prec : prec + 1);
        left = { r: 'arith', op: t.text as ArithOp, left, right, pos: t.pos };
      } else {
        return left;
      }
    }
  }

  private parseUnary(): RawExpr {
    const t = this.tok;
    if (t.kind === 'op' && t.text === '!') {
      this.next();
      return { r: 'not', operand: this.parseExpr(PREC_NOT), pos: t.pos };
    }
    if (t.kind === 'op' && t.text === '-') {
      this.next();
      const n = this.tok;
      if (n.kind === 'int' || n.kind === 'float') {
        this.next();
        return { r: 'static', value: { type: n.kind, value: -n.value }, text: `-${n.text}`, pos: t.pos };
      }
      if (n.kind === 'duration') {
        this.next();
        return { r: 'static', value: { type: 'duration', ns: -n.ns }, text: `-${n.text}`, pos: t.pos };
      }
      return { r: 'neg', operand: this.parseExpr(PREC_NOT), pos: t.pos };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): RawExpr {
    const t = this.tok;
    switch (t.kind) {
      case 'punct':
        if (t.text === '(') {
          this.next();
          const inner = this.parseExpr(0);
          this.expectPunct(')');
          return inner;
        }
        break;
      case 'string':
        this.next();
        return { r: 'static', value: { type: 'string', value: t.value }, text: t.text, pos: t.pos };
      case 'int':
      case 'float':
        this.next();
        return { r: 'static', value: { type: t.kind, value: t.value }, text: t.text, pos: t.pos };
      case 'duration':
        this.next();
        return { r: 'static', value: { type: 'duration', ns: t.ns }, text: t.text, pos: t.pos };
      case 'attribute': {
        this.next();
        const field: Field = { type: 'attribute', scope: t.scope, name: t.name };
        if (t.parent) field.parent = true;
        return { r: 'field', field, text: t.text, pos: t.pos };
      }
      case 'word':
        this.next();
        return this.wordExpr(t);
    }
    throw this.expected('a field (name, duration, span.x, resource.x, .x, ...), a value or "("');
  }

  private wordExpr(t: Token): RawExpr {
    const w = t.text;
    const at = { text: w, pos: t.pos };
    if (w === 'true' || w === 'false') return { r: 'static', value: { type: 'bool', value: w === 'true' }, ...at };
    if (w === 'nil') return { r: 'static', value: { type: 'nil' }, ...at };
    // Tempo's named int64 bounds; attribute numbers are doubles and durations are clamped, so Number() suffices.
    if (w === 'minInt') return { r: 'static', value: { type: 'int', value: -(2 ** 63) }, ...at };
    if (w === 'maxInt') return { r: 'static', value: { type: 'int', value: 2 ** 63 - 1 }, ...at };
    if (Object.hasOwn(STATUS_CODES, w)) return { r: 'static', value: { type: 'status', value: w as keyof typeof STATUS_CODES }, ...at };
    if (Object.hasOwn(KIND_CODES, w)) return { r: 'static', value: { type: 'kind', value: w as keyof typeof KIND_CODES }, ...at };
    const intrinsic = lookupIntrinsic(w);
    if (intrinsic) return { r: 'field', field: { type: 'intrinsic', name: intrinsic }, ...at };
    if (AGGREGATES.has(w) || METRICS_FUNCTIONS.has(w) || w === 'by' || w === 'select' || w === 'coalesce') {
      throw new TraceQLError(`${w}() cannot be used inside { } at position ${t.pos}: use it after a pipe, { ... } | ${w}(...)`, t.pos);
    }
    if (w.includes(':')) {
      throw new TraceQLError(
        `unknown intrinsic ${JSON.stringify(w)} at position ${t.pos}: scoped intrinsics are span:name, span:status, span:kind, span:duration, ` +
          'span:statusMessage, span:id, span:parentID, span:childCount, trace:id, trace:duration, trace:rootName, trace:rootService, ' +
          'event:name, event:timeSinceStart, link:traceID, link:spanID, instrumentation:name, instrumentation:version',
        t.pos,
      );
    }
    throw new TraceQLError(
      `unknown identifier ${JSON.stringify(w)} at position ${t.pos}: attributes need a scope (span.${w}, resource.${w} or .${w}); ` +
        'intrinsics are name, status, kind, duration, statusMessage, childCount, nestedSetLeft, nestedSetRight, nestedSetParent, ' +
        'traceDuration, rootName, rootServiceName and the scoped span:, trace:, event:, link:, instrumentation: forms',
      t.pos,
    );
  }
}

function referencesField(e: RawExpr): boolean {
  switch (e.r) {
    case 'field':
      return true;
    case 'static':
      return false;
    case 'not':
    case 'neg':
      return referencesField(e.operand);
    default:
      return referencesField(e.left) || referencesField(e.right);
  }
}

function hasAggregate(e: ScalarExpr): boolean {
  if (e.type === 'aggregate') return true;
  if (e.type === 'arith') return hasAggregate(e.left) || hasAggregate(e.right);
  return false;
}
