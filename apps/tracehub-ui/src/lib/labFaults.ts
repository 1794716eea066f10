import type { SpanData } from './types';

/** The attribute tracelab's services put on every span made while a lab fault switch is on (packages/lab-faults/README.md). */
export const LAB_FAULTS_KEY = 'lab.faults';

/**
 * The lab fault settings a trace was made under: the distinct `lab.faults`
 * values of its spans, in span order. Usually one; several when a switch
 * changed while the request was in flight. Empty for a clean trace.
 */
export function labFaultsOf(spans: SpanData[]): string[] {
  const seen: string[] = [];
  for (const s of spans) {
    const a = s.attributes.find((x) => x.key === LAB_FAULTS_KEY);
    if (!a || a.value.type !== 'string' || a.value.value === '') continue;
    if (!seen.includes(a.value.value)) seen.push(a.value.value);
  }
  return seen;
}
