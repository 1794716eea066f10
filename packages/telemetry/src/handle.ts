import { drainSerialExporters } from './serial-exporter.js';
import type { ShutdownResult } from './types.js';

// The started SDK, shared between the --import entry and the app's shutdown
// call through globalThis (they may load different module instances).
const KEY = Symbol.for('tracelab.telemetry.sdk');
interface Stoppable {
  shutdown(): Promise<void>;
}
const g = globalThis as unknown as Record<symbol, Stoppable | undefined>;

export function setSdk(sdk: Stoppable): void {
  g[KEY] = sdk;
}

/**
 * Flushes and stops the SDK, waiting at most `timeoutMs` so a dead backend
 * never holds a shutting-down service. A no-op when the SDK never started.
 */
export async function shutdownTelemetry(timeoutMs = 2000): Promise<ShutdownResult> {
  const sdk = g[KEY];
  if (!sdk) return { flushed: true };
  g[KEY] = undefined;
  // The final flush hands the exporter every queued batch at once; let them wait their turn.
  drainSerialExporters();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const done = sdk.shutdown().then(
    () => true,
    () => false,
  );
  const flushed = await Promise.race([done, deadline]);
  clearTimeout(timer);
  return { flushed };
}
