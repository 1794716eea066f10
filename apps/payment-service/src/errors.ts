/** payment-service's error catalogue (table in ../README.md); mapped to responses only in `toErrorResponse`. */
export const ErrorCatalogue = {
  INVALID_REQUEST: { status: 400, meaning: 'A field of the payment request is missing or malformed; `field` names it.' },
  NOT_FOUND: { status: 404, meaning: 'No such route.' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The request body exceeds the size limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'Bodies must be application/json.' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, meaning: 'A payment with this Idempotency-Key is being processed; retry after `Retry-After` seconds.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'This Idempotency-Key was already used for a different payment.' },
  CLIENT_ABORTED: { status: 499, meaning: 'The caller went away before the payment finished; work stopped. Never seen by the caller.' },
  PAYMENT_PROCESSING_FAILED: { status: 500, meaning: 'The payment failed; with fail=true this is the simulated failure.' },
  INTERNAL_ERROR: { status: 500, meaning: 'An unexpected failure.' },
} as const;
export type ErrorCode = keyof typeof ErrorCatalogue;

export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.status = ErrorCatalogue[code].status;
    if (field) this.field = field;
  }
}

export const errors = {
  invalid: (field: string, message: string) => new ServiceError('INVALID_REQUEST', message, field),
  simulatedFailure: () => new ServiceError('PAYMENT_PROCESSING_FAILED', 'Simulated payment failure (fail=true).'),
  aborted: (afterMs: number) => new ServiceError('CLIENT_ABORTED', `The caller aborted after ${afterMs} ms; payment stopped.`),
  idempotencyKeyInUse: (key: string) =>
    new ServiceError('IDEMPOTENCY_KEY_IN_USE', `A payment with Idempotency-Key ${JSON.stringify(key)} is being processed; retry in a moment to get its answer.`),
  idempotencyKeyReused: (key: string) =>
    new ServiceError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${JSON.stringify(key)} was already used for a different payment; use a new key.`),
};

export function toErrorResponse(err: unknown): { status: number; body: { error: string; message: string; field?: string } } {
  if (err instanceof ServiceError) {
    return { status: err.status, body: { error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } };
  }
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: { error: 'PAYLOAD_TOO_LARGE', message: 'The body is too large (limit 16 KiB).' } };
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' } };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: 400, body: { error: 'INVALID_REQUEST', message: `The body is not a valid request: ${e.message}`, field: 'body' } };
  }
  return { status: 500, body: { error: 'INTERNAL_ERROR', message: 'Unexpected error.' } };
}
