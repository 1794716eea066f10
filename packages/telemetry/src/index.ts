export { SpanNames, Attributes, PaymentOutcomes, EventNames } from './names.js';
export type { SpanName, AttributeName } from './names.js';
export { withSpan, recordFailure, errorType } from './span.js';
export { formatTraceResponse, traceUrl } from './trace-response.js';
export { serverSpanOf } from './server-span.js';
export { shutdownTelemetry } from './handle.js';
export { envDefaults, sdkDisabled } from './env-defaults.js';
export type { TelemetryOptions, ShutdownResult } from './types.js';
