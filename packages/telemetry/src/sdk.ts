import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { nameDbSpan } from './db-query.js';
import { serviceNameFromPackage } from './env-defaults.js';
import { exportingSpanProcessors } from './exporting.js';
import { HttpServerSpans } from './http-server-span.js';
import { INSTRUMENTATIONS, SERVER_SPAN_SOURCES, selectInstrumentations, serverSpanSource } from './instrumentation-selection.js';
import { addedSpanProcessors } from './span-processors.js';
import type { TelemetryOptions } from './types.js';

// Incubating semantic convention, spelled out rather than imported from the unstable entry point.
const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
const DEFAULT_IGNORE_PATHS = ['/health', '/ready', '/metrics', '/stats', '/admin/faults'];

/** The nearest package.json above the started script: it names the service when OTEL_SERVICE_NAME is unset. */
function mainPackage(): { name?: string; version?: string } {
  let dir = process.argv[1] ? dirname(process.argv[1]) : process.cwd();
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      } catch {
        return {};
      }
    }
    const up = dirname(dir);
    if (up === dir) return {};
    dir = up;
  }
}

function pathOf(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

/** Builds the NodeSDK; exporters, sampler and propagators come from the OTEL_* environment. */
export function createSdk(options: TelemetryOptions = {}): NodeSDK {
  const pkg = mainPackage();
  const ignore = new Set(options.ignorePaths ?? DEFAULT_IGNORE_PATHS);
  const serviceName = options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? serviceNameFromPackage(pkg.name) ?? 'unknown_service:node';
  const attributes: Record<string, string> = {
    [ATTR_SERVICE_NAME]: serviceName,
    [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: options.environment ?? process.env.TRACELAB_ENVIRONMENT ?? 'local',
  };
  const version = options.serviceVersion ?? pkg.version;
  if (version) attributes[ATTR_SERVICE_VERSION] = version;

  const fromEnv = exportingSpanProcessors(process.env);
  return new NodeSDK({
    serviceName,
    // Empty when OTEL_TRACES_EXPORTER=none: then NodeSDK sets up no tracing at all, as before.
    spanProcessors: fromEnv.length > 0 ? [addedSpanProcessors(), ...fromEnv] : undefined,
    // Detected attributes (OTEL_RESOURCE_ATTRIBUTES, host, process) are merged over these. A resource
    // given to NodeSDK replaces its default one, so the SDK's telemetry.sdk.* attributes are merged in here.
    resource: defaultResource().merge(resourceFromAttributes(attributes)),
    // Only what the services use; INSTRUMENTED_MODULES (register.ts's ESM hook) lists the modules they patch.
    instrumentations: instrumentations(ignore),
  });
}

/**
 * The instrumentations, each created only when selected (an instrumentation patches its module as soon
 * as it is constructed): OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS.
 */
function instrumentations(ignore: Set<string>): Instrumentation[] {
  const { enabled, unknown } = selectInstrumentations(process.env);
  if (unknown.length > 0) diag.warn(`Unknown instrumentation names ignored: ${unknown.join(', ')} (known: ${INSTRUMENTATIONS.join(', ')}).`);
  const server = serverSpanSource(process.env);
  if (server.unknown) diag.warn(`Unknown TRACELAB_HTTP_SERVER_SPAN=${server.unknown} ignored (known: ${SERVER_SPAN_SOURCES.join(', ')}); using lean.`);
  const all: Record<(typeof INSTRUMENTATIONS)[number], () => Instrumentation> = {
    // The SERVER span of each request (named after its route by traceRoutes): by default the bootstrap's
    // own (http-server-span.ts), the same span for less CPU per request; or instrumentation-http's. The
    // services make no outgoing calls with the http module (fetch is undici), so outgoing http is not patched.
    http: () =>
      server.source === 'lean'
        ? new HttpServerSpans({ ignorePaths: ignore })
        : new HttpInstrumentation({
            disableOutgoingRequestInstrumentation: true,
            ignoreIncomingRequestHook: (req) => ignore.has(pathOf(req.url)),
          }),
    // fetch (payment-service calls), with traceparent injection.
    undici: () => new UndiciInstrumentation(),
    pg: () =>
      new PgInstrumentation({
        // Pool checkouts and connects would appear or not depending on pool state; queries are what matter.
        ignoreConnectSpans: true,
        // Start-up migrations run outside any request; keep them out of the trace store.
        requireParentSpan: true,
        // Stable database conventions: `UPDATE products`, db.operation.name, db.collection.name, db.query.summary.
        requestHook: (span, info) => nameDbSpan(span, info.query),
      }),
    // trace_id/span_id on log lines, and the lines as OTLP log records.
    pino: () => new PinoInstrumentation(),
  };
  return INSTRUMENTATIONS.filter((n) => enabled.has(n)).map((n) => all[n]());
}
