/**
 * Typed field readers for OTLP/JSON (proto3 JSON mapping plus the OTLP
 * deviations: hex ids, integer enums). Input is what JSON.parse or
 * lossless-json produced; numbers may be JS numbers or LosslessNumbers.
 *
 * Every reader treats `undefined` and `null` as the field's default (proto3
 * JSON) and throws OtlpDecodeError(reason, field) for a wrong type.
 */
import { isLosslessNumber } from 'lossless-json';
import type { AnyValue, Attribute, Resource, Scope } from '../model.js';
import { NeedLossless, OtlpDecodeError, withPath } from './errors.js';
import { normalizeHexId } from './ids.js';
import { INT64_MAX, INT64_MIN, UINT64_MAX, parseIntegerText } from './int64.js';
import { MAX_VALUE_DEPTH } from './pb-common.js';
import { doubleValue, newResource, newScope, serviceNameOf } from './values.js';

export type Json = unknown;
export type JsonObject = Record<string, unknown>;


/** Field lookup that also accepts the proto field name (proto3 JSON parsers must). */
export function field(o: JsonObject, camel: string, snake?: string): unknown {
  const v = o[camel];
  return v !== undefined || snake === undefined ? v : o[snake];
}

export function asObject(v: Json, name: string): JsonObject | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v) || isLosslessNumber(v)) throw new OtlpDecodeError('not an object', name);
  return v as JsonObject;
}

export function asArray(v: Json, name: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError('not an array', name);
  return v;
}

export function asString(v: Json, name: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpDecodeError('not a string', name);
  return v;
}

export function asBool(v: Json, name: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new OtlpDecodeError('not a boolean', name);
  return v;
}

/** Integer text of a JSON number or numeric string; null for other types. */
function integerOf(v: Json, name: string): bigint | null {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new OtlpDecodeError('not an integer', name);
    // Only JSON.parse yields JS numbers, and it rounds above 2^53: re-parse losslessly.
    if (!Number.isSafeInteger(v)) throw NeedLossless.instance;
    return BigInt(v);
  }
  if (typeof v === 'string' || isLosslessNumber(v)) {
    const text = typeof v === 'string' ? v : v.value;
    const n = parseIntegerText(text);
    if (n === null) throw new OtlpDecodeError('not an integer', name);
    return n;
  }
  return null;
}

function integer(v: Json, name: string, min: bigint, max: bigint, what: string): bigint {
  if (v === undefined || v === null) return 0n;
  const n = integerOf(v, name);
  if (n === null) throw new OtlpDecodeError('not an integer', name);
  if (n < min || n > max) throw new OtlpDecodeError(`out of range for ${what}`, name);
  return n;
}

export function asUint64(v: Json, name: string): bigint {
  return integer(v, name, 0n, UINT64_MAX, 'an unsigned 64-bit integer');
}

export function asInt64Decimal(v: Json, name: string): string {
  return integer(v, name, INT64_MIN, INT64_MAX, 'a 64-bit integer').toString();
}

export function asUint32(v: Json, name: string): number {
  return Number(integer(v, name, 0n, 0xffffffffn, 'an unsigned 32-bit integer'));
}

/** Enums: integers per OTLP/JSON, names accepted too (proto3 JSON). */
export function asEnum(v: Json, name: string, names: Record<string, number>): number {
  if (typeof v === 'string' && !/^[-+\d]/.test(v)) {
    const n = names[v];
    if (n === undefined) throw new OtlpDecodeError(`unknown enum value ${JSON.stringify(v)}`, name);
    return n;
  }
  return Number(integer(v, name, -0x80000000n, 0x7fffffffn, 'an enum'));
}

export function asDouble(v: Json, name: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (isLosslessNumber(v)) return Number(v.value);
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new OtlpDecodeError('not a number', name);
}

export function asHexId(v: Json, name: string): string {
  const s = asString(v, name);
  if (s === '') return '';
  const hex = normalizeHexId(s);
  if (hex === null) throw new OtlpDecodeError('not a hex-encoded id', name);
  return hex;
}

const BASE64_RE = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** bytes: standard or URL-safe base64 accepted; stored as standard padded base64. */
export function asBase64(v: Json, name: string): string {
  const s = asString(v, name);
  if (!BASE64_RE.test(s) || s.replace(/=+$/, '').length % 4 === 1) throw new OtlpDecodeError('not base64', name);
  return Buffer.from(s, 'base64').toString('base64');
}

export function readAnyValue(v: Json, name: string, depth: number): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`, name);
  const o = asObject(v, name);
  if (o === null) return { type: 'empty' };
  try {
    let x: unknown;
    if ((x = field(o, 'stringValue', 'string_value')) != null) return { type: 'string', value: asString(x, 'stringValue') };
    if ((x = field(o, 'intValue', 'int_value')) != null) return { type: 'int', value: asInt64Decimal(x, 'intValue') };
    if ((x = field(o, 'boolValue', 'bool_value')) != null) return { type: 'bool', value: asBool(x, 'boolValue') };
    if ((x = field(o, 'doubleValue', 'double_value')) != null) {
      return { type: 'double', value: doubleValue(asDouble(x, 'doubleValue')) };
    }
    if ((x = field(o, 'arrayValue', 'array_value')) != null) {
      const arr = asObject(x, 'arrayValue');
      const values = asArray(arr && arr.values, 'arrayValue.values');
      const out: AnyValue[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = readAnyValue(values[i], `arrayValue.values[${i}]`, depth + 1);
      return { type: 'array', value: out };
    }
    if ((x = field(o, 'kvlistValue', 'kvlist_value')) != null) {
      const kv = asObject(x, 'kvlistValue');
      return { type: 'kvlist', value: readKeyValues(kv && kv.values, 'kvlistValue.values', depth + 1) };
    }
    if ((x = field(o, 'bytesValue', 'bytes_value')) != null) return { type: 'bytes', value: asBase64(x, 'bytesValue') };
  } catch (err) {
    throw withPath(err, name);
  }
  return { type: 'empty' };
}

export function readKeyValues(v: Json, name: string, depth = 0): Attribute[] {
  const list = asArray(v, name);
  const out: Attribute[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const o = asObject(list[i], `${name}[${i}]`);
    if (o === null) throw new OtlpDecodeError('not an object', `${name}[${i}]`);
    try {
      out[i] = { key: asString(o.key, 'key'), value: readAnyValue(o.value, 'value', depth) };
    } catch (err) {
      throw withPath(err, `${name}[${i}]`);
    }
  }
  return out;
}

/** Resource object of a ResourceSpans/ResourceLogs (schemaUrl lives on the parent). */
export function readResource(v: Json, schemaUrl: string): Resource {
  const res = newResource();
  const o = asObject(v, 'resource');
  if (o !== null) {
    try {
      res.attributes = readKeyValues(o.attributes, 'attributes');
      res.droppedAttributesCount = asUint32(field(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount');
    } catch (err) {
      throw withPath(err, 'resource');
    }
  }
  res.schemaUrl = schemaUrl;
  res.serviceName = serviceNameOf(res.attributes);
  return res;
}

export function readScope(v: Json, schemaUrl: string): Scope {
  const scope = newScope();
  const o = asObject(v, 'scope');
  if (o !== null) {
    try {
      scope.name = asString(o.name, 'name');
      scope.version = asString(o.version, 'version');
      scope.attributes = readKeyValues(o.attributes, 'attributes');
      scope.droppedAttributesCount = asUint32(field(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount');
    } catch (err) {
      throw withPath(err, 'scope');
    }
  }
  scope.schemaUrl = schemaUrl;
  return scope;
}

