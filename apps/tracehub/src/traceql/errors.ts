/**
 * A query that is not valid TraceQL (syntax or type error). `position` is the
 * 0-based character offset in the query where the problem was found.
 */
export class TraceQLError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'TraceQLError';
    this.position = position;
  }
}

/**
 * Valid TraceQL that tracehub does not evaluate (pipelines, aggregates,
 * structural operators, ...). The message starts with `unsupported TraceQL: `
 * and names the construct. It extends TraceQLError so callers can map both to
 * a 400 with one `instanceof` check.
 */
export class UnsupportedTraceQLError extends TraceQLError {
  readonly construct: string;

  constructor(construct: string, position: number, hint?: string) {
    super(`unsupported TraceQL: ${construct} at position ${position}${hint ? ` (${hint})` : ''}`, position);
    this.name = 'UnsupportedTraceQLError';
    this.construct = construct;
  }
}
