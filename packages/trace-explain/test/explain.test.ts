// Each rule of explain() on synthetic spans. The names are deliberately not
// tracelab's: the rules read span kinds, status, semantic-convention
// attributes and times only.
import { describe, expect, it } from 'vitest';
import { explain } from '../src/index.js';
import { query, span } from './spans.js';

const roles = (e: ReturnType<typeof explain>) => e.chain.map((c) => `${c.name}:${c.role}`);

describe('error origin', () => {
  // checkout (ERROR) → reserve (ERROR, exception) ; ship ok
  it('names the ERROR span whose error did not come from a child; its ERROR parents propagated it', () => {
    const e = explain([
      span('GET /checkout', null, 0, 50, { kind: 'server', service: 'shop', error: true, attrs: { 'http.response.status_code': 500 } }),
      span('reserve', 'GET /checkout', 5, 10, { service: 'shop', error: 'no stock', exception: { type: 'NoStock', message: 'Item 42 is sold out.' } }),
      span('ship', 'GET /checkout', 20, 10, { service: 'shop' }),
    ]);
    expect(e.status).toBe('error');
    expect(e.cause).toMatchObject({ service: 'shop', name: 'reserve', kind: 'error' });
    expect(e.summary).toBe('shop reserve failed with NoStock: Item 42 is sold out.');
    expect(roles(e)).toEqual(['reserve:cause', 'GET /checkout:root']);
  });

  it('follows the error across services down to the callee span that raised it', () => {
    const e = explain([
      span('root', null, 0, 120, { kind: 'server', service: 'web', error: true }),
      span('pay', 'root', 2, 110, { service: 'web', error: 'Payment failed', exception: { type: 'PaymentError', message: 'Payment failed: 500' } }),
      span('POST', 'pay', 3, 105, { kind: 'client', service: 'web', error: true, attrs: { 'http.response.status_code': 500, 'error.type': '500' } }),
      span('POST /charge', 'POST', 4, 103, { kind: 'server', service: 'billing', error: true, attrs: { 'http.response.status_code': 500 } }),
      span('charge-card', 'POST /charge', 5, 100, { service: 'billing', error: 'card declined', attrs: { 'error.type': 'DECLINED' } }),
    ]);
    expect(e.cause).toMatchObject({ service: 'billing', name: 'charge-card', kind: 'error' });
    expect(e.summary).toBe('billing charge-card failed with DECLINED: card declined.');
    expect(roles(e)).toEqual(['charge-card:cause', 'POST /charge:propagated', 'POST:propagated', 'pay:propagated', 'root:root']);
  });

  it('says the HTTP status when that is all the span has', () => {
    const e = explain([span('GET /x', null, 0, 5, { kind: 'server', service: 'api', error: true, attrs: { 'http.response.status_code': 503 } })]);
    expect(e.summary).toBe('api GET /x failed with HTTP 503.');
    expect(e.chain).toEqual([{ spanId: 'GET /x', service: 'api', name: 'GET /x', role: 'cause' }]);
  });

  it('of two independent origins, takes the one whose error reached furthest up', () => {
    const e = explain([
      span('root', null, 0, 100, { error: true }),
      span('a', 'root', 1, 10, { error: 'logged and ignored' }),
      span('b', 'root', 20, 50, { error: true }),
      span('c', 'b', 30, 10, { error: 'the real one' }),
    ]);
    expect(e.cause?.name).toBe('c');
  });
});

describe('timeout', () => {
  // The caller's step says it timed out; the callee is cut off and reports "caller aborted".
  const callerGaveUp = (calleeError: { type: string; message: string }) => [
    span('GET /buy', null, 0, 512, { kind: 'server', service: 'front', error: true, attrs: { 'http.response.status_code': 504 } }),
    span('ask-bank', 'GET /buy', 3, 505, {
      service: 'front',
      error: 'Bank did not answer within 500 ms',
      attrs: { 'error.type': 'BANK_TIMEOUT', 'app.bank.timeout_ms': 500 },
      exception: { type: 'BANK_TIMEOUT', message: 'Bank did not answer within 500 ms' },
    }),
    span('POST', 'ask-bank', 4, 500, { kind: 'client', service: 'front', attrs: { 'server.address': 'bank', 'server.port': 80 } }),
    span('POST /authorize', 'POST', 6, 505, { kind: 'server', service: 'bank' }),
    span('db-lookup', 'POST /authorize', 7, 3, { kind: 'client', service: 'bank', attrs: { 'db.system.name': 'mysql' } }),
    span('authorize', 'POST /authorize', 11, 499, { service: 'bank', error: calleeError.message, exception: calleeError }),
  ];

  it('blames the slow callee span, names who gave up and the timeout; "caller aborted" is never the cause', () => {
    const e = explain(callerGaveUp({ type: 'CLIENT_ABORTED', message: 'The caller aborted after 500 ms.' }));
    expect(e.cause).toMatchObject({ service: 'bank', name: 'authorize', kind: 'timeout' });
    expect(e.summary).toBe('front ask-bank gave up after 500 ms (its timeout); bank authorize took 499 ms and was cut off.');
    expect(roles(e)).toEqual(['authorize:cause', 'POST /authorize:waited', 'POST:waited', 'ask-bank:gave-up', 'GET /buy:root']);
  });

  it('recognises other wordings of the callee-side consequence', () => {
    for (const err of [
      { type: 'Error', message: 'client closed request' },
      { type: 'RequestAborted', message: 'request aborted by the client' },
    ]) {
      expect(explain(callerGaveUp(err)).cause).toMatchObject({ name: 'authorize', kind: 'timeout' });
    }
  });

  it('a CLIENT span that ends in AbortError is the one that gave up; the timeout comes from its message', () => {
    const e = explain([
      span('job', null, 0, 2010, { service: 'worker', error: true }),
      span('GET', 'job', 1, 2000, { kind: 'client', service: 'worker', error: 'This operation was aborted', attrs: { 'error.type': 'AbortError' } }),
      span('GET /report', 'GET', 3, 2600, { kind: 'server', service: 'reports' }),
      span('render', 'GET /report', 4, 2590, { service: 'reports' }),
    ]);
    expect(e.cause).toMatchObject({ service: 'reports', name: 'render', kind: 'timeout' });
    expect(e.summary).toBe('worker GET gave up after 2 s (timed out); reports render took 2.6 s and was cut off.');
    expect(roles(e)).toEqual(['render:cause', 'GET /report:waited', 'GET:gave-up', 'job:root']);
  });

  it('from timing alone: an ERROR call whose callee ran on well after it ended', () => {
    const e = explain([
      span('root', null, 0, 310, { service: 'a', error: true }),
      span('call', 'root', 1, 300, { kind: 'client', service: 'a', error: true }),
      span('handle', 'call', 2, 900, { kind: 'server', service: 'b' }),
    ]);
    expect(e.cause).toMatchObject({ service: 'b', name: 'handle', kind: 'timeout' });
    expect(e.summary).toBe('a call gave up after 300 ms (timed out); b handle took 900 ms and was cut off.');
  });

  it('nested timeouts: the innermost one fired; the outer caller only heard of it', () => {
    const e = explain([
      span('GET /page', null, 0, 1020, { kind: 'server', service: 'edge', error: 'upstream timed out', attrs: { 'http.response.status_code': 504 } }),
      span('GET', 'GET /page', 1, 1010, { kind: 'client', service: 'edge', error: 'Gateway Timeout', attrs: { 'http.response.status_code': 504 } }),
      span('GET /data', 'GET', 2, 1005, { kind: 'server', service: 'api', error: true, attrs: { 'http.response.status_code': 504 } }),
      span('fetch-rows', 'GET /data', 3, 1001, { service: 'api', error: 'query timeout after 1000 ms', attrs: { 'error.type': 'QueryTimeout' } }),
      span('SELECT', 'fetch-rows', 3, 1000, { kind: 'client', service: 'api', attrs: { 'db.system.name': 'postgresql', 'server.address': 'db' } }),
      span('scan', 'SELECT', 4, 3000, { kind: 'server', service: 'db' }),
    ]);
    expect(e.cause).toMatchObject({ service: 'db', name: 'scan', kind: 'timeout' });
    expect(e.summary).toBe('api fetch-rows gave up after 1 s (its timeout); db scan took 3 s and was cut off.');
    expect(roles(e)).toEqual(['scan:cause', 'SELECT:waited', 'fetch-rows:gave-up', 'GET /data:propagated', 'GET:propagated', 'GET /page:root']);
  });

  it('without callee spans the abandoned call itself is the cause', () => {
    const e = explain([
      span('root', null, 0, 1000, { service: 'a', error: 'deadline exceeded', attrs: { 'rpc.timeout_s': 1 } }),
      span('grpc.Get', 'root', 0, 1000, { kind: 'client', service: 'a', attrs: { 'server.address': 'store', 'server.port': 9000 } }),
    ]);
    expect(e.cause).toMatchObject({ name: 'grpc.Get', kind: 'timeout' });
    expect(e.summary).toBe('a root gave up after 1 s (its timeout).');
  });
});

describe('unreachable and retries', () => {
  const attempt = (id: string, start: number, extra: object = {}) =>
    span(id, 'step', start, 1, {
      kind: 'client',
      name: 'POST',
      service: 'cart',
      error: 'connect ECONNREFUSED 10.0.0.7:8443',
      attrs: { 'server.address': '10.0.0.7', 'server.port': 8443, 'error.type': 'ECONNREFUSED' },
      ...extra,
    });

  it('a CLIENT span that could not connect, with no server under it', () => {
    const e = explain([span('root', null, 0, 10, { service: 'cart', error: true }), span('step', 'root', 1, 5, { service: 'cart', error: 'boom' }), attempt('p1', 2)]);
    expect(e.cause).toMatchObject({ spanId: 'p1', name: 'POST', kind: 'unreachable' });
    expect(e.summary).toBe('cart POST could not reach 10.0.0.7:8443 (ECONNREFUSED).');
    expect(roles(e)).toEqual(['POST:cause', 'step:propagated', 'root:root']);
  });

  it('several failed attempts: retries-exhausted, the last attempt is the cause, its parent gave up', () => {
    const e = explain([
      span('root', null, 0, 100, { service: 'cart', error: true }),
      span('step', 'root', 1, 95, { service: 'cart', error: 'gave up' }),
      attempt('p1', 2),
      attempt('p2', 30),
      attempt('p3', 90),
    ]);
    expect(e.cause).toMatchObject({ spanId: 'p3', kind: 'retries-exhausted' });
    expect(e.summary).toBe('cart POST could not reach 10.0.0.7:8443 (ECONNREFUSED) in 3 attempts; cart step gave up.');
    expect(roles(e)).toEqual(['POST:cause', 'step:gave-up', 'root:root']);
  });

  it('counts http.request.resend_count when the retries are inside one span', () => {
    const e = explain([span('step', null, 0, 10, { service: 'cart', error: true }), attempt('p1', 1, { attrs: { 'url.full': 'https://pay.example:8443/x', 'http.request.resend_count': 3, 'error.type': 'ENOTFOUND' } })]);
    expect(e.summary).toBe('cart POST could not reach pay.example:8443 (ENOTFOUND) in 4 attempts; cart step gave up.');
  });

  it('a client error after a server answered is an ordinary error, not unreachable', () => {
    const e = explain([
      span('c', null, 0, 10, { kind: 'client', service: 'a', error: 'ECONNREFUSED upstream' }),
      span('s', 'c', 1, 8, { kind: 'server', service: 'b', error: 'ECONNREFUSED upstream' }),
    ]);
    expect(e.cause).toMatchObject({ name: 's', kind: 'error' });
  });
});

describe('successful traces', () => {
  it('slow-query: a database span holding up most of the trace, with its normalised text', () => {
    const e = explain([
      span('GET /list', null, 0, 420, { kind: 'server', service: 'api' }),
      span('load', 'GET /list', 1, 305, { service: 'api' }),
      query('q1', 'load', 2, 300, "SELECT * FROM items WHERE owner = 'bob' AND n > 10", { service: 'api' }),
      span('render', 'GET /list', 310, 100, { service: 'api' }),
    ]);
    expect(e.status).toBe('ok');
    expect(e.cause).toMatchObject({ spanId: 'q1', kind: 'slow-query' });
    expect(e.summary).toBe('No errors, but api SELECT took 300 ms of the 420 ms trace on "SELECT * FROM items WHERE owner = ? AND n > ?".');
    expect(roles(e)).toEqual(['SELECT:cause', 'load:waited', 'GET /list:root']);
  });

  it('n-plus-one: five or more same-shape queries under one parent, with the count', () => {
    const spans = [span('GET /feed', null, 0, 100, { kind: 'server', service: 'feed' }), span('posts', 'GET /feed', 1, 60, { service: 'feed' })];
    for (let i = 0; i < 6; i++) spans.push(query(`q${i}`, 'posts', 2 + i * 10, 2, `SELECT * FROM users WHERE id = ${i + 1}`, { service: 'feed' }));
    spans.push(span('render', 'GET /feed', 70, 25, { service: 'feed' }));
    const e = explain(spans);
    expect(e.cause).toMatchObject({ name: 'posts', kind: 'n-plus-one' });
    expect(e.summary).toBe('No errors, but feed posts ran the same query 6 times ("SELECT * FROM users WHERE id = ?", 12 ms in all): an N+1 pattern.');
  });

  it('a slow query that is one of an N+1 group: n-plus-one; a slow query beside the group: slow-query', () => {
    const spans = [span('job', null, 0, 100, { service: 'w' })];
    for (let i = 0; i < 5; i++) spans.push(query(`q${i}`, 'job', 1 + i * 2, i === 4 ? 60 : 1, `SELECT * FROM t WHERE id = ${i}`));
    expect(explain(spans).cause).toMatchObject({ name: 'job', kind: 'n-plus-one' });
    spans[5] = query('q4', 'job', 9, 60, 'SELECT pg_sleep(1)');
    spans.push(query('q5', 'job', 80, 1, 'SELECT * FROM t WHERE id = 5'));
    expect(explain(spans).cause).toMatchObject({ spanId: 'q4', kind: 'slow-query' });
  });

  it('without a query text, db.query.summary gives the shape; four are not yet N+1', () => {
    const spans = [span('job', null, 0, 100, { service: 'w' })];
    const summarised = (id: string, start: number) =>
      span(id, 'job', start, 1, { kind: 'client', name: 'SELECT accounts', attrs: { 'db.system.name': 'postgresql', 'db.query.summary': 'SELECT accounts' } });
    for (let i = 0; i < 4; i++) spans.push(summarised(`q${i}`, 1 + i));
    expect(explain(spans).cause?.kind).toBe('slow');
    spans.push(summarised('q5', 9));
    expect(explain(spans).summary).toContain('ran the same query 5 times ("SELECT accounts"');
  });

  it('slow: the span with the largest self time on the critical path', () => {
    const e = explain([
      span('GET /', null, 0, 136, { kind: 'server', service: 'web' }),
      span('call', 'GET /', 5, 115, { kind: 'client', service: 'web' }),
      span('work', 'call', 10, 101, { service: 'backend' }),
      query('q', 'GET /', 121, 10, 'INSERT INTO t VALUES ($1)', { service: 'web' }),
    ]);
    expect(e.cause).toMatchObject({ service: 'backend', name: 'work', kind: 'slow' });
    expect(e.summary).toBe('No errors; most time in backend work (101 ms of 136 ms).');
  });

  it('a database span that is the largest but a small share of the trace is not a slow query', () => {
    const e = explain([span('root', null, 0, 100), span('a', 'root', 0, 20), span('b', 'root', 25, 20), span('c', 'root', 50, 20), query('q', 'root', 75, 25, 'SELECT 1')]);
    expect(e.cause?.kind).toBe('slow');
    expect(e.cause?.name).toBe('SELECT');
  });

  it('an empty trace has no cause', () => {
    expect(explain([])).toEqual({ status: 'ok', summary: 'The trace has no spans yet.', cause: null, chain: [] });
  });
});
