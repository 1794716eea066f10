/** Options of the bootstrap. Every option has an OTEL_* or TRACELAB_* environment equivalent. */
export interface TelemetryOptions {
  /**
   * service.name of the resource.
   * @default OTEL_SERVICE_NAME, else the nearest package.json name without its scope
   */
  serviceName?: string;
  /**
   * service.version of the resource.
   * @default the nearest package.json version
   */
  serviceVersion?: string;
  /**
   * deployment.environment.name of the resource.
   * @default TRACELAB_ENVIRONMENT, else "local"
   */
  environment?: string;
  /**
   * URL paths whose incoming requests create no spans (probes and scrapes would drown the demo traces).
   * @default ["/health", "/ready", "/metrics", "/stats", "/admin/faults"]
   */
  ignorePaths?: string[];
}

/** What a stopped bootstrap reports back. */
export interface ShutdownResult {
  /** true when every pending span and log was handed to the exporter before the deadline. */
  flushed: boolean;
}
