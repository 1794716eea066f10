/**
 * Exact 64-bit integer conversions. OTLP timestamps are fixed64 nanoseconds
 * (about 1.7e18, far above 2^53) and AnyValue.int_value is a signed int64, so
 * neither may pass through a JS number.
 */

export const UINT64_MAX = (1n << 64n) - 1n;
export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

const TWO_32 = 4294967296;

/** Signed int64 from its two's-complement 32-bit halves, as a decimal string. */
export function int64ToDecimal(lo: number, hi: number): string {
  // Fast paths: values that fit a safe JS integer (|v| < 2^53) are exact as numbers.
  if (hi === 0) return String(lo >>> 0);
  if (hi > 0 && hi < 0x200000) return String(hi * TWO_32 + (lo >>> 0));
  if (hi === -1 && lo < 0) return String(lo | 0);
  if (hi < 0 && hi > -0x200000) return String(hi * TWO_32 + (lo >>> 0));
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
}

const INTEGER_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses the text of a JSON number or numeric string as an exact integer.
 * Accepts exponent and fraction forms when the value is integral
 * (`1.5446e18`, `3.0`); returns null when it is not an integer.
 */
export function parseIntegerText(text: string): bigint | null {
  const m = INTEGER_TEXT.exec(text);
  if (!m) return null;
  const [, sign, intPart, fracPart = '', expText] = m;
  if (fracPart === '' && expText === undefined) {
    const v = BigInt(intPart!);
    return sign === '-' ? -v : v;
  }
  const exp = expText === undefined ? 0 : Number(expText);
  if (!Number.isSafeInteger(exp) || exp > 400) return null;
  let digits = intPart! + fracPart;
  let scale = exp - fracPart.length; // value = digits * 10^scale
  if (scale < 0) {
    const cut = digits.length + scale;
    const dropped = cut > 0 ? digits.slice(cut) : digits;
    if (!/^0*$/.test(dropped)) return null;
    digits = cut > 0 ? digits.slice(0, cut) : '0';
    scale = 0;
  }
  const v = BigInt(digits) * 10n ** BigInt(scale);
  return sign === '-' ? -v : v;
}
