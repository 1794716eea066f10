/** Model helpers shared by all codecs. */
import { type AnyValue, type Attribute, type Resource, type Scope, UNKNOWN_SERVICE } from '../model.js';

type DoubleValue = Extract<AnyValue, { type: 'double' }>['value'];

/** Non-finite doubles are spelled as strings in the model (see model.ts). */
export function doubleValue(n: number): DoubleValue {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

export function doubleNumber(v: DoubleValue): number {
  return typeof v === 'number' ? v : Number(v);
}

export function newResource(): Resource {
  return { attributes: [], droppedAttributesCount: 0, schemaUrl: '', serviceName: UNKNOWN_SERVICE };
}

export function newScope(): Scope {
  return { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
}

/** resource attribute service.name when it is a non-empty string, else 'unknown_service'. */
export function serviceNameOf(attributes: Attribute[]): string {
  for (const a of attributes) {
    if (a.key === 'service.name' && a.value.type === 'string' && a.value.value !== '') return a.value.value;
  }
  return UNKNOWN_SERVICE;
}
