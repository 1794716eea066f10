import { describe, expect, it } from 'vitest';
import { selectInstrumentations, serverSpanSource } from '../src/instrumentation-selection.js';

const enabled = (env: Record<string, string>) => [...selectInstrumentations(env).enabled].sort();

describe('selectInstrumentations', () => {
  it('runs every instrumentation by default', () => {
    expect(enabled({})).toEqual(['http', 'pg', 'pino', 'undici']);
  });
  it('keeps only the enabled ones, then drops the disabled ones', () => {
    expect(enabled({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http, pg' })).toEqual(['http', 'pg']);
    expect(enabled({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pino' })).toEqual(['http', 'pg', 'undici']);
    expect(enabled({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg' })).toEqual(['http']);
  });
  it('names what it does not know instead of failing', () => {
    const s = selectInstrumentations({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs,pg', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'pg,express' });
    expect(s.unknown).toEqual(['express', 'fs']);
    expect([...s.enabled]).toEqual([]);
  });
});

describe('serverSpanSource', () => {
  it('makes the SERVER span with the lean wrapper unless instrumentation-http is asked for', () => {
    expect(serverSpanSource({})).toEqual({ source: 'lean' });
    expect(serverSpanSource({ TRACELAB_HTTP_SERVER_SPAN: ' LEAN ' })).toEqual({ source: 'lean' });
    expect(serverSpanSource({ TRACELAB_HTTP_SERVER_SPAN: 'instrumentation-http' })).toEqual({ source: 'instrumentation-http' });
  });
  it('names an unknown value and falls back to lean', () => {
    expect(serverSpanSource({ TRACELAB_HTTP_SERVER_SPAN: 'express' })).toEqual({ source: 'lean', unknown: 'express' });
  });
});
