// What each scenario name in --mix sends: the seed's calls (see scripts/lib/scenarios.mjs).
export const LOAD_SCENARIOS: Record<string, { method: 'GET'; path: string }> = {
  normal: { method: 'GET', path: '/order?productName=Book&delay=100' },
  'out-of-stock': { method: 'GET', path: '/order?productName=OutOfStockItem&delay=100' },
  'payment-timeout': { method: 'GET', path: '/order?productName=Book&delay=600' },
  'payment-failure': { method: 'GET', path: '/order?productName=Book&delay=100&fail=true' },
  // No payment delay: the cheapest full order, for pushing rate.
  fast: { method: 'GET', path: '/order?productName=Book&delay=0' },
};
