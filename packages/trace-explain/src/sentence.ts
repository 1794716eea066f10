/**
 * The one sentence: a finding (what the rules found, or what a service knows
 * about the error it just raised) rendered as plain English. Services that
 * cannot read their own trace yet use this too, so an answer and its trace
 * say the same thing.
 */

/** A span as named in a sentence; without a name, the service alone. */
export interface SpanRef {
  service: string;
  name?: string;
}

export type Finding =
  | { kind: 'error'; at: SpanRef; errorType?: string; message?: string; httpStatus?: number }
  | {
      kind: 'timeout';
      /** The span that stopped waiting. */
      gaveUp: SpanRef;
      /** How long it waited. */
      waitedMs: number;
      /** Its declared timeout, when known. */
      timeoutMs?: number;
      /** The slow callee; durationMs absent when the caller cannot know it. */
      callee?: SpanRef & { durationMs?: number; cutOff?: boolean };
    }
  | { kind: 'unreachable'; at: SpanRef; peer?: string; code?: string }
  | { kind: 'retries-exhausted'; at: SpanRef; peer?: string; code?: string; attempts: number; gaveUp?: SpanRef }
  | { kind: 'slow-query'; at: SpanRef; durationMs: number; traceMs: number; query?: string }
  | { kind: 'n-plus-one'; at: SpanRef; count: number; query: string; totalMs: number }
  | { kind: 'slow'; at: SpanRef; selfMs: number; traceMs: number };

/** Milliseconds as people say them: "0.4 ms", "12 ms", "612 ms", "1.5 s". */
export function formatMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Math.round(ms / 100) / 10} s`;
}

export function spanLabel(s: SpanRef): string {
  return s.name ? `${s.service} ${s.name}` : s.service;
}

/** A message as a clause: one line, no final period, at most 160 characters. */
function clause(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim().replace(/[.\s]+$/, '');
  return one.length > 160 ? `${one.slice(0, 157)}…` : one;
}

const quoted = (q: string) => `"${clause(q).slice(0, 80)}"`;

function via(peer?: string, code?: string): string {
  return `could not reach ${peer || 'its peer'}${code ? ` (${code})` : ''}`;
}

export function renderSummary(f: Finding): string {
  switch (f.kind) {
    case 'error': {
      const what = f.errorType ? ` with ${f.errorType}` : f.httpStatus ? ` with HTTP ${f.httpStatus}` : '';
      const msg = f.message ? clause(f.message) : '';
      return `${spanLabel(f.at)} failed${what}${msg ? `: ${msg}` : ''}.`;
    }
    case 'timeout': {
      const limit = f.timeoutMs !== undefined ? `${formatMs(f.timeoutMs)} (its timeout)` : `${formatMs(f.waitedMs)} (timed out)`;
      const head = `${spanLabel(f.gaveUp)} gave up after ${limit}`;
      const c = f.callee;
      if (!c) return `${head}.`;
      if (c.durationMs === undefined) return `${head}; ${spanLabel(c)} did not answer in time.`;
      return `${head}; ${spanLabel(c)} took ${formatMs(c.durationMs)}${c.cutOff ? ' and was cut off' : ''}.`;
    }
    case 'unreachable':
      return `${spanLabel(f.at)} ${via(f.peer, f.code)}.`;
    case 'retries-exhausted':
      return `${spanLabel(f.at)} ${via(f.peer, f.code)} in ${f.attempts} attempts${f.gaveUp ? `; ${spanLabel(f.gaveUp)} gave up` : ''}.`;
    case 'slow-query':
      return `No errors, but ${spanLabel(f.at)} took ${formatMs(f.durationMs)} of the ${formatMs(f.traceMs)} trace${f.query ? ` on ${quoted(f.query)}` : ''}.`;
    case 'n-plus-one':
      return `No errors, but ${spanLabel(f.at)} ran the same query ${f.count} times (${quoted(f.query)}, ${formatMs(f.totalMs)} in all): an N+1 pattern.`;
    case 'slow':
      return `No errors; most time in ${spanLabel(f.at)} (${formatMs(f.selfMs)} of ${formatMs(f.traceMs)}).`;
  }
}
