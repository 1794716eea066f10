// The launcher's terminal view of its children's logs: pure functions from one
// output line to one short line (or null to hide it). Full JSON stays in the
// log files and goes to tracehub over OTLP; this only decides what a person sees.

/** pino's numeric levels for the two that reach the terminal. */
const WARN = 40;
const ERROR = 50;
/** Requests nobody needs to see: the launcher's readiness polls. */
const HIDDEN_PATHS = new Set(['/ready', '/health']);
/** Incoming requests remembered until they complete (a bound, in case a completion line never comes). */
const MAX_PENDING = 1000;

const ANSI = { red: 31, green: 32, yellow: 33, dim: 2 };
const paint = (on, code, text) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** `line` as a JSON object when it is one (pino writes one object a line), else null. */
function parseJsonLine(line) {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** HH:MM:SS in local time, from pino's `time` (epoch ms or an ISO string). */
export function clock(time) {
  const d = new Date(time ?? Date.now());
  if (Number.isNaN(d.getTime())) return '--:--:--';
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The message of a pino record, with its error's message when that adds something. */
function messageOf(record) {
  const msg = typeof record.msg === 'string' ? record.msg : '';
  const errMsg = typeof record.err?.message === 'string' ? record.err.message : '';
  if (!errMsg || msg.includes(errMsg)) return msg || errMsg;
  return msg ? `${msg}: ${errMsg}` : errMsg;
}

/**
 * A formatter for one process's output. Fastify logs a request twice, "incoming request"
 * (method, url) and "request completed" (status, time), linked by reqId: the first is
 * remembered, the second becomes the one line shown.
 * @param {{ service: string, traceUrl?: (traceId: string) => string, color?: boolean }} opts
 * @returns {(line: string) => string | null}
 */
export function createLogFormatter({ service, traceUrl, color = false }) {
  const pending = new Map();
  const head = (time) => `${clock(time)} ${service.padEnd(15)}`;
  const link = (record) => (traceUrl && typeof record.trace_id === 'string' ? `  ${paint(color, ANSI.dim, traceUrl(record.trace_id))}` : '');

  return (line) => {
    const text = line.trimEnd();
    if (!text) return null;
    const record = parseJsonLine(text);
    // Not JSON: a Node warning, a crash, a library writing to the console. Worth seeing as it is.
    if (!record) return `${head()} ${text}`;

    if (record.msg === 'incoming request' && record.req && record.reqId !== undefined) {
      pending.set(record.reqId, record.req);
      if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value);
      return null;
    }
    if (record.msg === 'request completed' && record.res) {
      const req = pending.get(record.reqId) ?? record.req ?? {};
      pending.delete(record.reqId);
      const url = String(req.url ?? '?');
      if (HIDDEN_PATHS.has(url.split('?')[0])) return null;
      const status = Number(record.res.statusCode);
      const statusText = paint(color, status >= 500 ? ANSI.red : status >= 400 ? ANSI.yellow : ANSI.green, String(status));
      const ms = typeof record.responseTime === 'number' ? `${Math.round(record.responseTime)} ms` : '? ms';
      return `${head(record.time)} ${req.method ?? '?'} ${url} → ${statusText} ${ms}${link(record)}`;
    }
    if (typeof record.level === 'number' && record.level >= WARN) {
      const level = record.level >= ERROR ? paint(color, ANSI.red, 'ERROR') : paint(color, ANSI.yellow, 'WARN');
      return `${head(record.time)} ${level} ${messageOf(record)}${link(record)}`;
    }
    return null;
  };
}

/** PostgreSQL's log line (`2026-01-01 10:00:00.000 UTC [42] FATAL:  ...`): its level and message, or null. */
function parsePostgresLine(line) {
  const m = /\b(WARNING|ERROR|FATAL|PANIC):\s+(.*)$/.exec(line);
  return m ? { level: m[1], message: m[2].trim() } : null;
}

/** One short line for PostgreSQL's warnings and errors; its routine LOG lines stay in the log file. */
export function formatPostgresLine(line, { now = Date.now(), color = false } = {}) {
  const found = parsePostgresLine(line);
  if (!found) return null;
  const level = found.level === 'WARNING' ? paint(color, ANSI.yellow, 'WARN') : paint(color, ANSI.red, 'ERROR');
  return `${clock(now)} ${'postgres'.padEnd(15)} ${level} ${found.message}`;
}

/**
 * Why PostgreSQL (or its initdb) failed, from its output: the last FATAL/PANIC/ERROR, else
 * initdb's error, else the last thing it said (e.g. "postgres: could not access ..."), else null.
 */
export function postgresFailureReason(lines) {
  for (const line of [...lines].reverse()) {
    const found = parsePostgresLine(line);
    if (found && found.level !== 'WARNING') return found.message;
  }
  const initdb = lines.find((l) => /initdb: error: /.test(l));
  if (initdb) return initdb.slice(initdb.indexOf('initdb: error: ') + 'initdb: '.length).trim();
  const last = lines.findLast((l) => l.trim());
  return last ? last.replace(/^\[STDERR\]\s*/, '').trim() : null;
}

/**
 * Why a process ended, from its output lines, as one line: the last error it logged
 * (pino level 50+), else the first thrown error ("TypeError: ..."), else its first
 * plain line (a CLI's usage error), else null.
 */
export function exitReason(lines) {
  for (const line of [...lines].reverse()) {
    const record = parseJsonLine(line);
    if (record && typeof record.level === 'number' && record.level >= ERROR) return messageOf(record);
  }
  const plain = lines.map((l) => l.trim()).filter((l) => l && !parseJsonLine(l));
  return plain.find((l) => /^[A-Za-z]*Error\b[^:]*: /.test(l)) ?? plain[0] ?? null;
}
