/**
 * A service's process around its HTTP app, the same for every tracelab service: listen, stop cleanly
 * on SIGTERM/SIGINT with the last spans flushed, and exit on what must not be limped past.
 */
import { shutdownTelemetry } from './handle.js';

/** What runService needs of the app (a Fastify instance fits; this package does not depend on Fastify). */
export interface ServiceApp {
  log: { info(obj: object, msg: string): void; fatal(obj: object, msg: string): void };
  listen(opts: { port: number; host: string }): Promise<unknown>;
  close(): Promise<unknown>;
}

export interface RunServiceOptions {
  /** For the log line of a failed start: `<name> could not start: <why>`. */
  name: string;
  app: ServiceApp;
  port: number;
  host: string;
  /** Before listening (e.g. migrations); throwing is a failed start. */
  prepare?: () => Promise<unknown>;
  /** After the app has closed, on a stop or a failed start (e.g. end a database pool); its errors are ignored. */
  cleanup?: () => Promise<unknown>;
  /** The process hooks; tests pass their own. */
  proc?: { on(event: 'SIGTERM' | 'SIGINT' | 'unhandledRejection', listener: (arg: unknown) => void): unknown; exit(code: number): void };
}

/**
 * Runs the service: prepare, then listen on host:port.
 * - SIGTERM / SIGINT (once): close the app, clean up, flush spans for at most 2 s, exit 0.
 * - A failed start: logged fatal, clean up, flush for at most 1 s, exit 1.
 * - An unhandled rejection is a bug: logged fatal, exit 1 at once rather than limp on.
 */
export async function runService(o: RunServiceOptions): Promise<void> {
  const proc = o.proc ?? process;
  const cleanup = async () => {
    await o.cleanup?.().catch(() => undefined);
  };
  proc.on('unhandledRejection', (reason) => {
    o.app.log.fatal({ err: reason }, 'unhandledRejection');
    proc.exit(1);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    o.app.log.info({ signal }, 'shutting down');
    await o.app.close().catch(() => undefined);
    await cleanup();
    // Flush the last spans, but never wait long for a backend that is gone.
    await shutdownTelemetry(2000);
    proc.exit(0);
  };
  proc.on('SIGTERM', () => void stop('SIGTERM'));
  proc.on('SIGINT', () => void stop('SIGINT'));
  try {
    await o.prepare?.();
    await o.app.listen({ port: o.port, host: o.host });
  } catch (err) {
    o.app.log.fatal({ err }, `${o.name} could not start: ${(err as Error).message}`);
    await cleanup();
    await shutdownTelemetry(1000);
    proc.exit(1);
  }
}
