import type { SpanTree } from './spanTree';
import type { SpanData } from './types';

export interface Failure {
  index: number;
  /** The exception message, else the status message, else ''. */
  message: string;
  exceptionType: string;
  errorCount: number;
}

/**
 * What failed in a trace: the earliest ERROR span that has no ERROR span
 * below it. Parents usually fail because a child did, so the deepest error
 * is the cause a reader wants first.
 */
export function whatFailed(tree: SpanTree): Failure | null {
  const { spans, subtreeEnd } = tree;
  let best = -1;
  let errorCount = 0;
  for (let i = 0; i < spans.length; i++) {
    if (spans[i]!.status.code !== 'error') continue;
    errorCount++;
    let errorBelow = false;
    for (let j = i + 1; j < subtreeEnd[i]!; j++) {
      if (spans[j]!.status.code === 'error') {
        errorBelow = true;
        break;
      }
    }
    if (errorBelow) continue;
    if (best < 0 || spans[i]!.startUs < spans[best]!.startUs) best = i;
  }
  if (best < 0) return null;
  const { message, type } = errorMessage(spans[best]!);
  return { index: best, message, exceptionType: type, errorCount };
}

/** The `exception` event's message and type, falling back to the status message. */
export function errorMessage(span: SpanData): { message: string; type: string } {
  for (const e of span.events) {
    if (e.name !== 'exception') continue;
    let message = '';
    let type = '';
    for (const a of e.attributes) {
      if (a.key === 'exception.message' && a.value.type === 'string') message = a.value.value;
      if (a.key === 'exception.type' && a.value.type === 'string') type = a.value.value;
    }
    if (message || type) return { message: message || span.status.message, type };
  }
  return { message: span.status.message, type: '' };
}
