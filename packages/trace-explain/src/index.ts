export { explain, explainTree, SLOW_QUERY_SHARE } from './explain.js';
export { renderSummary, formatMs, spanLabel, type Finding, type SpanRef } from './sentence.js';
export { buildSpanTree, ancestorsOf, type SpanTree } from './tree.js';
export { criticalPath, sectionsBySpan, selfTime, selfTimeOnPath, type CriticalSection } from './critical-path.js';
export { errorInfo, type ErrorInfo } from './signals.js';
export { N_PLUS_ONE_MIN, queryShape } from './db-patterns.js';
export type { CauseKind, ChainRole, ExplainAttribute, ExplainSpan, Explanation, TreeSpan } from './types.js';
