// Pure decoders for TraceQL literal text: Go-style quoted strings and
// durations. Tempo lexes with Go's text/scanner + strconv.Unquote and parses
// durations as Prometheus durations falling back to time.ParseDuration, so we
// accept the union of those forms (@tracelab/units TRACEQL_DURATION).
import { TRACEQL_DURATION, tryParseDuration, type DurationOptions } from '@tracelab/units';

/** A literal beyond int64 ns is the largest int64: `duration > 99999999999h` matches nothing rather than failing. */
const LITERAL: DurationOptions = { ...TRACEQL_DURATION, saturate: true };

/**
 * Parses `300ms`, `1.5s`, `1m30s`, `2h45m`, `1d`, `1w`, `1y`, ... into
 * nanoseconds, or returns null when the text is not a duration. Fractions
 * below 1 ns are truncated, as Go does.
 */
export function parseDuration(text: string): bigint | null {
  return tryParseDuration(text, LITERAL);
}

/** Characters that may follow digits in a duration (`ms`, `µs`, `1m30s`). */
export function isDurationUnitChar(c: string): boolean {
  return /^[a-zA-Zµμ]$/.test(c);
}

export interface Unquoted {
  value: string;
  /** Offset just past the closing quote. */
  end: number;
}

export interface UnquoteFailure {
  error: string;
  /** Offset of the offending character. */
  at: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

/**
 * Reads a quoted string starting at `start` (which holds `"` or a backtick).
 * Double-quoted strings take Go escapes (\n \t \" \\ \xHH \uHHHH \UHHHHHHHH
 * \ooo ...); backtick strings are raw.
 */
export function unquote(q: string, start: number): Unquoted | UnquoteFailure {
  const quote = q[start];
  let i = start + 1;
  if (quote === '`') {
    const close = q.indexOf('`', i);
    if (close < 0) return { error: 'unterminated string: expected closing `', at: q.length };
    return { value: q.slice(i, close), end: close + 1 };
  }
  let out = '';
  while (i < q.length) {
    const c = q[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\n') return { error: 'newline in string', at: i };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = q[i + 1];
    if (e === undefined) break;
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = q.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) return { error: `invalid \\${e} escape in string`, at: i };
      const code = parseInt(hex, 16);
      if (e === 'x') {
        out += String.fromCharCode(code);
      } else {
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return { error: `invalid code point in \\${e} escape`, at: i };
        out += String.fromCodePoint(code);
      }
      i += 2 + hexLen;
      continue;
    }
    if (/[0-7]/.test(e)) {
      const oct = q.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return { error: 'invalid octal escape in string', at: i };
      out += String.fromCharCode(parseInt(oct, 8));
      i += 4;
      continue;
    }
    return { error: `unknown escape \\${e} in string`, at: i };
  }
  return { error: 'unterminated string: expected closing "', at: q.length };
}
