// POST /api/v1/import's answer → the search page's import result, checked like convert.ts does.
import { WireFormatError } from './convert';

export interface ImportResult {
  traces: string[];
  spans: number;
  rejected: number;
  /** Why spans were rejected, when some were. */
  message: string;
}

export function toImportResult(v: unknown): ImportResult {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WireFormatError('import answer', 'an object');
  const o = v as Record<string, unknown>;
  if (!Array.isArray(o.traces) || !o.traces.every((t) => typeof t === 'string')) throw new WireFormatError('import answer.traces', 'an array of strings');
  for (const k of ['spans', 'rejected'] as const) {
    if (typeof o[k] !== 'number' || !Number.isInteger(o[k])) throw new WireFormatError(`import answer.${k}`, 'an integer');
  }
  return { traces: o.traces as string[], spans: o.spans as number, rejected: o.rejected as number, message: typeof o.message === 'string' ? o.message : '' };
}
