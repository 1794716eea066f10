/**
 * Defaults for the standard OTEL_* variables, so a service started with no
 * configuration at all exports to a local tracehub. Pure: reads the given env,
 * returns only the variables to add (never overrides what the user set).
 */
export function envDefaults(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (key: string, value: string) => {
    if (env[key] === undefined || env[key] === '') out[key] = value;
  };
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  // 127.0.0.1 rather than the SDK's "localhost": Node may resolve localhost to ::1, where tracehub does not listen.
  set('OTEL_EXPORTER_OTLP_ENDPOINT', protocol === 'grpc' ? 'http://127.0.0.1:4317' : 'http://127.0.0.1:4318');
  set('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf');
  // New HTTP and database attribute names (http.request.method, db.system.name, ...).
  set('OTEL_SEMCONV_STABILITY_OPT_IN', 'http,database');
  // tracehub stores traces and logs; metrics go to /metrics (Prometheus), not OTLP.
  set('OTEL_METRICS_EXPORTER', 'none');
  set('OTEL_PROPAGATORS', 'tracecontext,baggage');
  // Room for a few seconds of spans at several hundred requests per second while one export is in
  // flight (the SDK's 2048 drops spans under load); bounded, so a dead backend cannot grow memory.
  set('OTEL_BSP_MAX_QUEUE_SIZE', '8192');
  // Only the detectors whose attributes mean something here (no cloud probes at start-up).
  set('OTEL_NODE_RESOURCE_DETECTORS', 'env,host,os,process');
  return out;
}

/** service.name from a package name: "@tracelab/order-service" → "order-service". */
export function serviceNameFromPackage(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const slash = name.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

/** Whether OTEL_SDK_DISABLED asks for no SDK at all (the spec's boolean parsing: only "true", any case). */
export function sdkDisabled(env: Record<string, string | undefined>): boolean {
  return (env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true';
}
