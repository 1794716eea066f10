import { defineConfig } from 'vitest/config';

// One runner for the whole monorepo, in two projects:
// - unit: no sockets, no listening, no child processes (scripts/test-setup/no-io.ts refuses them);
//   in-process DuckDB and temporary files are fine. `npm run test:unit` runs it in seconds.
// - e2e: tests that start real processes (tracehub, the services, PostgreSQL, Chromium) or talk over
//   the network. Name new ones *.e2e.test.ts (or *.contract.test.ts), or list them below.
// Tests that start real processes use ephemeral ports and their own data directories, so files may run
// in parallel. `npm test` runs both projects.
const include = [
  'apps/*/test/**/*.test.{ts,tsx}',
  'apps/*/src/**/*.test.{ts,tsx}',
  'packages/*/test/**/*.test.ts',
  'packages/*/src/**/*.test.ts',
  'bench/**/*.test.ts',
  'deploy/**/*.test.ts',
  'scripts/test/**/*.test.{ts,mjs}',
];
const e2eByName = ['**/*.e2e.test.{ts,tsx,mjs}', '**/*.contract.test.{ts,tsx,mjs}'];
/** End-to-end tests from before the naming rule. */
const e2eListed = [
  'apps/loadgen/test/e2e.test.ts',
  'apps/order-service/test/attributes.test.ts',
  'apps/order-service/test/compare.test.ts',
  'apps/order-service/test/concurrency.test.ts',
  'apps/order-service/test/explain.test.ts',
  'apps/order-service/test/handlers.test.ts',
  'apps/order-service/test/idempotency-store.test.ts',
  'apps/order-service/test/idempotency.test.ts',
  'apps/order-service/test/lab-faults.test.ts',
  'apps/order-service/test/metrics.test.ts',
  'apps/order-service/test/seed-scenarios.test.ts',
  'apps/order-service/test/service-map.test.ts',
  'apps/order-service/test/telemetry-backend-down.test.ts',
  'apps/order-service/test/telemetry-blackhole.test.ts',
  'apps/payment-service/test/idempotency.test.ts',
  'apps/payment-service/test/payments.test.ts',
  'apps/payment-service/test/telemetry-export.test.ts',
  'apps/storefront/test/browser.test.ts',
  'apps/storefront/test/proxy.test.ts',
  'apps/tracehub-ui/test/e2e.test.ts',
  'apps/tracehub/test/explain/other-app.test.ts',
  'apps/tracehub/test/forward/forwarder.test.ts',
  'packages/trace-assert/test/e2e.test.ts',
  'scripts/test/launcher.test.mjs',
  'scripts/test/ports.test.mjs',
  'scripts/test/postgres-private-folder.test.mjs',
];
const exclude = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include, exclude: [...exclude, ...e2eByName, ...e2eListed], setupFiles: ['./scripts/test-setup/no-io.ts'] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: [...e2eByName.map((g) => g), ...e2eListed], exclude },
      },
    ],
  },
});
