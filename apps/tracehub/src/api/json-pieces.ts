/**
 * The JSON text of a large value in pieces, for answers longer than V8's longest string (~512 MB)
 * or too large to build in one piece: plain objects are written key by key, arrays longer than
 * `chunk` elements `chunk` elements at a time, everything else with one JSON.stringify. Pieces are
 * gathered up to about `flushChars` characters. The pieces joined are JSON.stringify(value). Pure.
 */
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

export function* jsonPieces(value: unknown, chunk = 1000, flushChars = 1 << 16): Generator<string> {
  let buffer = '';
  function* put(s: string): Generator<string> {
    buffer += s;
    if (buffer.length >= flushChars) {
      yield buffer;
      buffer = '';
    }
  }
  function* write(v: unknown): Generator<string> {
    if (Array.isArray(v) && v.length > chunk) {
      for (let i = 0; i < v.length; i += chunk) {
        const part = JSON.stringify(v.slice(i, i + chunk));
        yield* put(`${i === 0 ? '[' : ','}${part.slice(1, -1)}`);
      }
      yield* put(']');
    } else if (isPlainObject(v) && typeof v.toJSON !== 'function') {
      let first = true;
      yield* put('{');
      for (const [k, item] of Object.entries(v)) {
        // What JSON.stringify leaves out of an object.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        yield* put(`${first ? '' : ','}${JSON.stringify(k)}:`);
        first = false;
        yield* write(item);
      }
      yield* put('}');
    } else yield* put(JSON.stringify(v) ?? 'null');
  }
  yield* write(value);
  if (buffer !== '') yield buffer;
}
