export { parseLoadArgs, type LoadOptions } from './args.js';
export { parseMix, makeMixSequence, type MixEntry } from './mix.js';
export { runLoad, type LoadHooks, type LoadResult } from './load.js';
export { buildReport, type LoadReport } from './report.js';
export { finalTable, formatCounts, formatMs, percentile, progressLine, summarize, type Outcome, type Summary } from './stats.js';
export { LOAD_SCENARIOS } from './scenarios.js';
