/**
 * Preloaded with `node --import @tracelab/telemetry/register dist/main.js`,
 * before any application module, so instrumentations patch fastify, pg and
 * http as they load. With OTEL_SDK_DISABLED=true it loads nothing at all.
 */
import { register } from 'node:module';
import { envDefaults, sdkDisabled } from './env-defaults.js';
import { setSdk } from './handle.js';

if (!sdkDisabled(process.env)) {
  Object.assign(process.env, envDefaults(process.env));
  // ESM imports bypass require(); this loader hook lets instrumentations patch them too.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const { createSdk } = await import('./sdk.js');
  const sdk = createSdk();
  sdk.start();
  setSdk(sdk);
}
