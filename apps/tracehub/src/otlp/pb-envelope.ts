/**
 * The envelope every OTLP signal shares on the wire:
 * Export*ServiceRequest { repeated Resource* = 1 } →
 * Resource* { resource = 1; repeated Scope* = 2; schema_url = 3 } →
 * Scope* { scope = 1; repeated <record> = 2; schema_url = 3 }.
 * One walker for traces and logs; each signal supplies its record reader.
 */
import type { Resource, Scope } from '../model.js';
import { Rejections, toDecodeError, withPath } from './errors.js';
import { readResourceInto, readScopeInto } from './pb-common.js';
import { type PbReader, WT_LEN, checkEnd, createReader, expectWire, readLenEnd, readString, readTag, skipField } from './pb-reader.js';
import { newResource, newScope, serviceNameOf } from './values.js';

export interface Signal<T> {
  /** Field names as OTLP/JSON spells them, for error paths: resourceSpans, scopeSpans, spans. */
  resourceField: string;
  scopeField: string;
  recordField: string;
  readRecord(r: PbReader, end: number, resource: Resource, scope: Scope): T;
  /** Why a decoded record is invalid on its own (then it is dropped and counted), or null. */
  problem(record: T): string | null;
}

export function decodeEnvelope<T>(body: Uint8Array, signal: Signal<T>): { records: T[]; rejected: number; rejectReasons: string[] } {
  const records: T[] = [];
  const rejections = new Rejections();
  const r = createReader(body);
  try {
    let ri = 0;
    while (r.pos < r.len) {
      const tag = readTag(r);
      if (tag >>> 3 === 1) {
        expectWire(tag, WT_LEN, signal.resourceField);
        const e = readLenEnd(r, r.len);
        try {
          readResourceGroup(r, e, signal, records, rejections, ri);
        } catch (err) {
          throw withPath(err, `${signal.resourceField}[${ri}]`);
        }
        ri++;
      } else skipField(r, tag);
    }
    checkEnd(r, r.len);
  } catch (err) {
    throw toDecodeError(err);
  }
  return { records, rejected: rejections.count, rejectReasons: rejections.reasons };
}

function readResourceGroup<T>(r: PbReader, end: number, signal: Signal<T>, out: T[], rej: Rejections, ri: number): void {
  // Created up front and filled as fields arrive: schema_url (field 3) usually
  // follows the records that already point at this object.
  const resource = newResource();
  let si = 0;
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1: {
        expectWire(tag, WT_LEN, 'resource');
        const e = readLenEnd(r, end);
        try {
          readResourceInto(r, e, resource);
        } catch (err) {
          throw withPath(err, 'resource');
        }
        break;
      }
      case 2: {
        expectWire(tag, WT_LEN, signal.scopeField);
        const e = readLenEnd(r, end);
        try {
          readScopeGroup(r, e, signal, resource, out, rej, `${signal.resourceField}[${ri}].${signal.scopeField}[${si}]`);
        } catch (err) {
          throw withPath(err, `${signal.scopeField}[${si}]`);
        }
        si++;
        break;
      }
      case 3:
        expectWire(tag, WT_LEN, 'schemaUrl');
        resource.schemaUrl = readString(r, end);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
  resource.serviceName = serviceNameOf(resource.attributes);
}

function readScopeGroup<T>(
  r: PbReader,
  end: number,
  signal: Signal<T>,
  resource: Resource,
  out: T[],
  rej: Rejections,
  path: string,
): void {
  const scope = newScope();
  let i = 0;
  while (r.pos < end) {
    const tag = readTag(r);
    switch (tag >>> 3) {
      case 1: {
        expectWire(tag, WT_LEN, 'scope');
        const e = readLenEnd(r, end);
        try {
          readScopeInto(r, e, scope);
        } catch (err) {
          throw withPath(err, 'scope');
        }
        break;
      }
      case 2: {
        expectWire(tag, WT_LEN, signal.recordField);
        const e = readLenEnd(r, end);
        let record: T;
        try {
          record = signal.readRecord(r, e, resource, scope);
        } catch (err) {
          throw withPath(err, `${signal.recordField}[${i}]`);
        }
        const problem = signal.problem(record);
        if (problem === null) out.push(record);
        else rej.add(`${path}.${signal.recordField}[${i}]: ${problem}`);
        i++;
        break;
      }
      case 3:
        expectWire(tag, WT_LEN, 'schemaUrl');
        scope.schemaUrl = readString(r, end);
        break;
      default:
        skipField(r, tag);
    }
  }
  checkEnd(r, end);
}
