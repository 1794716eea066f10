// runService, in process: a fake app and fake process hooks record what happens in which order
// (no SDK is started, so the span flush is a no-op).
import { describe, expect, it } from 'vitest';
import { runService, type RunServiceOptions } from '../src/service-process.js';

function harness(over: Partial<RunServiceOptions> = {}) {
  const steps: string[] = [];
  const listeners = new Map<string, (arg: unknown) => void>();
  let exited: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const opts: RunServiceOptions = {
    name: 'demo-service',
    port: 1234,
    host: '127.0.0.1',
    app: {
      log: { info: (_o, msg) => steps.push(`info ${msg}`), fatal: (_o, msg) => steps.push(`fatal ${msg}`) },
      listen: async (o) => void steps.push(`listen ${o.host}:${o.port}`),
      close: async () => void steps.push('close'),
    },
    prepare: async () => void steps.push('prepare'),
    cleanup: async () => {
      steps.push('cleanup');
      throw new Error('ignored');
    },
    proc: {
      on: (event, listener) => listeners.set(event, listener),
      exit: (code) => {
        steps.push(`exit ${code}`);
        exited(code);
      },
    },
    ...over,
  };
  return { steps, listeners, exit, run: () => runService(opts) };
}

describe('runService', () => {
  it('prepares, listens; on SIGTERM closes, cleans up (its error ignored), exits 0 — once', async () => {
    const h = harness();
    await h.run();
    expect(h.steps).toEqual(['prepare', 'listen 127.0.0.1:1234']);
    h.listeners.get('SIGTERM')!(undefined);
    h.listeners.get('SIGINT')!(undefined);
    expect(await h.exit).toBe(0);
    expect(h.steps).toEqual(['prepare', 'listen 127.0.0.1:1234', 'info shutting down', 'close', 'cleanup', 'exit 0']);
  });

  it('a failed start: logged with the service name and the reason, cleaned up, exit 1', async () => {
    const h = harness({ prepare: async () => Promise.reject(new Error('database is gone')) });
    await h.run();
    expect(await h.exit).toBe(1);
    expect(h.steps).toEqual(['fatal demo-service could not start: database is gone', 'cleanup', 'exit 1']);
  });

  it('an unhandled rejection: logged fatal, exit 1', async () => {
    const h = harness();
    await h.run();
    h.listeners.get('unhandledRejection')!(new Error('bug'));
    expect(await h.exit).toBe(1);
    expect(h.steps.slice(-2)).toEqual(['fatal unhandledRejection', 'exit 1']);
  });
});
