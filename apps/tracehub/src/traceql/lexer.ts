// TraceQL lexer. Mirrors Tempo's lexing rules where they matter to users:
// attribute names run until whitespace or one of `{}()=~!<>&|^,` (so
// `span.http.response.status_code` and `.http-status` are single names) and
// may contain quoted segments (`span."a b".c`); a number directly followed by
// unit letters is a duration.
import { TraceQLError } from './errors.js';
import { isDurationUnitChar, parseDuration, unquote } from './literals.js';

export type AttributeScope = 'span' | 'resource' | 'none' | 'event' | 'link' | 'instrumentation';

export type Token =
  | { kind: 'punct'; text: '{' | '}' | '(' | ')' | ','; pos: number }
  | { kind: 'op'; text: string; pos: number }
  | { kind: 'string'; text: string; value: string; pos: number }
  | { kind: 'int'; text: string; value: number; pos: number }
  | { kind: 'float'; text: string; value: number; pos: number }
  | { kind: 'duration'; text: string; ns: bigint; pos: number }
  | { kind: 'attribute'; text: string; scope: AttributeScope; name: string; parent: boolean; pos: number }
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'eof'; text: ''; pos: number };

// Longest first, so `!>>` wins over `!>` and `!`.
const OPERATORS = [
  '!>>', '!<<', '&>>', '&<<',
  '&&', '||', '!=', '!~', '=~', '>=', '<=', '>>', '<<', '!>', '!<', '&>', '&<', '&~',
  '=', '>', '<', '~', '!', '|', '+', '-', '*', '/', '%', '^',
];

const SCOPES: Record<string, AttributeScope | 'parent'> = {
  span: 'span',
  resource: 'resource',
  parent: 'parent',
  event: 'event',
  link: 'link',
  instrumentation: 'instrumentation',
};

const ATTRIBUTE_TERMINATORS = new Set(['{', '}', '(', ')', '=', '~', '!', '<', '>', '&', '|', '^', ',']);

function isAttributeChar(c: string): boolean {
  return !ATTRIBUTE_TERMINATORS.has(c) && !/\s/.test(c);
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

export function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (true) {
    while (i < q.length && /\s/.test(q[i])) i++;
    if (i >= q.length) {
      tokens.push({ kind: 'eof', text: '', pos: q.length });
      return tokens;
    }
    const start = i;
    const c = q[i];

    if (c === '{' || c === '}' || c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }

    if (c === '"' || c === '`') {
      const r = unquote(q, i);
      if ('error' in r) throw new TraceQLError(`${r.error} at position ${r.at}`, r.at);
      tokens.push({ kind: 'string', text: q.slice(i, r.end), value: r.value, pos: i });
      i = r.end;
      continue;
    }

    if (isDigit(c) || (c === '.' && isDigit(q[i + 1]))) {
      const tok = lexNumber(q, i);
      tokens.push(tok);
      i = start + tok.text.length;
      continue;
    }

    if (c === '.') {
      const attr = lexAttributeName(q, i + 1, start);
      tokens.push({ kind: 'attribute', text: q.slice(start, attr.end), scope: 'none', name: attr.name, parent: false, pos: start });
      i = attr.end;
      continue;
    }

    if (isWordStart(c)) {
      let j = i + 1;
      while (isWordChar(q[j])) j++;
      const word = q.slice(i, j);
      let scope = Object.hasOwn(SCOPES, word) ? SCOPES[word] : undefined;
      if (scope !== undefined && q[j] === '.') {
        let parent = false;
        let from = j + 1;
        if (scope === 'parent') {
          // parent.span.x, parent.resource.x, or parent.x (unscoped)
          parent = true;
          const m = /^(span|resource)\./.exec(q.slice(from));
          scope = m ? (m[1] as AttributeScope) : 'none';
          if (m) from += m[0].length;
        }
        const attr = lexAttributeName(q, from, start);
        tokens.push({ kind: 'attribute', text: q.slice(start, attr.end), scope, name: attr.name, parent, pos: start });
        i = attr.end;
        continue;
      }
      // Scoped intrinsics: `span:name`, `trace:duration`, `event:name`, ...
      if (q[j] === ':' && isWordStart(q[j + 1])) {
        j += 2;
        while (isWordChar(q[j])) j++;
      }
      tokens.push({ kind: 'word', text: q.slice(i, j), pos: start });
      i = j;
      continue;
    }

    const op = OPERATORS.find((o) => q.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }

    throw new TraceQLError(`unexpected character ${JSON.stringify(c)} at position ${i}`, i);
  }
}

function lexAttributeName(q: string, from: number, start: number): { name: string; end: number } {
  let name = '';
  let i = from;
  while (i < q.length) {
    if (q[i] === '"') {
      const r = unquote(q, i);
      if ('error' in r) throw new TraceQLError(`${r.error} at position ${r.at}`, r.at);
      name += r.value;
      i = r.end;
    } else if (isAttributeChar(q[i])) {
      name += q[i];
      i++;
    } else {
      break;
    }
  }
  if (name.length === 0) {
    throw new TraceQLError(`expected an attribute name after "${q.slice(start, from)}" at position ${from}`, from);
  }
  return { name, end: i };
}

function lexNumber(q: string, start: number): Token {
  const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(q.slice(start));
  const numText = m![0];
  const after = start + numText.length;
  if (isDurationUnitChar(q[after] ?? '')) {
    // Take the whole run of digits, dots and unit letters: `1m30s`, `1.5ms`.
    let j = start;
    while (j < q.length && (isDigit(q[j]) || q[j] === '.' || isDurationUnitChar(q[j]))) j++;
    const text = q.slice(start, j);
    const ns = parseDuration(text);
    if (ns === null) {
      throw new TraceQLError(
        `invalid duration ${JSON.stringify(text)} at position ${start} (units: ns, us, ms, s, m, h, d, w, y; e.g. 250ms, 1m30s)`,
        start,
      );
    }
    return { kind: 'duration', text, ns, pos: start };
  }
  if (/^\d+$/.test(numText)) {
    return { kind: 'int', text: numText, value: Number(numText), pos: start };
  }
  return { kind: 'float', text: numText, value: Number(numText), pos: start };
}
