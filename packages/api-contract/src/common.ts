/** Building blocks of the /api/v1 answers: strict objects, ns strings, OTLP values and attributes. */
import { Kind, type TObject, type TProperties, type TSchema, Type, TypeRegistry } from '@sinclair/typebox';

/** An object that allows no fields beyond the declared ones (a renamed or extra field fails validation). */
export const Obj = <P extends TProperties>(properties: P, options: { description?: string } = {}): TObject<P> =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Str = (description?: string) => Type.String(description ? { description } : {});
export const Int = (description?: string) => Type.Integer(description ? { description } : {});
export const Num = (description?: string) => Type.Number(description ? { description } : {});
/** Nanoseconds (since the epoch, or a duration) as a decimal string: exact beyond 2^53. */
export const NsString = (description = 'nanoseconds as a decimal string') => Type.String({ pattern: '^-?\\d+$', description });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A string enum as JSON Schema spells it (`{type: 'string', enum: [...]}`), checked by the kind registered below. */
export interface TStringEnum<T extends string = string> extends TSchema {
  [Kind]: 'StringEnum';
  static: T;
  type: 'string';
  enum: T[];
}
TypeRegistry.Set<TStringEnum>('StringEnum', (schema, value) => typeof value === 'string' && schema.enum.includes(value));

/** One of these strings. */
export function Enum<const V extends readonly [string, ...string[]]>(values: V, description?: string): TStringEnum<V[number]> {
  return { [Kind]: 'StringEnum', type: 'string', enum: [...values], ...(description ? { description } : {}) } as TStringEnum<V[number]>;
}

/** An OTLP AnyValue as the hub writes it: int64 as a decimal string, non-finite doubles as text. */
const nested = Type.Unknown({ description: 'an AnyValue (array items) or an Attribute (kvlist entries)' });
export const AnyValue = Type.Union(
  [
    Obj({ type: Type.Literal('string'), value: Type.String() }),
    Obj({ type: Type.Literal('bool'), value: Type.Boolean() }),
    Obj({ type: Type.Literal('int'), value: Type.String({ pattern: '^-?\\d+$', description: 'exact int64, decimal string' }) }),
    Obj({ type: Type.Literal('double'), value: Type.Union([Type.Number(), Type.Literal('NaN'), Type.Literal('Infinity'), Type.Literal('-Infinity')]) }),
    Obj({ type: Type.Literal('bytes'), value: Type.String({ description: 'base64' }) }),
    Obj({ type: Type.Literal('array'), value: Type.Array(nested) }),
    Obj({ type: Type.Literal('kvlist'), value: Type.Array(nested) }),
    Obj({ type: Type.Literal('empty') }),
  ],
  { description: 'OTLP AnyValue' },
);

export const Attribute = Obj({ key: Type.String(), value: AnyValue });

export const Resource = Obj({
  attributes: Type.Array(Attribute),
  droppedAttributesCount: Type.Integer(),
  schemaUrl: Type.String(),
});

export const Scope = Obj({
  name: Type.String(),
  version: Type.String(),
  attributes: Type.Array(Attribute),
  droppedAttributesCount: Type.Integer(),
  schemaUrl: Type.String(),
});

/** Every error answer: a code (errors.ts ErrorCodes) and a message naming what is wrong. */
export const ErrorBody = Obj({ error: Str('machine-readable code, e.g. BAD_PARAMETER, TRACE_NOT_FOUND'), message: Str('what is wrong, for people') });

export const SpanStatusCode = Enum(['unset', 'ok', 'error'] as const);
export const SpanKindName = Enum(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const);
