/**
 * Ports and endpoints agree across compose, Collector, Tempo, Loki,
 * Prometheus, Grafana and k8s: every address one file dials is one that the
 * target's own config listens on, under a name compose actually resolves.
 */
import { describe, expect, it } from 'vitest';
import {
  COLLECTOR,
  COMPOSE,
  DASHBOARD_PROVIDERS,
  DATASOURCES,
  K8S_BASE,
  LOKI,
  PROMETHEUS,
  TEMPO,
  containerPort,
  flag,
  hostPort,
  listenPort,
  read,
  yamlDocs,
  yamlFile,
} from './deploy-files.js';

const compose = yamlFile(COMPOSE);
const collector = yamlFile(COLLECTOR);
const tempo = yamlFile(TEMPO);
const loki = yamlFile(LOKI);
const prometheus = yamlFile(PROMETHEUS);
const datasources = yamlFile(DATASOURCES).datasources as any[];

/** Per compose profile, what each resolvable name listens on (container ports). */
function listeners(profile: 'tempo' | 'tracehub'): Map<string, Set<number>> {
  const th = compose.services.tracehub;
  const fixed: Record<string, number[]> = {
    postgres: [5432],
    'order-service': [Number(compose.services['order-service'].environment.PORT)],
    'payment-service': [Number(compose.services['payment-service'].environment.PORT)],
    prometheus: [9090],
    grafana: [3000],
  };
  const m = new Map<string, Set<number>>(Object.entries(fixed).map(([k, v]) => [k, new Set(v)]));
  if (profile === 'tempo') {
    m.set('otel-collector', new Set([listenPort(collector.receivers.otlp.protocols.grpc.endpoint), listenPort(collector.receivers.otlp.protocols.http.endpoint), 13133]));
    const d = tempo.distributor.receivers.otlp.protocols;
    m.set('tempo', new Set([tempo.server.http_listen_port, listenPort(d.grpc.endpoint), listenPort(d.http.endpoint)]));
    m.set('loki', new Set([loki.server.http_listen_port]));
  } else {
    const ports = new Set(['port', 'otlp-http-port', 'otlp-grpc-port', 'tempo-port', 'jaeger-port'].map((f) => Number(flag(th.command, f))));
    for (const name of ['tracehub', ...th.networks.default.aliases]) m.set(name, ports);
  }
  return m;
}

function activeIn(name: string, profile: string): boolean {
  const p = compose.services[name]?.profiles as string[] | undefined;
  return p === undefined || p.includes(profile);
}

function expectReachable(endpoint: string, profile: 'tempo' | 'tracehub', what: string) {
  const { host, port } = hostPort(endpoint);
  const l = listeners(profile);
  expect(l.has(host), `${what}: "${host}" is not a service name in profile ${profile}`).toBe(true);
  expect([...l.get(host)!], `${what}: ${host} does not listen on ${port} in profile ${profile}`).toContain(port);
}

describe('compose', () => {
  it('has the seed services and the two profiles', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'order-service', 'payment-service', 'otel-collector', 'tempo', 'grafana', 'tracehub', 'prometheus']),
    );
    expect(compose.services['otel-collector'].profiles).toEqual(['tempo']);
    expect(compose.services.tempo.profiles).toEqual(['tempo']);
    expect(compose.services.tracehub.profiles).toEqual(['tracehub']);
    expect(read('deploy/compose/.env')).toMatch(/^COMPOSE_PROFILES=tempo$/m);
  });

  it('depends_on targets exist; service_healthy targets have a healthcheck; cross-profile edges are optional', () => {
    for (const [name, svc] of Object.entries<any>(compose.services)) {
      for (const [dep, cond] of Object.entries<any>(svc.depends_on ?? {})) {
        const target = compose.services[dep];
        expect(target, `${name} depends on unknown ${dep}`).toBeDefined();
        if (cond.condition === 'service_healthy') expect(target.healthcheck, `${dep} needs a healthcheck`).toBeDefined();
        const sameProfiles = JSON.stringify(target.profiles ?? null) === JSON.stringify(svc.profiles ?? null);
        if (!sameProfiles && target.profiles) expect(cond.required, `${name} -> ${dep} crosses profiles`).toBe(false);
      }
    }
  });

  it.each(['tempo', 'tracehub'] as const)('in profile %s the services reach their OTLP endpoint, database and payment-service', (profile) => {
    for (const name of ['order-service', 'payment-service']) {
      const env = compose.services[name].environment;
      expect(env.OTEL_SERVICE_NAME).toBe(name);
      expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('http/protobuf');
      expectReachable(env.OTEL_EXPORTER_OTLP_ENDPOINT, profile, `${name} OTEL_EXPORTER_OTLP_ENDPOINT`);
      // http/protobuf goes to the OTLP/HTTP port specifically.
      expect(hostPort(env.OTEL_EXPORTER_OTLP_ENDPOINT).port).toBe(listenPort(collector.receivers.otlp.protocols.http.endpoint));
      expect(hostPort(env.OTEL_EXPORTER_OTLP_ENDPOINT).port).toBe(Number(flag(compose.services.tracehub.command, 'otlp-http-port')));
    }
    const order = compose.services['order-service'].environment;
    expectReachable(order.PAYMENT_URL, profile, 'PAYMENT_URL');
    const db = new URL(order.DATABASE_URL);
    const pg = compose.services.postgres.environment;
    expectReachable(order.DATABASE_URL, profile, 'DATABASE_URL');
    expect([db.username, db.password, db.pathname.slice(1)]).toEqual([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, pg.POSTGRES_DB]);
  });

  it('publishes the seed ports on the host, the same in both profiles', () => {
    const hostPorts = (name: string) => (compose.services[name].ports as string[]).map((p) => String(p).split(':')[0]);
    expect(hostPorts('otel-collector')).toEqual(['4317', '4318']);
    expect(hostPorts('tempo')).toEqual(['3200']);
    expect(hostPorts('tracehub')).toEqual(expect.arrayContaining(['4317', '4318', '3200', '16686']));
    expect(hostPorts('grafana')).toEqual(['3000']);
    // Published container ports are ones the process listens on.
    for (const [name, profile] of [['otel-collector', 'tempo'], ['tempo', 'tempo'], ['tracehub', 'tracehub']] as const) {
      for (const p of compose.services[name].ports) expect([...listeners(profile).get(name)!]).toContain(containerPort(p));
    }
  });

  it('mounts the config files the tests read', () => {
    const mounts = (name: string) => (compose.services[name].volumes as string[]).map((v) => v.split(':')[0]);
    expect(mounts('otel-collector')).toContain('../collector/otel-collector.yaml');
    expect(mounts('tempo')).toContain('../tempo/tempo.yaml');
    expect(mounts('loki')).toContain('../loki/loki.yaml');
    expect(mounts('prometheus')).toContain('../prometheus/prometheus.yml');
    expect(mounts('grafana')).toEqual(expect.arrayContaining(['../grafana/provisioning', '../grafana/dashboards']));
    // Each config is the file its process is told to load.
    const target = (name: string, src: string) => (compose.services[name].volumes as string[]).find((v) => v.startsWith(src))!.split(':')[1];
    expect(compose.services['otel-collector'].command).toContain(`--config=${target('otel-collector', '../collector/')}`);
    expect(compose.services.tempo.command).toContain(`-config.file=${target('tempo', '../tempo/')}`);
    expect(compose.services.loki.command).toContain(`-config.file=${target('loki', '../loki/')}`);
    expect(compose.services.prometheus.command).toContain(`--config.file=${target('prometheus', '../prometheus/')}`);
    const provider = yamlFile(DASHBOARD_PROVIDERS).providers[0];
    expect(provider.options.path).toBe(target('grafana', '../grafana/dashboards'));
  });
});

describe('tracehub profile', () => {
  const th = compose.services.tracehub;
  it('binds all interfaces and answers under the names of what it replaces', () => {
    expect(flag(th.command, 'host')).toBe('0.0.0.0');
    expect(th.networks.default.aliases).toEqual(expect.arrayContaining(['otel-collector', 'tempo']));
    expect(Number(flag(th.command, 'tempo-port'))).toBe(tempo.server.http_listen_port);
    expect(Number(flag(th.command, 'otlp-grpc-port'))).toBe(listenPort(collector.receivers.otlp.protocols.grpc.endpoint));
  });
});

describe('Collector, Tempo, Prometheus', () => {
  it('the Collector sends traces to Tempo\'s OTLP gRPC port and logs to Loki', () => {
    expectReachable(collector.exporters['otlp/tempo'].endpoint, 'tempo', 'otlp/tempo exporter');
    expect(listenPort(tempo.distributor.receivers.otlp.protocols.grpc.endpoint)).toBe(hostPort(collector.exporters['otlp/tempo'].endpoint).port);
    expectReachable(collector.exporters['otlphttp/loki'].endpoint, 'tempo', 'otlphttp/loki exporter');
  });

  it('Tempo remote-writes span metrics to Prometheus, which accepts remote write', () => {
    const rw = tempo.metrics_generator.storage.remote_write as { url: string }[];
    expect(rw.length).toBeGreaterThan(0);
    for (const { url } of rw) {
      expectReachable(url, 'tempo', 'tempo remote_write');
      expect(new URL(url).pathname).toBe('/api/v1/write');
    }
    expect(compose.services.prometheus.command).toContain('--web.enable-remote-write-receiver');
    expect(tempo.overrides.defaults.metrics_generator.processors).toEqual(expect.arrayContaining(['service-graphs', 'span-metrics']));
    expect(tempo.storage.trace.backend).toBe('local');
  });

  it('Prometheus scrapes targets that exist', () => {
    for (const job of prometheus.scrape_configs) {
      for (const t of job.static_configs.flatMap((s: any) => s.targets)) {
        if (t.startsWith('127.0.0.1:')) continue; // itself
        expectReachable(t, 'tempo', `scrape ${job.job_name}`);
      }
    }
  });
});

describe('Grafana data sources', () => {
  const byUid = new Map(datasources.map((d) => [d.uid, d]));

  it('have unique uids and reachable URLs', () => {
    expect(byUid.size).toBe(datasources.length);
    for (const d of datasources) {
      const host = new URL(d.url).hostname;
      const profile = host === 'tracehub' ? 'tracehub' : 'tempo';
      expectReachable(d.url, profile, `data source ${d.name}`);
    }
    // In the tracehub profile "Tempo" is tracehub (alias), so it must be reachable there too.
    expectReachable(byUid.get('tempo').url, 'tracehub', 'Tempo data source in profile tracehub');
  });

  it('tracehub\'s Tempo API data source has streaming off', () => {
    const th = byUid.get('tracehub');
    expect(th.type).toBe('tempo');
    expect(th.jsonData.streamingEnabled).toEqual({ search: false, metrics: false });
    expect(byUid.get('tempo').jsonData.streamingEnabled).toEqual({ search: false, metrics: false });
    const jaeger = byUid.get('tracehub-jaeger');
    expect(jaeger.type).toBe('jaeger');
    expect(hostPort(jaeger.url).port).toBe(Number(flag(compose.services.tracehub.command, 'jaeger-port')));
  });

  it('Tempo has service map and trace-to-logs wired to existing data sources', () => {
    const t = byUid.get('tempo').jsonData;
    expect(byUid.get(t.serviceMap.datasourceUid)?.type).toBe('prometheus');
    expect(byUid.get(t.tracesToLogsV2.datasourceUid)?.type).toBe('loki');
    expect(byUid.get(t.tracesToMetrics.datasourceUid)?.type).toBe('prometheus');
    expect(t.tracesToLogsV2.query).toContain('${__span.traceId}'.replace('$', '$$'));
  });

  it('the RED dashboard reads existing data sources and Tempo\'s span metrics for GET /order', () => {
    const dash = JSON.parse(read('deploy/grafana/dashboards/red-order.json'));
    const exprs: string[] = [];
    for (const p of dash.panels) {
      if (p.datasource) expect(byUid.get(p.datasource.uid)?.type, `panel ${p.title}`).toBe(p.datasource.type);
      for (const t of p.targets ?? []) if (t.expr) exprs.push(t.expr);
    }
    expect(exprs.some((e) => e.includes('traces_spanmetrics_calls_total') && e.includes('span_name="GET /order"'))).toBe(true);
    expect(exprs.some((e) => e.includes('STATUS_CODE_ERROR'))).toBe(true);
    expect(exprs.some((e) => e.includes('histogram_quantile') && e.includes('traces_spanmetrics_latency_bucket'))).toBe(true);
  });
});

describe('k8s base', () => {
  const kust = yamlFile(`${K8S_BASE}/kustomization.yaml`);
  const otel = Object.fromEntries(
    (kust.configMapGenerator.find((g: any) => g.name === 'otel-env').literals as string[]).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const docs = (kust.resources as string[]).flatMap((r) => yamlDocs(`${K8S_BASE}/${r}`));
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const services = docs.filter((d) => d.kind === 'Service');

  it('points OTLP/HTTP at a Collector on the port the Collector config listens on', () => {
    expect(hostPort(otel.OTEL_EXPORTER_OTLP_ENDPOINT)).toEqual({ host: 'otel-collector', port: listenPort(collector.receivers.otlp.protocols.http.endpoint) });
    expect(otel.OTEL_EXPORTER_OTLP_PROTOCOL).toBe(compose.services['order-service'].environment.OTEL_EXPORTER_OTLP_PROTOCOL);
  });

  it.each(['order-service', 'payment-service'])('%s: ports, env, probes and security agree', (name) => {
    const dep = deployments.find((d) => d.metadata.name === name)!;
    const svc = services.find((s) => s.metadata.name === name)!;
    expect(dep && svc).toBeTruthy();
    const pod = dep.spec.template.spec;
    const c = pod.containers[0];
    const env = Object.fromEntries(c.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    const port = c.ports.find((p: any) => p.name === 'http').containerPort;
    expect(Number(env.PORT)).toBe(port);
    expect(port).toBe(Number(compose.services[name].environment.PORT));
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.OTEL_SERVICE_NAME).toBe(name);
    expect(c.envFrom).toContainEqual({ configMapRef: { name: 'otel-env' } });
    expect(svc.spec.ports[0]).toMatchObject({ port, targetPort: 'http' });
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(dep.spec.template.metadata.labels).toMatchObject(dep.spec.selector.matchLabels);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(kust.images.map((i: any) => i.name)).toContain(c.image.split(':')[0]);
  });

  it('order-service finds payment-service by its Service name and port', () => {
    const dep = deployments.find((d) => d.metadata.name === 'order-service')!;
    const paymentUrl = dep.spec.template.spec.containers[0].env.find((e: any) => e.name === 'PAYMENT_URL').value;
    const pay = services.find((s) => s.metadata.name === 'payment-service')!;
    expect(hostPort(paymentUrl)).toEqual({ host: 'payment-service', port: pay.spec.ports[0].port });
  });
});

describe('the tracehub token (profile tracehub listens beyond loopback, so it requires one)', () => {
  const env = Object.fromEntries(
    read('deploy/compose/.env')
      .split('\n')
      .filter((l) => /^\w+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

  it('.env sets one that tracehub accepts', () => {
    expect(env.TRACEHUB_TOKEN).toMatch(/^[A-Za-z0-9._~+/=-]{16,}$/);
  });

  it('tracehub reads it, every service sends it and Grafana has it', () => {
    expect(compose.services.tracehub.environment.TRACEHUB_TOKEN).toBe('${TRACEHUB_TOKEN}');
    expect(compose.services.tracehub.command).toContain('--host=0.0.0.0');
    for (const s of ['order-service', 'payment-service']) {
      expect(compose.services[s].environment.OTEL_EXPORTER_OTLP_HEADERS, s).toBe('Authorization=Bearer%20${TRACEHUB_TOKEN}');
    }
    expect(compose.services.grafana.environment.TRACEHUB_TOKEN).toBe('${TRACEHUB_TOKEN}');
  });

  it('every data source that can be tracehub sends it as a bearer header', () => {
    const tracehubSources = datasources.filter((d) => /\/\/(tracehub|tempo):/.test(d.url));
    expect(tracehubSources.map((d) => d.uid).sort()).toEqual(['tempo', 'tracehub', 'tracehub-jaeger']);
    for (const d of tracehubSources) {
      expect(d.jsonData.httpHeaderName1, d.uid).toBe('Authorization');
      expect(d.secureJsonData.httpHeaderValue1, d.uid).toBe('Bearer $TRACEHUB_TOKEN');
    }
  });
});
