import { describe, expect, it } from 'vitest';
import { toDiagnosis } from '../api/convertDoctor';
import { findingLabel, findingTarget, opensByDefault, otherTraceHref, type DoctorFinding } from './doctor';
import { buildSpanTree } from './spanTree';
import { span } from './testSpans';

const finding = (extra: Partial<DoctorFinding> = {}): DoctorFinding => ({
  kind: 'broken-hop',
  spanIds: ['c'],
  finding: 'f',
  cause: 'c',
  fix: 'x',
  services: ['a', 'b'],
  ...extra,
});

describe('doctor panel helpers', () => {
  const tree = buildSpanTree([span('r', null, 0, 100), span('c', 'r', 10, 20), span('d', 'r', 40, 20)]);

  it('a finding selects the first of its spans the trace holds', () => {
    expect(findingTarget(finding({ spanIds: ['gone', 'd', 'c'] }), tree)).toBe(tree.indexById.get('d'));
    expect(findingTarget(finding({ spanIds: ['gone'] }), tree)).toBe(-1);
  });

  it('the other trace link selects its span; none without another trace', () => {
    expect(otherTraceHref(finding({ otherTraceId: 'ab', otherSpanId: '12' }))).toBe('/trace/ab?span=12');
    expect(otherTraceHref(finding({ otherTraceId: 'ab' }))).toBe('/trace/ab');
    expect(otherTraceHref(finding())).toBeNull();
  });

  it('opens by itself for what breaks a trace, not for resource notes alone', () => {
    expect(opensByDefault([finding({ kind: 'unknown-sdk' }), finding({ kind: 'missing-service-name' })])).toBe(false);
    expect(opensByDefault([finding({ kind: 'unknown-sdk' }), finding({ kind: 'clock-skew' })])).toBe(true);
    expect(findingLabel('orphan-spans')).toBe('Orphan spans');
  });
});

describe('toDiagnosis', () => {
  it('keeps the fields of each finding, optional ones when present', () => {
    const d = toDiagnosis({
      traceId: 't',
      summary: 's',
      findings: [{ kind: 'broken-hop', spanIds: ['c'], finding: 'f', cause: 'c', fix: 'x', services: ['a', 'b'], hop: 'a → b: POST /pay', side: 'client', otherTraceId: 'o', otherSpanId: 'p' }],
    });
    expect(d.findings[0]).toEqual(finding({ hop: 'a → b: POST /pay', side: 'client', otherTraceId: 'o', otherSpanId: 'p' }));
  });

  it('rejects a malformed answer naming the field', () => {
    expect(() => toDiagnosis({ traceId: 't', summary: 's', findings: [{ kind: 'nope' }] })).toThrow(/doctor\.findings\[0\]\.kind/);
    expect(() => toDiagnosis({ traceId: 't', summary: 's', findings: [finding({ spanIds: [1 as unknown as string] })] })).toThrow(/spanIds/);
    expect(() => toDiagnosis({ traceId: 't', findings: [] })).toThrow(/doctor\.summary/);
  });
});
