export { SpanNames, Attributes, PaymentOutcomes, EventNames } from './names.js';
export type { SpanName, AttributeName } from './names.js';
export { withSpan, recordFailure, errorType } from './span.js';
export { formatTraceResponse, traceUrl } from './trace-response.js';
export { serverSpanOf } from './server-span.js';
export { shutdownTelemetry } from './handle.js';
export { envDefaults, sdkDisabled } from './env-defaults.js';
export type { TelemetryOptions, ShutdownResult } from './types.js';
export {
  activeFaults,
  describeFaults,
  FAULT_LIMITS,
  FAULT_NAMES,
  getFaults,
  handleFaultsRequest,
  isLoopback,
  LAB_FAULTS_ATTRIBUTE,
  NO_FAULTS,
  parseFaults,
  patchFaults,
  setFaults,
  type FaultName,
  type LabFaults,
} from './faults.js';
export { LabFaultsSpanProcessor } from './faults-processor.js';
