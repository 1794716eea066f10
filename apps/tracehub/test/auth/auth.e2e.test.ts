/**
 * tracehub beyond loopback: every listener requires the token it printed at
 * start, presented the way each client presents it (OTLP exporters' headers
 * and gRPC metadata, Grafana's basic auth, Jaeger UI behind a bearer header,
 * the UI's cookie). Without it: 401 and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { exportSpans, type Protocol } from '../hub/exporters.js';
import { makeSdkSpans } from '../otlp/sdk-fixtures.js';

let hub: HubHandle;
let token: string;

beforeAll(async () => {
  hub = await startHub({ args: ['--host', '0.0.0.0'] });
  await vi.waitFor(() => expect(hub.logs.some((l) => l.includes('  token: '))).toBe(true), { timeout: 5_000 });
  token = /token: (\S+)/.exec(hub.logs.find((l) => l.includes('  token: '))!)![1]!;
});

afterAll(async () => {
  await hub?.stop({ removeData: true });
});

const bearer = () => ({ authorization: `Bearer ${token}` });
const basic = (pass: string) => ({ authorization: `Basic ${Buffer.from(`grafana:${pass}`).toString('base64')}` });

describe('the generated token', () => {
  it('is printed once with a login link and the exporter header, and never logged', () => {
    expect(hub.logs.filter((l) => l.includes(token))).toHaveLength(3);
    expect(hub.logs.some((l) => l.includes(`/login?token=${token}`))).toBe(true);
    expect(hub.logs.some((l) => l.includes(`OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20${token}"`))).toBe(true);
    expect(hub.logs.filter((l) => l.startsWith('{') && l.includes(token))).toEqual([]);
    expect(hub.logs.find((l) => l.includes('"tracehub started"'))).toContain('"auth":"token"');
  });
});

describe.each<Protocol>(['http/protobuf', 'http/json', 'grpc'])('OTLP over %s', (protocol) => {
  it('refuses an export without the token and stores one with it', async () => {
    const refused = await makeSdkSpans();
    await expect(exportSpans(hub, protocol, refused)).rejects.toThrow();
    await expect(exportSpans(hub, protocol, refused, { authorization: 'Bearer wrong-token-0123456789' })).rejects.toThrow();
    const sent = await makeSdkSpans();
    await exportSpans(hub, protocol, sent, bearer());
    const traceId = sent[0]!.spanContext().traceId;
    const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`, { headers: bearer() });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { spans: unknown[] }).spans).toHaveLength(sent.length);
    const none = await fetch(`${hub.apiUrl}/api/v1/traces/${refused[0]!.spanContext().traceId}`, { headers: bearer() });
    expect(none.status).toBe(404);
  });
});

describe('the printed exporter setting', () => {
  it('works as OTEL_EXPORTER_OTLP_HEADERS for the SDK exporter', async () => {
    const line = hub.logs.find((l) => l.includes('OTEL_EXPORTER_OTLP_HEADERS='))!;
    const value = /OTEL_EXPORTER_OTLP_HEADERS="([^"]+)"/.exec(line)![1]!;
    process.env.OTEL_EXPORTER_OTLP_HEADERS = value;
    try {
      const sent = await makeSdkSpans();
      await exportSpans(hub, 'http/protobuf', sent);
      await exportSpans(hub, 'grpc', await makeSdkSpans());
      expect((await fetch(`${hub.apiUrl}/api/v1/traces/${sent[0]!.spanContext().traceId}`, { headers: bearer() })).status).toBe(200);
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
    }
  });
});

describe('OTLP/HTTP answers', () => {
  it('a 401 google.rpc.Status UNAUTHENTICATED in the request encoding', async () => {
    const res = await fetch(`${hub.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { code: number; message: string };
    expect(body.code).toBe(16);
    expect(body.message).toMatch(/token/);
  });
});

describe('the query API and the UI', () => {
  it('answers 401 without the token, except health and readiness', async () => {
    const res = await fetch(`${hub.apiUrl}/api/v1/services`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'UNAUTHORIZED', message: expect.stringMatching(/Bearer/) });
    expect((await fetch(`${hub.apiUrl}/api/v1/traces?limit=5`)).status).toBe(401);
    expect((await fetch(`${hub.apiUrl}/api/v1/analyze/attributes`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await fetch(`${hub.apiUrl}/health`)).status).toBe(200);
    expect((await fetch(`${hub.apiUrl}/ready`)).status).toBe(200);
    const ok = await fetch(`${hub.apiUrl}/api/v1/services`, { headers: bearer() });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { services: string[] }).services.length).toBeGreaterThan(0);
  });

  it('gives a page of the UI the login page instead, with no data and no scripts', async () => {
    const res = await fetch(`${hub.apiUrl}/trace/0123`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).not.toContain('<script');
    expect(html).toContain('value="/trace/0123"');
  });

  it('login sets an HttpOnly cookie from the link and goes back where the user was', async () => {
    const wrong = await fetch(`${hub.apiUrl}/login?token=not-the-token-0123456`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const res = await fetch(`${hub.apiUrl}/login?token=${token}&next=${encodeURIComponent('/trace/abc?span=1')}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/trace/abc?span=1');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const api = await fetch(`${hub.apiUrl}/api/v1/services`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(api.status).toBe(200);
    // The form posts the token; a foreign `next` never leaves this host.
    const form = await fetch(`${hub.apiUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next: '//evil.example/x' }).toString(),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/');
  });
});

describe('the Tempo and Jaeger APIs', () => {
  it('Tempo: Grafana basic auth (token as password) or bearer; 401 without', async () => {
    const url = `${hub.tempoUrl}/api/search/tags`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: basic('wrong-token-0123456789') })).status).toBe(401);
    const res = await fetch(url, { headers: basic(token) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tagNames: string[] }).tagNames.length).toBeGreaterThan(0);
    expect((await fetch(url, { headers: bearer() })).status).toBe(200);
  });

  it('Jaeger: 401 in its envelope without; services with the token', async () => {
    const none = await fetch(`${hub.jaegerUrl}/api/services`);
    expect(none.status).toBe(401);
    const body = (await none.json()) as { data: unknown; errors: { code: number }[] };
    expect(body.data).toBeNull();
    expect(body.errors[0]!.code).toBe(401);
    const res = await fetch(`${hub.jaegerUrl}/api/services`, { headers: bearer() });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: string[] }).data.length).toBeGreaterThan(0);
  });
});
