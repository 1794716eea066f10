// GET /api/v1/traces/{id}/links → IncomingLink[], checked like convert.ts does for the other answers.
import type { IncomingLink } from '../lib/types';
import { toAttributes, WireFormatError } from './convert';

type Obj = Record<string, unknown>;

export function toIncomingLinks(v: unknown): IncomingLink[] {
  if (typeof v !== 'object' || v === null || !Array.isArray((v as Obj).incoming)) throw new WireFormatError('response.incoming', 'an array');
  return ((v as Obj).incoming as unknown[]).map((raw, i) => {
    const p = `incoming[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new WireFormatError(p, 'an object');
    const o = raw as Obj;
    const s = (k: string) => {
      if (typeof o[k] !== 'string') throw new WireFormatError(`${p}.${k}`, 'a string');
      return o[k] as string;
    };
    return {
      traceId: s('traceId'),
      spanId: s('spanId'),
      service: s('service'),
      name: s('name'),
      linkedSpanId: s('linkedSpanId'),
      attributes: toAttributes(o.attributes, `${p}.attributes`),
    };
  });
}
