// The launcher's terminal view of pino output, on lines as the services really write them.
import { describe, expect, it } from 'vitest';
import { clock, createLogFormatter, exitReason, formatPostgresLine, postgresFailureReason } from '../lib/log-format.mjs';

const TIME = new Date(2026, 11, 2, 10, 22, 52).getTime();
const TRACE = 'aaa44ffefd8c177673a4a249fadc70e9';
const traceUrl = (id) => `http://127.0.0.1:3000/trace/${id}`;
const line = (o) => JSON.stringify({ level: 30, time: TIME, pid: 1, hostname: 'vm', ...o });
const incoming = (reqId, method, url, extra = {}) => line({ reqId, req: { method, url, host: '127.0.0.1:8080', remoteAddress: '127.0.0.1', remotePort: 1 }, msg: 'incoming request', ...extra });
const completed = (reqId, status, ms, extra = {}) => line({ reqId, res: { statusCode: status }, responseTime: ms, msg: 'request completed', ...extra });
const traced = { trace_id: TRACE, span_id: 'b9ff85a1ec06f1fb', trace_flags: '01' };

describe('request lines', () => {
  it('turns the incoming/completed pair into one line with time, service, method, path, status, ms and the trace link', () => {
    const format = createLogFormatter({ service: 'order-service', traceUrl });
    expect(format(incoming('req-2', 'GET', '/order?productName=Book&delay=100', traced))).toBeNull();
    expect(format(completed('req-2', 200, 146.69, traced))).toBe(
      `10:22:52 order-service   GET /order?productName=Book&delay=100 → 200 147 ms  http://127.0.0.1:3000/trace/${TRACE}`,
    );
  });

  it('pairs requests by reqId when they overlap', () => {
    const format = createLogFormatter({ service: 'payment-service', traceUrl });
    format(incoming('req-3', 'POST', '/payments'));
    format(incoming('req-4', 'GET', '/other'));
    expect(format(completed('req-4', 404, 1))).toContain('GET /other → 404 1 ms');
    expect(format(completed('req-3', 500, 103))).toContain('POST /payments → 500 103 ms');
  });

  it('has no link without a trace id (the storefront is not instrumented) and no link without a traceUrl', () => {
    const format = createLogFormatter({ service: 'storefront', traceUrl });
    format(incoming('req-2', 'GET', '/'));
    expect(format(completed('req-2', 200, 5))).toBe('10:22:52 storefront      GET / → 200 5 ms');
    const noLinks = createLogFormatter({ service: 'order-service' });
    noLinks(incoming('r', 'GET', '/order', traced));
    expect(noLinks(completed('r', 200, 5, traced))).not.toContain('http');
  });

  it('hides the readiness polls', () => {
    const format = createLogFormatter({ service: 'order-service', traceUrl });
    expect(format(incoming('req-1', 'GET', '/ready'))).toBeNull();
    expect(format(completed('req-1', 200, 14))).toBeNull();
  });

  it('still shows a completion whose incoming line it never saw', () => {
    const format = createLogFormatter({ service: 'order-service', traceUrl });
    expect(format(completed('req-9', 200, 3))).toBe('10:22:52 order-service   ? ? → 200 3 ms');
  });

  it('colours the status only when asked', () => {
    const format = createLogFormatter({ service: 'order-service', color: true });
    format(incoming('a', 'GET', '/order'));
    expect(format(completed('a', 504, 511))).toContain('\x1b[31m504\x1b[0m');
  });
});

describe('warnings and errors', () => {
  it('shows a warning as one line with its trace link', () => {
    const format = createLogFormatter({ service: 'payment-service', traceUrl });
    const warn = line({ level: 40, reqId: 'req-3', ...traced, orderId: 'x', msg: 'The caller aborted after 499 ms; payment stopped.' });
    expect(format(warn)).toBe(`10:22:52 payment-service WARN The caller aborted after 499 ms; payment stopped.  ${traceUrl(TRACE)}`);
  });

  it('shows an error with its message and without the stack', () => {
    const format = createLogFormatter({ service: 'order-service', traceUrl });
    const err = { type: 'ServiceError', message: 'Payment did not answer within 500 ms; the payment request was aborted.', stack: 'ServiceError: ...\n    at x (file:///a.js:1:1)', code: 'PAYMENT_TIMEOUT' };
    const shown = format(line({ level: 50, ...traced, err, msg: 'order failed' }));
    expect(shown).toBe(`10:22:52 order-service   ERROR order failed: Payment did not answer within 500 ms; the payment request was aborted.  ${traceUrl(TRACE)}`);
    expect(shown).not.toContain('\n');
  });

  it('hides routine info lines', () => {
    const format = createLogFormatter({ service: 'tracehub', traceUrl });
    expect(format(line({ msg: 'Server listening at http://127.0.0.1:8080' }))).toBeNull();
    expect(format(JSON.stringify({ level: 30, time: TIME, service: 'tracehub', endpoints: {}, msg: 'tracehub started' }))).toBeNull();
    expect(format('')).toBeNull();
  });

  it('passes lines that are not JSON through, once, with time and service', () => {
    const format = createLogFormatter({ service: 'order-service' });
    const shown = format('(node:12) Warning: something odd');
    expect(shown).toMatch(/^\d\d:\d\d:\d\d order-service {3}\(node:12\) Warning: something odd$/);
    expect(format('{not json')).toMatch(/order-service {3}\{not json$/);
  });
});

describe('clock', () => {
  it('reads epoch milliseconds and ISO strings', () => {
    expect(clock(TIME)).toBe('10:22:52');
    expect(clock(new Date(TIME).toISOString())).toBe('10:22:52');
    expect(clock('not a time')).toBe('--:--:--');
  });
});

describe('PostgreSQL lines', () => {
  it('shows warnings and errors, hides routine LOG lines', () => {
    expect(formatPostgresLine('2026-12-02 10:22:23.123 UTC [42] LOG:  database system is ready to accept connections')).toBeNull();
    expect(formatPostgresLine('2026-12-02 10:22:23.123 UTC [42] FATAL:  lock file "postmaster.pid" already exists', { now: TIME })).toBe(
      '10:22:52 postgres        ERROR lock file "postmaster.pid" already exists',
    );
    expect(formatPostgresLine('2026-12-02 10:22:23.123 UTC [42] WARNING:  could not flush dirty data', { now: TIME })).toContain('WARN could not flush dirty data');
  });

  it('finds why PostgreSQL or initdb failed', () => {
    expect(postgresFailureReason(['... LOG:  starting PostgreSQL 18.4', '... FATAL:  database files are incompatible with server', '... LOG:  database system is shut down'])).toBe(
      'database files are incompatible with server',
    );
    expect(postgresFailureReason(['[STDERR] initdb: error: could not access directory "/root/x/.data/postgres": Permission denied'])).toBe(
      'error: could not access directory "/root/x/.data/postgres": Permission denied',
    );
    expect(postgresFailureReason(['postgres: could not access the server configuration file "/x/postgresql.conf": Permission denied'])).toBe(
      'postgres: could not access the server configuration file "/x/postgresql.conf": Permission denied',
    );
    expect(postgresFailureReason([])).toBeNull();
  });
});

describe('exitReason', () => {
  it('prefers the last error a process logged', () => {
    const lines = [line({ msg: 'starting' }), line({ level: 60, err: { message: 'data directory was written by an incompatible version' }, msg: 'tracehub failed to start' }), 'tracehub: data directory was written by an incompatible version'];
    expect(exitReason(lines)).toBe('tracehub failed to start: data directory was written by an incompatible version');
  });

  it('takes a thrown error over the lines around it, and a CLI usage error over its usage text', () => {
    expect(exitReason(['file:///app/main.js:3', "throw new Error('boom')", '^', '', 'Error: boom', '    at file:///app/main.js:3:7'])).toBe('Error: boom');
    expect(exitReason(['tracehub: --max-body: "abc" is not a size', '', 'Usage: tracehub [flags]', '  --data-dir  where'])).toBe('tracehub: --max-body: "abc" is not a size');
    expect(exitReason([])).toBeNull();
  });
});
