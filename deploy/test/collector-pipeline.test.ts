import { describe, expect, it } from 'vitest';
import { COLLECTOR, listenPort, yamlFile } from './deploy-files.js';

const config = yamlFile(COLLECTOR);

/** "otlp/tempo" is an instance of type "otlp"; the whole id must be defined. */
function defined(section: string): Set<string> {
  return new Set(Object.keys(config[section] ?? {}));
}

describe('Collector config', () => {
  const pipelines = Object.entries<any>(config.service.pipelines);

  it('has a traces pipeline', () => {
    expect(config.service.pipelines.traces).toBeDefined();
  });

  it.each(pipelines)('pipeline %s references only defined receivers, processors and exporters', (_name, p) => {
    for (const [key, section] of [['receivers', 'receivers'], ['processors', 'processors'], ['exporters', 'exporters']] as const) {
      const have = defined(section);
      for (const id of p[key] ?? []) expect(have.has(id), `${key}: ${id} is not defined`).toBe(true);
    }
    expect((p.receivers ?? []).length).toBeGreaterThan(0);
    expect((p.exporters ?? []).length).toBeGreaterThan(0);
  });

  it.each(pipelines)('pipeline %s runs memory_limiter first and batch', (_name, p) => {
    expect(p.processors[0]).toBe('memory_limiter');
    expect(p.processors).toContain('batch');
  });

  it('enables only defined extensions', () => {
    for (const e of config.service.extensions ?? []) expect(defined('extensions').has(e)).toBe(true);
  });

  it('every defined component is used (a typo in a pipeline would leave one orphaned)', () => {
    const used = new Set(pipelines.flatMap(([, p]) => [...(p.receivers ?? []), ...(p.processors ?? []), ...(p.exporters ?? [])]));
    for (const section of ['receivers', 'processors', 'exporters']) for (const id of defined(section)) expect(used.has(id), `${section}.${id} unused`).toBe(true);
  });

  it('receives OTLP on 4317 (gRPC) and 4318 (HTTP) on all interfaces', () => {
    const p = config.receivers.otlp.protocols;
    expect(p.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(p.http.endpoint).toBe('0.0.0.0:4318');
    expect([listenPort(p.grpc.endpoint), listenPort(p.http.endpoint)]).toEqual([4317, 4318]);
  });
});
