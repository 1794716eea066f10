/**
 * order-service's error catalogue: every error an answer can carry, with its
 * HTTP status. Documented as a table in ../README.md; mapped to responses only
 * in `toErrorResponse`.
 */
import type { Finding } from '@tracelab/trace-explain';
import { explanationOf, findings } from './explanation.js';

export const ErrorCatalogue = {
  INVALID_REQUEST: { status: 400, meaning: 'A parameter is missing or malformed; `field` names it.' },
  UNKNOWN_PRODUCT: { status: 404, meaning: 'No product has that name.' },
  NOT_FOUND: { status: 404, meaning: 'No such route.' },
  OUT_OF_STOCK: { status: 409, meaning: 'Not enough stock for the quantity asked.' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, meaning: 'An order with this Idempotency-Key is still being processed; retry after `Retry-After` seconds.' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The request body exceeds the size limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'POST bodies must be application/json.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, meaning: 'This Idempotency-Key was already used for a different order; use a new key.' },
  INTERNAL_ERROR: { status: 500, meaning: 'An unexpected failure; the trace shows where.' },
  PAYMENT_FAILED: { status: 502, meaning: 'payment-service refused, failed or could not be reached; stock was released.' },
  DATABASE_UNAVAILABLE: { status: 503, meaning: 'PostgreSQL could not be reached.' },
  PAYMENT_TIMEOUT: { status: 504, meaning: 'payment-service did not answer within PAYMENT_TIMEOUT_MS; the call was aborted and stock released.' },
} as const;
export type ErrorCode = keyof typeof ErrorCatalogue;

export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  /** What the trace will show, when the code alone does not say it (a timeout's length, the peer not reached). */
  readonly finding?: Finding;
  constructor(code: ErrorCode, message: string, field?: string, finding?: Finding) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.status = ErrorCatalogue[code].status;
    if (field) this.field = field;
    if (finding) this.finding = finding;
  }
}

export const errors = {
  invalid: (field: string, message: string) => new ServiceError('INVALID_REQUEST', message, field),
  unknownProduct: (name: string) =>
    new ServiceError('UNKNOWN_PRODUCT', `No product named ${JSON.stringify(name)}; try "Book" or "OutOfStockItem".`),
  outOfStock: (name: string, wanted: number, left: number) =>
    new ServiceError('OUT_OF_STOCK', `Not enough stock for ${JSON.stringify(name)}: wanted ${wanted}, ${left} left.`),
  paymentTimeout: (ms: number) =>
    new ServiceError('PAYMENT_TIMEOUT', `Payment did not answer within ${ms} ms; the payment request was aborted.`, undefined, findings.timeout(ms)),
  paymentUnreachable: (baseUrl: string, cause: string) =>
    new ServiceError('PAYMENT_FAILED', `Payment failed: payment-service unreachable at ${baseUrl} (${cause}).`, undefined, findings.unreachable(baseUrl, cause)),
  paymentAnswered: (status: number, why: string) =>
    new ServiceError('PAYMENT_FAILED', `Payment failed: payment-service answered ${status}: ${why}`, undefined, findings.answered(status, why)),
  idempotencyKeyInUse: (key: string) =>
    new ServiceError('IDEMPOTENCY_KEY_IN_USE', `An order with Idempotency-Key ${JSON.stringify(key)} is still being processed; retry in a moment to get its answer.`),
  idempotencyKeyReused: (key: string) =>
    new ServiceError(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key ${JSON.stringify(key)} was already used with a different order (productName, quantity, delay or fail differ); use a new key for a new order.`,
    ),
};

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  field?: string;
  /** One sentence on why the order failed, in the words of tracehub's explain (./explanation.ts); absent for errors of the request itself. */
  explanation?: string;
}

/** Maps anything thrown in a request (our errors, Fastify's, pg's) to a status and body. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  const { status, body } = errorResponse(err);
  const explanation = explanationOf(body, err instanceof ServiceError ? err.finding : undefined);
  return { status, body: explanation ? { ...body, explanation } : body };
}

/** What a failed request answers: the error's status and body, with the request's trace id and link. */
export function errorAnswer(
  err: unknown,
  request: { traceId: string | null; traceUrl: string | null },
): { status: number; body: ErrorBody & { traceId: string | null; traceUrl: string | null } } {
  const { status, body } = toErrorResponse(err);
  return { status, body: { ...body, traceId: request.traceId, traceUrl: request.traceUrl } };
}

function errorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ServiceError) {
    const body: ErrorBody = { error: err.code, message: err.message };
    if (err.field) body.field = err.field;
    return { status: err.status, body };
  }
  const e = err as { code?: string; statusCode?: number; message?: string };
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: { error: 'INVALID_REQUEST', message: `The body is not valid JSON: ${e.message}`, field: 'body' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large (limit 16 KiB).' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' } };
    case 'ECONNREFUSED':
    case '57P01': // admin_shutdown
    case '57P03': // cannot_connect_now
      return { status: 503, body: { error: 'DATABASE_UNAVAILABLE', message: 'PostgreSQL is not reachable; check DATABASE_URL.' } };
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: 400, body: { error: 'INVALID_REQUEST', message: e.message ?? 'Bad request.' } };
  }
  return { status: 500, body: { error: 'INTERNAL_ERROR', message: 'Unexpected error; open the trace to see which step failed.' } };
}
