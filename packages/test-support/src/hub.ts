/**
 * tracehub as a real child process for end-to-end tests of every app and package: the
 * runner is scripts/lib/hub.mjs (plain Node, shared with the benchmarks); this module gives
 * it its types.
 */
import type { ChildProcess } from 'node:child_process';
import * as runner from '../../../scripts/lib/hub.mjs';

export interface HubHandle {
  apiUrl: string;
  otlpHttpUrl: string;
  /** host:port */
  otlpGrpcUrl: string;
  tempoUrl?: string;
  jaegerUrl?: string;
  dataDir: string;
  process: ChildProcess;
  /** Output lines so far (stdout and stderr). */
  logs: string[];
  /** SIGTERM and wait for exit; the data dir is kept unless removeData. */
  stop(opts?: { removeData?: boolean }): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export interface StartHubOptions {
  dataDir?: string;
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** tracehub's compiled CLI (`npx tsc -b apps/tracehub` builds it). */
export const cliPath: () => string = runner.cliPath;

/** Starts tracehub on ephemeral ports; resolves once it logs its endpoints. */
export const startHub: (opts?: StartHubOptions) => Promise<HubHandle> = runner.startHub as (opts?: StartHubOptions) => Promise<HubHandle>;
