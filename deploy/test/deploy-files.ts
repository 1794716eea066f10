/**
 * Readers for the deploy/ static checks: every file parsed once, with the
 * repository paths they live at. No Docker engine on CI machines, so these
 * checks are what stands between a typo and a broken `docker compose up`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEPLOY = path.join(REPO, 'deploy');

export function read(rel: string): string {
  return readFileSync(path.join(REPO, rel), 'utf8');
}

/** Strict YAML: duplicate keys and other mistakes throw; `<<` merge keys apply, as in compose. */
export function yamlFile<T = any>(rel: string): T {
  return parse(read(rel), { strict: true, uniqueKeys: true, merge: true }) as T;
}

export function yamlDocs(rel: string): any[] {
  return parseAllDocuments(read(rel), { strict: true, uniqueKeys: true, merge: true }).map((d) => {
    if (d.errors.length > 0) throw new Error(`${rel}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS();
  });
}

export function walk(dirRel: string, pred: (f: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (abs: string) => {
    for (const name of readdirSync(abs)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const p = path.join(abs, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (pred(name)) out.push(path.relative(REPO, p));
    }
  };
  visit(path.join(REPO, dirRel));
  return out.sort();
}

export const COMPOSE = 'deploy/compose/docker-compose.yml';
export const COLLECTOR = 'deploy/collector/otel-collector.yaml';
export const TEMPO = 'deploy/tempo/tempo.yaml';
export const LOKI = 'deploy/loki/loki.yaml';
export const PROMETHEUS = 'deploy/prometheus/prometheus.yml';
export const DATASOURCES = 'deploy/grafana/provisioning/datasources/datasources.yaml';
export const DASHBOARD_PROVIDERS = 'deploy/grafana/provisioning/dashboards/dashboards.yaml';
export const K8S_BASE = 'deploy/k8s/base';
export const DOCKERFILES = ['apps/order-service/Dockerfile', 'apps/payment-service/Dockerfile', 'apps/tracehub/Dockerfile'];

/** "host:port" or a URL → { host, port }. */
export function hostPort(endpoint: string): { host: string; port: number } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `tcp://${endpoint}`;
  const u = new URL(withScheme);
  const port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { host: u.hostname, port };
}

/** The port part of a listen address such as "0.0.0.0:4317". */
export function listenPort(addr: string): number {
  const m = /:(\d+)$/.exec(addr);
  if (!m) throw new Error(`no port in listen address "${addr}"`);
  return Number(m[1]);
}

/** A compose `ports` entry ("4317:4317", "127.0.0.1:3000:3000/tcp") → container port. */
export function containerPort(mapping: string | number): number {
  const s = String(mapping).replace(/\/(tcp|udp)$/, '');
  return Number(s.split(':').at(-1));
}

export function hostPortOf(mapping: string | number): number {
  const parts = String(mapping).replace(/\/(tcp|udp)$/, '').split(':');
  return Number(parts.length >= 2 ? parts.at(-2) : parts[0]);
}

/** `--flag=value` or `--flag value` from a command list. */
export function flag(command: string[] | undefined, name: string): string | undefined {
  if (!command) return undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === `--${name}`) return command[i + 1];
    if (c.startsWith(`--${name}=`)) return c.slice(name.length + 3);
  }
  return undefined;
}

export interface DockerStage {
  from: string;
  name?: string;
  lines: string[];
}

/** Dockerfile → stages (continuation lines joined, comments dropped). */
export function dockerStages(rel: string): DockerStage[] {
  const joined = read(rel)
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: DockerStage[] = [];
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      stages.push({ from: from[1]!, name: from[2], lines: [] });
      continue;
    }
    if (stages.length === 0) continue; // ARG before FROM
    stages.at(-1)!.lines.push(line);
  }
  return stages;
}

/** True for an image reference with an explicit, non-latest tag or a digest. */
export function isPinned(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const lastSlash = image.lastIndexOf('/');
  const tagSep = image.indexOf(':', lastSlash + 1);
  if (tagSep < 0) return false;
  const tag = image.slice(tagSep + 1);
  return tag !== '' && tag !== 'latest' && !tag.includes('$');
}
