/**
 * Preloaded with `node --import @tracelab/telemetry/register dist/main.js`,
 * before any application module, so instrumentations patch pg, pino and
 * http as they load. With OTEL_SDK_DISABLED=true it loads nothing at all.
 */
import { register } from 'node:module';
import { envDefaults, sdkDisabled } from './env-defaults.js';
import { setSdk } from './handle.js';
import { INSTRUMENTED_MODULES } from './instrumented-modules.js';

if (!sdkDisabled(process.env)) {
  Object.assign(process.env, envDefaults(process.env));
  // ESM imports bypass require(); this loader hook lets instrumentations patch them too, limited to
  // the instrumented modules (import-in-the-middle's `include`).
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: [...INSTRUMENTED_MODULES] } });
  const { createSdk } = await import('./sdk.js');
  const sdk = createSdk();
  sdk.start();
  setSdk(sdk);
}
