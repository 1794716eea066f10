// The critical path is shared with tracehub's explain engine (@tracelab/trace-explain).
export { criticalPath, sectionsBySpan, selfTimeOnPath, type CriticalSection } from '@tracelab/trace-explain';
