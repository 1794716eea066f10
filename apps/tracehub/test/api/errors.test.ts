import { describe, expect, it } from 'vitest';
import { BadParameterError, BadTraceIdError, parseTraceId } from '../../src/api/params.js';
import { badParam } from '../../src/compat/query-params.js';
import { ApiError, toApiError } from '../../src/errors.js';
import { StoreClosedError } from '../../src/store/store.js';
import { TraceQLError, UnsupportedTraceQLError } from '../../src/traceql/errors.js';
import { parseTraceQL } from '../../src/traceql/index.js';

describe('toApiError maps each error type to its code and status', () => {
  it.each<[string, unknown, string, number, string]>([
    ['BadParameterError', new BadParameterError('limit', 'must be an integer from 1 to 100'), 'INVALID_PARAMETER', 400, 'limit: must be an integer from 1 to 100'],
    ['BadTraceIdError', new BadTraceIdError('traceId', '"xyz" is not a trace id'), 'INVALID_TRACE_ID', 400, 'traceId: "xyz" is not a trace id'],
    ['StoreClosedError', new StoreClosedError(), 'NOT_READY', 503, 'the store is closed'],
    ['TraceQLError', new TraceQLError('expected } at position 3', 3), 'INVALID_TRACEQL', 400, 'invalid TraceQL: expected } at position 3'],
    ['UnsupportedTraceQLError', new UnsupportedTraceQLError('metrics group by 6 values', 9, 'at most 5'), 'UNSUPPORTED_TRACEQL', 400, 'unsupported TraceQL: metrics group by 6 values at position 9 (at most 5)'],
    ['ApiError', new ApiError('TRACE_NOT_FOUND', 'no such trace'), 'TRACE_NOT_FOUND', 404, 'no such trace'],
  ])('%s', (_name, err, code, status, message) => {
    const api = toApiError(err);
    expect(api).toBeInstanceOf(ApiError);
    expect(api).toMatchObject({ code, status, message });
  });

  it('maps by type, not by message text or name', () => {
    // A plain Error that merely looks like a TraceQL error is a bug (a 500), not a 400.
    expect(toApiError(new Error('unsupported TraceQL: pretending'))).toBeNull();
    const named = new Error('looks invalid');
    named.name = 'TraceQLError';
    expect(toApiError(named)).toBeNull();
    expect(toApiError(new RangeError('Maximum BigInt size exceeded'))).toBeNull();
    expect(toApiError('a string')).toBeNull();
  });

  it('maps what the parsers really throw', () => {
    expect(() => parseTraceId('not-hex')).toThrow(BadTraceIdError);
    let thrown: unknown;
    try {
      parseTraceQL('{ .a = ');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TraceQLError);
    expect(toApiError(thrown)?.code).toBe('INVALID_TRACEQL');
  });
});

describe('BadParameterError', () => {
  it('prefixes the parameter by default, and not for the compat APIs', () => {
    expect(new BadParameterError('start', 'is not a time').message).toBe('start: is not a time');
    const compat = new BadParameterError('start', 'start must be unix seconds, got "x"', { prefix: false });
    expect(compat.message).toBe('start must be unix seconds, got "x"');
    expect(compat.param).toBe('start');
    expect(badParam('since', "could not parse 'since' parameter")).toMatchObject({ param: 'since', message: "could not parse 'since' parameter" });
    expect(badParam('since', 'x')).toBeInstanceOf(BadParameterError);
  });
});
