// The Tempo, Jaeger and /api/v1 error handlers map errors by type (BadParameterError,
// TraceQLError, UnsupportedTraceQLError, MetricsRangeError), in process with inject().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessHub, openInProcessHub } from '../inprocess.js';

let hub: InProcessHub;
beforeAll(async () => {
  hub = await openInProcessHub();
});
afterAll(async () => {
  await hub?.close();
});

async function tempo(url: string): Promise<{ status: number; text: string }> {
  const res = await hub.tempo!.inject({ method: 'GET', url });
  return { status: res.statusCode, text: res.body };
}

const RANGE = 'start=1700000000&end=1700003600';

describe('Tempo API errors: 400 with the reason as text', () => {
  it.each<[string, string, string | RegExp]>([
    ['a Go duration it cannot read (BadParameterError)', '/api/search?minDuration=soon', 'minDuration must be a Go duration such as 100ms or 1.5s, got "soon"'],
    ['a negative minDuration', '/api/search?maxDuration=-1s', 'maxDuration must be a Go duration such as 100ms or 1.5s, got "-1s"'],
    ['a duration beyond int64 ns', '/api/search?minDuration=9999999999h', 'minDuration must be a Go duration such as 100ms or 1.5s, got "9999999999h"'],
    ['a search query that is not TraceQL (TraceQLError)', `/api/search?q=${encodeURIComponent('{ .a = ')}`, /position/],
    ['a metrics query that is not TraceQL', `/api/metrics/query_range?${RANGE}&q=${encodeURIComponent('{ .a = ')}`, /position/],
    ['too many group-by values (UnsupportedTraceQLError)', `/api/metrics/query_range?${RANGE}&q=${encodeURIComponent('{ } | rate() by (.a, .b, .c, .d, .e, .f)')}`, 'unsupported TraceQL: metrics group by 6 values'],
    ['a negative Go step (MetricsRangeError)', `/api/metrics/query_range?${RANGE}&step=-30s&q=${encodeURIComponent('{ } | rate()')}`, 'step required'],
    ['a Prometheus since it cannot read', `/api/metrics/query_range?since=30m1h&q=${encodeURIComponent('{ } | rate()')}`, `could not parse 'since' parameter: "30m1h" is not a duration like 1h or 30m`],
  ])('%s', async (_what, url, message) => {
    const res = await tempo(url);
    expect(res.status).toBe(400);
    if (typeof message === 'string') expect(res.text).toContain(message);
    else expect(res.text).toMatch(message);
  });

  it('reads what Go and Prometheus read', async () => {
    expect((await tempo('/api/search?minDuration=1m30.5s&maxDuration=2h')).status).toBe(200);
    expect((await tempo(`/api/metrics/query_range?since=1d12h&step=1m&q=${encodeURIComponent('{ } | rate()')}`)).status).toBe(200);
  });
});

describe('Jaeger API errors: 400 in its error envelope', () => {
  it('names the parameter in Jaeger wording', async () => {
    const res = await hub.jaeger!.inject({ method: 'GET', url: '/api/traces?service=order-service&minDuration=soon' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ data: null, errors: [{ code: 400, msg: 'cannot parse minDuration: "soon" is not a duration such as 100ms or 1.5s' }] });
  });
});

describe('/api/v1 errors: code, status and the parameter first', () => {
  it.each<[string, string, string]>([
    ['/api/v1/traces?minDuration=99999999999h', 'INVALID_PARAMETER', 'minDuration: "99999999999h" is out of range (at most 292 years)'],
    ['/api/v1/traces?maxDuration=1x', 'INVALID_PARAMETER', 'maxDuration: "1x" is not a duration (e.g. 100ms, 1.5s, 2m, or a number of ms)'],
    [`/api/v1/traces?q=${encodeURIComponent('{ .a = ')}`, 'INVALID_TRACEQL', 'invalid TraceQL: '],
  ])('%s', async (url, code, message) => {
    const res = await hub.api.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: code, message: expect.stringContaining(message) });
  });
});
