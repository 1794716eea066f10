export { parseSpecs, SpecError } from './spec.js';
export { evaluate, checkRule, checkResponse, checkTrace, type Answer } from './evaluate.js';
export { toJUnitXml, type SuiteResult } from './junit.js';
export { formatSuite, formatTotals } from './report.js';
export { runSpec, readTrace, type RunOptions } from './run.js';
export { traceIdFrom } from './trace-id.js';
export { loadSpecFiles } from './files.js';
export type { Spec, SpanRule, TraceSpan, AssertionResult } from './types.js';
