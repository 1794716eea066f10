export { UnitsError, type UnitsErrorReason } from './errors.js';
export {
  GO_DURATION,
  GO_UNITS,
  MAX_DURATION_NS,
  NS_PER_UNIT,
  nsToMs,
  nsToSeconds,
  parseDuration,
  parseGoDuration,
  parsePromDuration,
  PROMETHEUS_DURATION,
  PROMETHEUS_UNITS,
  TRACEQL_DURATION,
  TRACEQL_UNITS,
  tryParseDuration,
  type DurationOptions,
  type DurationUnit,
} from './duration.js';
export { BYTES_PER_UNIT, parseSize, tryParseSize } from './size.js';
