// The critical path and self time are shared with tracehub's explain engine (@tracelab/trace-explain).
export { criticalPath, sectionsBySpan, selfStretches, selfTime, selfTimeOnPath, type CriticalSection } from '@tracelab/trace-explain';
