/**
 * Low-level protobuf reading on top of protobufjs's Reader: bounds checked
 * against the enclosing message (not just the whole buffer), strings and ids
 * sliced straight out of the Node Buffer, 64-bit fields read without Long
 * objects. The message decoders in pb-*.ts use these and build tracehub's model
 * in one pass (no intermediate protobufjs objects).
 */
import protobuf from 'protobufjs/minimal.js';
import { OtlpDecodeError } from './errors.js';
import { int64ToDecimal } from './int64.js';

type NodeBuffer = Buffer & {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
};

/** A protobufjs Reader over a Node Buffer (BufferReader). */
export interface PbReader {
  buf: NodeBuffer;
  pos: number;
  len: number;
  uint32(): number;
  int64(): { low: number; high: number };
  bool(): boolean;
  skipType(wireType: number): unknown;
}

export const WT_VARINT = 0;
export const WT_FIXED64 = 1;
export const WT_LEN = 2;
export const WT_FIXED32 = 5;

const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', '6', '7'];

export function createReader(body: Uint8Array): PbReader {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return protobuf.Reader.create(buf) as unknown as PbReader;
}

/** Reads a tag; rejects field number 0, which no valid message contains. */
export function readTag(r: PbReader): number {
  const tag = r.uint32();
  if (tag >>> 3 === 0) throw new OtlpDecodeError(`invalid protobuf: field number 0 at offset ${r.pos - 1}`);
  return tag;
}

export function expectWire(tag: number, expected: number, field: string): void {
  if ((tag & 7) !== expected) {
    throw new OtlpDecodeError(`wrong protobuf wire type ${WIRE_NAMES[tag & 7]}, expected ${WIRE_NAMES[expected]}`, field);
  }
}

export function skipField(r: PbReader, tag: number): void {
  r.skipType(tag & 7);
}

/** Reads a length prefix and returns the end offset of the sub-message or string. */
export function readLenEnd(r: PbReader, end: number): number {
  const len = r.uint32();
  const e = r.pos + len;
  if (e > end) throw new OtlpDecodeError(`truncated protobuf: length ${len} at offset ${r.pos} runs past the end of its message`);
  return e;
}

/** After a message loop: the last field must end exactly at the message end. */
export function checkEnd(r: PbReader, end: number): void {
  if (r.pos !== end) throw new OtlpDecodeError(`truncated protobuf: field runs past the end of its message at offset ${end}`);
}

export function readString(r: PbReader, end: number): string {
  const e = readLenEnd(r, end);
  const start = r.pos;
  r.pos = e;
  const len = e - start;
  if (len === 0) return '';
  if (len > CACHE_MAX_LEN) return r.buf.utf8Slice(start, e);
  return cachedAscii(r.buf, start, e);
}

/*
 * Attribute keys and most attribute values repeat from span to span
 * (`http.request.method`, `GET`, `postgresql`, a query text, ...), and a native
 * utf8Slice call per short string dominated the decode profile. Strings up to
 * CACHE_MAX_LEN bytes go through a direct-mapped cache keyed by a hash of their
 * length and first and last bytes, and verified byte by byte, so a hit
 * allocates nothing. Only ASCII strings can hit (the check compares UTF-16
 * units with bytes); anything else just costs one failed comparison.
 */
const CACHE_MAX_LEN = 128;
const CACHE_SLOTS = 4096; // power of two
const cache: (string | undefined)[] = new Array(CACHE_SLOTS).fill(undefined);

function cachedAscii(buf: NodeBuffer, start: number, end: number): string {
  const len = end - start;
  let h = Math.imul(0x811c9dc5 ^ len, 16777619);
  const head = len < 12 ? end : start + 12;
  for (let i = start; i < head; i++) h = Math.imul(h ^ buf[i]!, 16777619);
  for (let i = Math.max(head, end - 8); i < end; i++) h = Math.imul(h ^ buf[i]!, 16777619);
  const slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
  const hit = cache[slot];
  if (hit !== undefined && hit.length === len) {
    let i = 0;
    while (i < len && hit.charCodeAt(i) === buf[start + i]) i++;
    if (i === len) return hit;
  }
  const s = buf.utf8Slice(start, end);
  cache[slot] = s;
  return s;
}

/** bytes field as lower-case hex (ids). */
export function readHex(r: PbReader, end: number): string {
  const e = readLenEnd(r, end);
  const s = e === r.pos ? '' : r.buf.hexSlice(r.pos, e);
  r.pos = e;
  return s;
}

export function readBase64(r: PbReader, end: number): string {
  const e = readLenEnd(r, end);
  const s = r.buf.toString('base64', r.pos, e);
  r.pos = e;
  return s;
}

export function readFixed64(r: PbReader, end: number): bigint {
  const p = r.pos;
  if (p + 8 > end) throw new OtlpDecodeError(`truncated protobuf: fixed64 at offset ${p}`);
  r.pos = p + 8;
  return r.buf.readBigUInt64LE(p);
}

export function readFixed32(r: PbReader, end: number): number {
  const p = r.pos;
  if (p + 4 > end) throw new OtlpDecodeError(`truncated protobuf: fixed32 at offset ${p}`);
  r.pos = p + 4;
  return r.buf.readUInt32LE(p);
}

export function readDouble(r: PbReader, end: number): number {
  const p = r.pos;
  if (p + 8 > end) throw new OtlpDecodeError(`truncated protobuf: double at offset ${p}`);
  r.pos = p + 8;
  return r.buf.readDoubleLE(p);
}

export function readInt64Decimal(r: PbReader): string {
  const l = r.int64();
  return int64ToDecimal(l.low, l.high);
}

/** uint32 fields (counts) and enums: varints read as unsigned 32-bit. */
export function readUint32(r: PbReader): number {
  return r.uint32() >>> 0;
}

/** Enum fields are int32 on the wire; negative values come as 10-byte varints. */
export function readEnum(r: PbReader): number {
  return r.uint32() | 0;
}
