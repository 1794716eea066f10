// Export and import in process (inject(), no ports): the source's routes, fast,
// in the unit project. The same behaviour between real processes is in transfer.e2e.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanJson } from '../../src/api/present.js';
import { encodeTracesJson } from '../../src/otlp/index.js';
import { type InProcessHub, openInProcessHub } from '../inprocess.js';
import { richTrace } from './rich-trace.js';

let a: InProcessHub;
let b: InProcessHub;
let uiDir: string;
let emptyUiDir: string;
const trace = richTrace('inproc');
const traceId = trace[0]!.traceId;

beforeAll(async () => {
  // A stand-in for the UI's dist: the hub inlines whatever offline bundle it finds there.
  uiDir = mkdtempSync(path.join(tmpdir(), 'tracehub-ui-'));
  mkdirSync(path.join(uiDir, 'offline'));
  writeFileSync(path.join(uiDir, 'offline', 'offline.js'), 'document.title = "offline bundle";');
  writeFileSync(path.join(uiDir, 'offline', 'offline.css'), 'body { margin: 0 }');
  emptyUiDir = mkdtempSync(path.join(tmpdir(), 'tracehub-ui-empty-'));
  [a, b] = await Promise.all([openInProcessHub(['--ui-dir', uiDir]), openInProcessHub(['--max-body', '64KiB', '--ui-dir', emptyUiDir])]);
  await a.postTraces(JSON.stringify(encodeTracesJson(trace)));
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  for (const d of [uiDir, emptyUiDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const byId = (x: { spanId: string }, y: { spanId: string }) => x.spanId.localeCompare(y.spanId);
const importInto = async (hub: InProcessHub, payload: string | Buffer) => {
  const res = await hub.api.inject({ method: 'POST', url: '/api/v1/import', payload, headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, body: res.json() };
};

describe('export → import (in process)', () => {
  it('is lossless: every field of every span', async () => {
    const exported = await a.api.inject({ method: 'GET', url: `/api/v1/traces/${traceId}/export` });
    expect(exported.statusCode).toBe(200);
    expect(await importInto(b, exported.body)).toEqual({ status: 200, body: { format: 'otlp-json', traces: [traceId], spans: 3, rejected: 0 } });
    const got = (await b.api.inject({ method: 'GET', url: `/api/v1/traces/${traceId}` })).json().spans.sort(byId);
    expect(got).toEqual(JSON.parse(JSON.stringify(trace.map(spanJson))).sort(byId));
  });

  it('answers 413 above --max-body and 400 naming the problem', async () => {
    expect(await importInto(b, 'x'.repeat(70 * 1024))).toEqual({
      status: 413,
      body: { error: 'BODY_TOO_LARGE', message: 'the file is larger than the import limit of 65536 bytes (--max-body)' },
    });
    const bad = await importInto(b, '{"data": [{"spans": [{"spanID": "ab", "processID": "nope"}]}]}');
    expect(bad).toEqual({ status: 400, body: { error: 'INVALID_BODY', message: 'data[0].spans[0].processID: no process "nope" in the trace\'s processes' } });
  });

  it('the offline file inlines the UI bundle with the trace and its explanation; without the bundle → 503', async () => {
    const res = await a.api.inject({ method: 'GET', url: `/api/v1/traces/${traceId}/export?format=html` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="trace-${traceId}.html"`);
    expect(res.body).toContain('<script>document.title = "offline bundle";</script>');
    expect(res.body).toContain('<style>body { margin: 0 }</style>');
    const data = JSON.parse(/<script type="application\/json" id="tracehub-data">([^<]*)<\/script>/.exec(res.body)![1]!);
    expect(data.trace).toEqual((await a.api.inject({ method: 'GET', url: `/api/v1/traces/${traceId}` })).json());
    expect(data.explain).toEqual((await a.api.inject({ method: 'GET', url: `/api/v1/traces/${traceId}/explain` })).json());
    expect(data.logs).toEqual({ logs: [] });

    await importInto(b, (await a.api.inject({ method: 'GET', url: `/api/v1/traces/${traceId}/export` })).body);
    const missing = await b.api.inject({ method: 'GET', url: `/api/v1/traces/${traceId}/export?format=html` });
    expect(missing.statusCode).toBe(503);
    expect(missing.json()).toEqual({
      error: 'OFFLINE_UI_MISSING',
      message: `the offline UI bundle is not built (${path.join(emptyUiDir, 'offline')}): run \`npm run build\` at the repository root`,
    });
  });
});
