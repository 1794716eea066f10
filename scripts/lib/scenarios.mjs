// The seed's three scenarios (plus a payment failure), shared by the launcher banner and the scenario runner.
export const SCENARIOS = [
  { name: 'normal', path: '/order?productName=Book&delay=100', expect: '200 CONFIRMED', what: 'check-stock, call-payment-api (down into payment-service) and save-order all succeed.' },
  { name: 'out-of-stock', path: '/order?productName=OutOfStockItem&delay=100', expect: '409 OUT_OF_STOCK', what: 'check-stock is ERROR with the exception; payment is never called.' },
  { name: 'payment-timeout', path: '/order?productName=Book&delay=600', expect: '504 PAYMENT_TIMEOUT', what: 'call-payment-api is ERROR after 500 ms, payment-service sees the abort, release-stock gives the stock back.' },
  { name: 'payment-failure', path: '/order?productName=Book&delay=100&fail=true', expect: '502 PAYMENT_FAILED', what: 'process-payment fails in payment-service, call-payment-api is ERROR, release-stock gives the stock back.' },
];
