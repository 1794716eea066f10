// The propagation doctor's answer (GET /api/v1/traces/{id}/doctor) as the
// trace page shows it, and the pure helpers of its panel.
import type * as wire from '@tracelab/api-contract';
import type { SpanTree } from './spanTree';

/** The finding kinds, checked against the wire contract's list by the compiler (the list itself stays here: no TypeBox in the bundle). */
export const FINDING_KINDS = ['broken-hop', 'orphan-spans', 'clock-skew', 'missing-service-name', 'unknown-sdk'] as const satisfies readonly wire.Finding['kind'][];
export type FindingKind = wire.Finding['kind'];
export type DoctorFinding = wire.Finding;
export type Diagnosis = wire.Diagnosis;

const LABELS: Record<FindingKind, string> = {
  'broken-hop': 'Broken hop',
  'orphan-spans': 'Orphan spans',
  'clock-skew': 'Clock skew',
  'missing-service-name': 'No service.name',
  'unknown-sdk': 'Unknown SDK',
};

export function findingLabel(kind: FindingKind): string {
  return LABELS[kind];
}

/** The row index of the first of the finding's spans that the trace holds, or -1. */
export function findingTarget(f: DoctorFinding, tree: SpanTree): number {
  for (const id of f.spanIds) {
    const i = tree.indexById.get(id);
    if (i !== undefined) return i;
  }
  return -1;
}

/** Link to the other end of a broken hop: its trace, with its span selected when known. */
export function otherTraceHref(f: DoctorFinding): string | null {
  if (!f.otherTraceId) return null;
  return `/trace/${encodeURIComponent(f.otherTraceId)}${f.otherSpanId ? `?span=${encodeURIComponent(f.otherSpanId)}` : ''}`;
}

/** Whether the panel opens by itself: something broke the trace (not only resource notes). */
export function opensByDefault(findings: readonly DoctorFinding[]): boolean {
  return findings.some((f) => f.kind === 'broken-hop' || f.kind === 'orphan-spans' || f.kind === 'clock-skew');
}
