/** Why a duration or size could not be read. */
export type UnitsErrorReason =
  /** Nothing to read (the empty string). */
  | 'empty'
  /** Not a number followed by a unit (`fast`, `1.2.3s`, `.s`). */
  | 'syntax'
  /** A number without a unit where one is required (`100` in Go's form). */
  | 'missing-unit'
  /** A unit this form does not take (`5sec`, `1d` in Go's form). */
  | 'unknown-unit'
  /** A sign where none is allowed (`-1s` outside Go's own form). */
  | 'negative'
  /** Prometheus' rule broken: each unit at most once, largest first (`30m1h`). */
  | 'order'
  /** Beyond int64 nanoseconds (about 292 years), or beyond 2^53 bytes. */
  | 'range';

/** The one error the parsers throw: `reason` says why, `input` is the text given. */
export class UnitsError extends Error {
  constructor(
    readonly reason: UnitsErrorReason,
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnitsError';
  }
}

/** The input as messages quote it (at most 64 characters). */
export function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
