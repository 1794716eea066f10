// GET /api/v1/traces/{id}/doctor → the doctor panel's types, checked field by
// field like the other answers (a malformed answer is a WireFormatError).
import { FINDING_KINDS, type Diagnosis, type DoctorFinding, type FindingKind } from '../lib/doctor';
import { WireFormatError } from './convert';

type Obj = Record<string, unknown>;

function asObj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WireFormatError(path, 'an object');
  return v as Obj;
}

function text(o: Obj, k: string, path: string): string {
  if (typeof o[k] !== 'string') throw new WireFormatError(`${path}.${k}`, 'a string');
  return o[k] as string;
}

function texts(o: Obj, k: string, path: string): string[] {
  const v = o[k];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new WireFormatError(`${path}.${k}`, 'an array of strings');
  return v as string[];
}

/** The optional string fields, copied when present (and checked). */
const OPTIONAL = ['hop', 'otherTraceId', 'otherSpanId', 'missingParentSpanId', 'offsetNs'] as const;

function toFinding(v: unknown, path: string): DoctorFinding {
  const o = asObj(v, path);
  const kind = text(o, 'kind', path);
  if (!(FINDING_KINDS as readonly string[]).includes(kind)) throw new WireFormatError(`${path}.kind`, `one of ${FINDING_KINDS.join(', ')}`);
  const f: DoctorFinding = {
    kind: kind as FindingKind,
    spanIds: texts(o, 'spanIds', path),
    finding: text(o, 'finding', path),
    cause: text(o, 'cause', path),
    fix: text(o, 'fix', path),
    services: texts(o, 'services', path),
  };
  for (const k of OPTIONAL) if (o[k] !== undefined) f[k] = text(o, k, path);
  if (o.side === 'client' || o.side === 'server') f.side = o.side;
  if (typeof o.spanCount === 'number') f.spanCount = o.spanCount;
  return f;
}

export function toDiagnosis(v: unknown): Diagnosis {
  const o = asObj(v, 'doctor');
  if (!Array.isArray(o.findings)) throw new WireFormatError('doctor.findings', 'an array');
  return {
    traceId: text(o, 'traceId', 'doctor'),
    summary: text(o, 'summary', 'doctor'),
    findings: o.findings.map((f, i) => toFinding(f, `doctor.findings[${i}]`)),
  };
}
