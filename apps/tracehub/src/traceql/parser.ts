// Recursive-descent parser for the TraceQL selector subset. Precedence follows
// Tempo's grammar (pkg/traceql/expr.y): `&&` and `||` share one level and
// associate to the left, so `a || b && c` is `(a || b) && c`; comparisons bind
// tighter; `!` binds tighter still, so negate a comparison as `!(a = b)`.
// Valid TraceQL outside the subset raises UnsupportedTraceQLError naming it.
import type { Ast, CompareOp } from './ast.js';
import { TraceQLError, UnsupportedTraceQLError } from './errors.js';
import { isUnsupportedIntrinsic, KIND_CODES, lookupIntrinsic, STATUS_CODES } from './intrinsics.js';
import { tokenize, type Token } from './lexer.js';
import type { RawExpr } from './raw.js';
import { toCondition } from './typecheck.js';

const COMPARE_OPS = new Set<string>(['=', '!=', '>', '>=', '<', '<=', '=~', '!~']);
const ARITHMETIC_OPS = new Set<string>(['+', '-', '*', '/', '%', '^']);

const PREC_LOGIC = 1;
const PREC_COMPARE = 2;
const PREC_NOT = 4; // between Tempo's + - and * / %

const AGGREGATES = new Set(['count', 'avg', 'max', 'min', 'sum']);
const METRICS_FUNCTIONS = new Set([
  'rate', 'count_over_time', 'min_over_time', 'max_over_time', 'avg_over_time', 'sum_over_time',
  'quantile_over_time', 'histogram_over_time', 'compare', 'topk', 'bottomk',
]);
const PIPELINE_WORDS: Record<string, string> = { by: 'by()', select: 'select()', coalesce: 'coalesce()' };

const SPANSET_OPERATORS: Record<string, string> = {
  '&&': 'spanset operator && (a trace holding both spansets)',
  '>': 'structural operator > (child)',
  '<': 'structural operator < (parent)',
  '>>': 'structural operator >> (descendant)',
  '<<': 'structural operator << (ancestor)',
  '~': 'structural operator ~ (sibling)',
  '!>': 'structural operator !> (not child)',
  '!<': 'structural operator !< (not parent)',
  '!>>': 'structural operator !>> (not descendant)',
  '!<<': 'structural operator !<< (not ancestor)',
  '!~': 'structural operator !~ (not sibling)',
  '&>': 'structural operator &> (union child)',
  '&<': 'structural operator &< (union parent)',
  '&>>': 'structural operator &>> (union descendant)',
  '&<<': 'structural operator &<< (union ancestor)',
  '&~': 'structural operator &~ (union sibling)',
};

const describe = (t: Token): string => (t.kind === 'eof' ? 'end of query' : JSON.stringify(t.text));

/** Parses a TraceQL query of the supported subset into a checked AST. */
export function parseTraceQL(query: string): Ast {
  return new Parser(query).parseQuery();
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

  private expectPunct(text: '{' | '}' | '(' | ')'): Token {
    if (!this.is('punct', text)) throw this.expected(`"${text}"`);
    return this.next();
  }

  parseQuery(): Ast {
    if (this.is('eof')) throw this.expected('a spanset filter such as { } or { name = "GET /" }');
    const ast = this.parseUnion();
    this.skipHints();
    if (!this.is('eof')) {
      this.rejectSpansetContinuation();
      throw this.expected('end of query or ||');
    }
    return ast;
  }

  /**
   * Query hints, `with (most_recent=true)`: advisory in Tempo, and tracehub
   * already returns the newest traces first, so they are read and ignored.
   */
  private skipHints(): void {
    if (!this.is('word', 'with')) return;
    this.next();
    this.expectPunct('(');
    for (;;) {
      if (this.tok.kind !== 'word') throw this.expected('a hint name such as most_recent');
      this.next();
      if (!this.is('op', '=')) throw this.expected('"=" after the hint name');
      this.next();
      const v = this.peek(0); // not this.tok: TS keeps the earlier narrowing of this.tok to a word
      const isValue = v.kind === 'string' || v.kind === 'int' || v.kind === 'float' || v.kind === 'duration' ||
        (v.kind === 'word' && (v.text === 'true' || v.text === 'false'));
      if (!isValue) throw this.expected('a hint value (true, false, a number, a duration or a string)');
      this.next();
      if (this.is('punct', ')')) break;
      if (!this.is('punct', ',')) throw this.expected('"," or ")"');
      this.next();
    }
    this.next();
  }

  // union := term ('||' term)*
  private parseUnion(): Ast {
    let left = this.parseSpansetTerm();
    for (;;) {
      this.rejectSpansetContinuation();
      if (!this.is('op', '||')) return left;
      this.next();
      const right = this.parseSpansetTerm();
      left = { type: 'union', left, right };
    }
  }

  // term := '{' expr? '}' | '(' union ')'
  private parseSpansetTerm(): Ast {
    const t = this.tok;
    if (this.is('punct', '{')) {
      this.next();
      if (this.is('punct', '}')) {
        this.next();
        return { type: 'spanset', where: { type: 'const', value: true } };
      }
      const raw = this.parseExpr(0);
      if (!this.is('punct', '}')) {
        if (this.is('op', '|')) throw new UnsupportedTraceQLError('pipeline operator | inside { }', this.tok.pos);
        throw this.expected('"}" or an operator (&&, ||, =, !=, >, >=, <, <=, =~, !~)');
      }
      this.next();
      return { type: 'spanset', where: toCondition(raw) };
    }
    if (this.is('punct', '(')) {
      this.next();
      const inner = this.parseUnion();
      this.expectPunct(')');
      return inner;
    }
    if (t.kind === 'word') this.rejectPipelineWord(t);
    throw this.expected('"{" to start a spanset filter');
  }

  /** Throws for valid TraceQL that may follow a spanset: pipelines and spanset operators. */
  private rejectSpansetContinuation(): void {
    const t = this.tok;
    if (t.kind !== 'op') return;
    if (t.text === '|') {
      const stage = this.peek();
      if (stage.kind === 'word') this.rejectPipelineWord(stage, ' in a pipeline (|)');
      if (stage.kind === 'punct' && stage.text === '{') {
        throw new UnsupportedTraceQLError('spanset pipeline ({ ... } | { ... })', t.pos, 'combine the conditions in one { ... } with &&');
      }
      throw new UnsupportedTraceQLError('pipeline operator |', t.pos);
    }
    const name = SPANSET_OPERATORS[t.text];
    if (name) {
      const hint = t.text === '&&' ? 'to match one span on several conditions write { a && b }' : undefined;
      throw new UnsupportedTraceQLError(name, t.pos, hint);
    }
  }

  private rejectPipelineWord(t: Token, where = ''): void {
    if (AGGREGATES.has(t.text)) throw new UnsupportedTraceQLError(`aggregate ${t.text}()${where}`, t.pos);
    if (METRICS_FUNCTIONS.has(t.text)) throw new UnsupportedTraceQLError(`metrics function ${t.text}()${where}`, t.pos);
    if (Object.hasOwn(PIPELINE_WORDS, t.text)) throw new UnsupportedTraceQLError(`${PIPELINE_WORDS[t.text]}${where}`, t.pos);
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
      } else if (ARITHMETIC_OPS.has(t.text)) {
        throw new UnsupportedTraceQLError(`arithmetic operator ${t.text}`, t.pos);
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
      throw new UnsupportedTraceQLError('unary minus on a field', t.pos);
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
      case 'attribute':
        this.next();
        return { r: 'field', field: { type: 'attribute', scope: t.scope, name: t.name }, text: t.text, pos: t.pos };
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
    if (isUnsupportedIntrinsic(w)) throw new UnsupportedTraceQLError(`intrinsic ${w}`, t.pos);
    if (AGGREGATES.has(w) || METRICS_FUNCTIONS.has(w) || Object.hasOwn(PIPELINE_WORDS, w)) {
      this.rejectPipelineWord(t, ' inside { }');
    }
    throw new TraceQLError(
      `unknown identifier ${JSON.stringify(w)} at position ${t.pos}: attributes need a scope (span.${w}, resource.${w} or .${w}); ` +
        'intrinsics are name, status, kind, duration, statusMessage, traceDuration, rootName, rootServiceName',
      t.pos,
    );
  }
}
