import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE, DOCKERFILES, K8S_BASE, REPO, dockerStages, isPinned, walk, yamlDocs, yamlFile } from './deploy-files.js';

describe('every deploy file parses', () => {
  const yamls = walk('deploy', (f) => /\.ya?ml$/.test(f));
  const jsons = walk('deploy', (f) => f.endsWith('.json'));

  it('finds the files it is meant to check', () => {
    expect(yamls).toEqual(
      expect.arrayContaining([
        COMPOSE,
        'deploy/collector/otel-collector.yaml',
        'deploy/tempo/tempo.yaml',
        'deploy/grafana/provisioning/datasources/datasources.yaml',
        `${K8S_BASE}/kustomization.yaml`,
      ]),
    );
    expect(jsons).toContain('deploy/grafana/dashboards/red-order.json');
  });

  it.each(yamls)('%s is valid YAML (strict, no duplicate keys)', (f) => {
    const docs = yamlDocs(f);
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) expect(d).toBeTypeOf('object');
  });

  it.each(jsons)('%s is valid JSON', (f) => {
    expect(() => JSON.parse(readFileSync(path.join(REPO, f), 'utf8'))).not.toThrow();
  });
});

describe('isPinned', () => {
  it.each(['postgres:14.17', 'otel/opentelemetry-collector-contrib:0.123.0', 'localhost:5000/x:1.2', 'x@sha256:abc'])('%s is pinned', (i) =>
    expect(isPinned(i)).toBe(true),
  );
  it.each(['postgres', 'grafana/tempo:latest', 'localhost:5000/x', 'x:${TAG}', 'x:'])('%s is not pinned', (i) => expect(isPinned(i)).toBe(false));
});

describe('every image is pinned', () => {
  const compose = yamlFile(COMPOSE);

  it.each(Object.keys(compose.services))('compose service %s', (name) => {
    const svc = compose.services[name];
    expect(svc.image ?? svc.build, `${name} has neither image nor build`).toBeDefined();
    // Built services are tagged too, so `docker compose push`/k8s refer to a fixed version.
    expect(isPinned(svc.image), `${name}: "${svc.image}"`).toBe(true);
  });

  it.each(DOCKERFILES)('%s: every FROM is a pinned image or an earlier stage', (f) => {
    const stages = dockerStages(f);
    const names = new Set<string>();
    for (const st of stages) {
      if (!names.has(st.from)) expect(isPinned(st.from), `${f}: FROM ${st.from}`).toBe(true);
      if (st.name) names.add(st.name);
    }
  });

  it('k8s containers', () => {
    const kust = yamlFile(`${K8S_BASE}/kustomization.yaml`);
    const overrides = new Map<string, string>((kust.images ?? []).map((i: any) => [i.name, i.newTag]));
    for (const [name, tag] of overrides) expect(isPinned(`${name}:${tag}`)).toBe(true);
    let containers = 0;
    for (const res of kust.resources as string[]) {
      for (const doc of yamlDocs(`${K8S_BASE}/${res}`)) {
        for (const c of doc?.spec?.template?.spec?.containers ?? []) {
          containers++;
          expect(isPinned(c.image), `${res}: ${c.image}`).toBe(true);
        }
      }
    }
    expect(containers).toBe(2);
  });
});
