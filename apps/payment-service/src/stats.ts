/** What payment-service did, exposed at GET /stats so tests and people can see aborts happen. */
export class PaymentStats {
  authorized = 0;
  failed = 0;
  /** Payments the caller abandoned (connection closed before the answer); their work was stopped. */
  aborted = 0;
  inFlight = 0;
  /** Repeated Idempotency-Keys answered from memory: nothing was charged again. */
  replayed = 0;

  snapshot() {
    return {
      authorized: this.authorized,
      failed: this.failed,
      aborted: this.aborted,
      inFlight: this.inFlight,
      replayed: this.replayed,
    };
  }
}
