/**
 * Protobuf decoding of opentelemetry.proto.common.v1 (AnyValue, KeyValue,
 * InstrumentationScope) and resource.v1.Resource into tracehub's model.
 */
import type { AnyValue, Attribute, Resource, Scope } from '../model.js';
import { OtlpDecodeError, withPath } from './errors.js';
import {
  type PbReader,
  WT_FIXED64,
  WT_LEN,
  WT_VARINT,
  checkEnd,
  expectWire,
  readBase64,
  readDouble,
  readInt64Decimal,
  readLenEnd,
  readString,
  readTag,
  readUint32,
  skipField,
} from './pb-reader.js';
import { doubleValue } from './values.js';

/**
 * Nesting limit for array/kvlist values: deep enough for any real data, far
 * from the stack limit, and within protobufjs's (and protoc's) limit of 100
 * nested messages, so everything accepted can be encoded again.
 */
export const MAX_VALUE_DEPTH = 32;

const EMPTY: AnyValue = Object.freeze({ type: 'empty' }) as AnyValue;

export function readAnyValue(r: PbReader, end: number, depth: number): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  let v: AnyValue = EMPTY;
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WT_LEN, 'stringValue');
        v = { type: 'string', value: readString(r, end) };
        break;
      case 2:
        expectWire(tag, WT_VARINT, 'boolValue');
        v = { type: 'bool', value: r.bool() };
        break;
      case 3:
        expectWire(tag, WT_VARINT, 'intValue');
        v = { type: 'int', value: readInt64Decimal(r) };
        break;
      case 4:
        expectWire(tag, WT_FIXED64, 'doubleValue');
        v = { type: 'double', value: doubleValue(readDouble(r, end)) };
        break;
      case 5: {
        expectWire(tag, WT_LEN, 'arrayValue');
        const e = readLenEnd(r, end);
        v = { type: 'array', value: readArrayValue(r, e, depth + 1) };
        break;
      }
      case 6: {
        expectWire(tag, WT_LEN, 'kvlistValue');
        const e = readLenEnd(r, end);
        v = { type: 'kvlist', value: readKeyValueList(r, e, depth + 1) };
        break;
      }
      case 7:
        expectWire(tag, WT_LEN, 'bytesValue');
        v = { type: 'bytes', value: readBase64(r, end) };
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
  return v;
}

function readArrayValue(r: PbReader, end: number, depth: number): AnyValue[] {
  const out: AnyValue[] = [];
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag >>> 3 === 1) {
      expectWire(tag, WT_LEN, 'values');
      const e = readLenEnd(r, end);
      try {
        out.push(readAnyValue(r, e, depth));
      } catch (err) {
        throw withPath(err, `arrayValue.values[${out.length}]`);
      }
    } else skipField(r, tag);
  }
  checkEnd(r, end);
  return out;
}

function readKeyValueList(r: PbReader, end: number, depth: number): Attribute[] {
  const out: Attribute[] = [];
  while (r.pos < end) {
    const tag = readTag(r);
    if (tag >>> 3 === 1) {
      expectWire(tag, WT_LEN, 'values');
      const e = readLenEnd(r, end);
      out.push(readKeyValueAt(r, e, depth, out.length, 'kvlistValue.values'));
    } else skipField(r, tag);
  }
  checkEnd(r, end);
  return out;
}

function readKeyValue(r: PbReader, end: number, depth: number): Attribute {
  let key = '';
  let value: AnyValue = EMPTY;
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WT_LEN, 'key');
        key = readString(r, end);
        break;
      case 2: {
        expectWire(tag, WT_LEN, 'value');
        const e = readLenEnd(r, end);
        try {
          value = readAnyValue(r, e, depth);
        } catch (err) {
          throw withPath(err, 'value');
        }
        break;
      }
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
  return { key, value };
}

function readKeyValueAt(r: PbReader, end: number, depth: number, index: number, field: string): Attribute {
  try {
    return readKeyValue(r, end, depth);
  } catch (err) {
    throw withPath(err, `${field}[${index}]`);
  }
}

/** One element of a `repeated KeyValue attributes` field: the caller has read the tag. */
export function readAttributeInto(r: PbReader, end: number, out: Attribute[], field = 'attributes'): void {
  const e = readLenEnd(r, end);
  out.push(readKeyValueAt(r, e, 0, out.length, field));
}

/** Fills `res` (already shared with the spans decoded so far) from a Resource message. */
export function readResourceInto(r: PbReader, end: number, res: Resource): void {
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WT_LEN, 'attributes');
        readAttributeInto(r, end, res.attributes);
        break;
      case 2:
        expectWire(tag, WT_VARINT, 'droppedAttributesCount');
        res.droppedAttributesCount = readUint32(r);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
}

export function readScopeInto(r: PbReader, end: number, scope: Scope): void {
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WT_LEN, 'name');
        scope.name = readString(r, end);
        break;
      case 2:
        expectWire(tag, WT_LEN, 'version');
        scope.version = readString(r, end);
        break;
      case 3:
        expectWire(tag, WT_LEN, 'attributes');
        readAttributeInto(r, end, scope.attributes);
        break;
      case 4:
        expectWire(tag, WT_VARINT, 'droppedAttributesCount');
        scope.droppedAttributesCount = readUint32(r);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
}
