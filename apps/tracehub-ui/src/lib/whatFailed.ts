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
  const { spans, parent } = tree;
  const n = spans.length;
  // Children come after their parent in tree order, so one backwards pass
  // tells every span whether an ERROR span sits below it.
  const errorBelow = new Uint8Array(n);
  let best = -1;
  let errorCount = 0;
  for (let i = n - 1; i >= 0; i--) {
    const isError = spans[i]!.status.code === 'error';
    if (isError) {
      errorCount++;
      if (!errorBelow[i] && (best < 0 || spans[i]!.startUs <= spans[best]!.startUs)) best = i;
    }
    const p = parent[i]!;
    if (p >= 0 && (isError || errorBelow[i])) errorBelow[p] = 1;
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
