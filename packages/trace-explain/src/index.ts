export { explain, explainTree } from './explain.js';
export { renderSummary, formatMs, type Finding, type SpanRef } from './sentence.js';
export { buildSpanTree, ancestorsOf, type SpanTree } from './tree.js';
export { criticalPath, criticalPathColumns, sectionsBySpan, selfStretches, selfTime, selfTimeOnPath, type CriticalColumns, type CriticalSection } from './critical-path.js';
export { CAUSE_KINDS, CHAIN_ROLES, type CauseKind, type ChainRole, type ExplainSpan, type Explanation } from './types.js';
export { isDbSpan, queryShape, queryText, statementShape } from './db-patterns.js';
export { findQuery, formatValue, spanMatches, type FindSpan, type FindValue } from './find.js';
