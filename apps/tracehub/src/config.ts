/**
 * tracehub's configuration: command-line flags, each with a TRACEHUB_* env
 * equivalent (the flag wins). Pure: parseConfig(argv, env).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GO_UNITS, parseSize, UnitsError } from '@tracelab/units';
import { BadParameterError, parseDurationNs } from './api/params.js';
import { generateToken, isLoopbackHost, tokenProblem } from './auth.js';

export interface TracehubConfig {
  dataDir: string;
  host: string;
  port: number;
  otlpHttpPort: number;
  otlpGrpcPort: number;
  tempoPort: number | null;
  jaegerPort: number | null;
  uiDir: string | null;
  maxBodyBytes: number;
  retentionAgeNs: bigint | null;
  retentionMaxBytes: number | null;
  maxQueuedRecords: number;
  /** DuckDB's memory limit (buffer pool, indexes, query state). */
  memoryLimit: string;
  corsOrigins: string[];
  forward: string | null;
  logLevel: string;
  /** The access token every listener requires; null: none (loopback only). */
  token: string | null;
  /** True when tracehub made the token up at start (it prints it once). */
  tokenGenerated: boolean;
}

/** flag → [env var, default, help] */
export const FLAGS = {
  'data-dir': ['TRACEHUB_DATA_DIR', './.data/tracehub', 'where the DuckDB store lives'],
  host: ['TRACEHUB_HOST', '127.0.0.1', 'interface every listener binds'],
  port: ['TRACEHUB_PORT', '3000', 'UI + query API (/api/v1)'],
  'otlp-http-port': ['TRACEHUB_OTLP_HTTP_PORT', '4318', 'OTLP/HTTP receiver'],
  'otlp-grpc-port': ['TRACEHUB_OTLP_GRPC_PORT', '4317', 'OTLP/gRPC receiver'],
  'tempo-port': ['TRACEHUB_TEMPO_PORT', '3200', "Tempo-compatible query API (Grafana); 'off' disables"],
  'jaeger-port': ['TRACEHUB_JAEGER_PORT', '16686', "Jaeger query API; 'off' disables"],
  'ui-dir': ['TRACEHUB_UI_DIR', '', 'static UI build to serve (default: the tracehub-ui package build)'],
  'max-body': ['TRACEHUB_MAX_BODY', '16MiB', 'largest OTLP request, after decompression'],
  'retention-age': ['TRACEHUB_RETENTION_AGE', '7d', "drop data received longer ago than this ('off' keeps all)"],
  'retention-size': ['TRACEHUB_RETENTION_SIZE', '10GiB', "drop the oldest data above this store size ('off' disables)"],
  'memory-limit': ['TRACEHUB_MEMORY_LIMIT', '384MiB', 'memory the store may use for caching and queries (DuckDB memory_limit)'],
  'max-queue': ['TRACEHUB_MAX_QUEUE', '200000', 'spans + logs waiting to be stored before exports are refused (429)'],
  'cors-origins': ['TRACEHUB_CORS_ORIGINS', 'http://127.0.0.1:8000,http://localhost:8000', 'browser origins allowed to POST OTLP/HTTP'],
  forward: ['TRACEHUB_FORWARD', '', 'also send everything received to this OTLP/HTTP endpoint'],
  'log-level': ['TRACEHUB_LOG_LEVEL', 'info', 'fatal|error|warn|info|debug'],
  token: ['TRACEHUB_TOKEN', '', 'access token every listener requires; generated and printed once when --host is not loopback and none is given'],
} as const;
type Flag = keyof typeof FLAGS;

function parsePort(raw: string, flag: string, allowOff: boolean): number | null {
  if (allowOff && raw === 'off') return null;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new BadParameterError(`--${flag}`, `"${raw}" is not a port (0-65535${allowOff ? " or 'off'" : ''})`);
  return Number(raw);
}

function parseCount(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new BadParameterError(`--${flag}`, `"${raw}" is not a positive integer`);
  return Number(raw);
}

export function parseBytes(raw: string, flag: string): number {
  try {
    return parseSize(raw);
  } catch (err) {
    if (err instanceof UnitsError && err.reason === 'range') throw new BadParameterError(`--${flag}`, `"${raw}" is too large (at most 8 PiB)`);
    if (err instanceof UnitsError) throw new BadParameterError(`--${flag}`, `"${raw}" is not a size (e.g. 16MiB, 2GB, or bytes)`);
    throw err;
  }
}

/** A retention age: `off`, days (`7d`), or what /api/v1 durations take (`36h`, `90m`, a number of ms). */
function parseAge(raw: string, flag: string): bigint | null {
  if (raw === 'off') return null;
  return parseDurationNs(raw, `--${flag}`, { units: [...GO_UNITS, 'd'], bareUnit: 'ms' });
}

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([f, [env, def, help]]) => `  --${f.padEnd(16)} ${help} (env ${env}, default ${def || 'none'})`);
  return `Usage: tracehub [flags]\n\n${lines.join('\n')}\n`;
}

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): TracehubConfig {
  const options = Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }]));
  const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false });
  const get = (f: Flag): string => ((values as Record<string, unknown>)[f] as string | undefined) ?? env[FLAGS[f][0]] ?? FLAGS[f][1];
  const uiDir = get('ui-dir');
  const forward = get('forward');
  const retentionSize = get('retention-size');
  const host = get('host');
  let token: string | null = get('token') === '' ? null : get('token');
  if (token !== null) {
    const problem = tokenProblem(token);
    if (problem) throw new BadParameterError('--token', problem);
  }
  // Beyond loopback nothing is open: without a token of the user's, one is made up.
  const tokenGenerated = token === null && !isLoopbackHost(host);
  if (tokenGenerated) token = generateToken();
  return {
    dataDir: path.resolve(get('data-dir')),
    host,
    port: parsePort(get('port'), 'port', false)!,
    otlpHttpPort: parsePort(get('otlp-http-port'), 'otlp-http-port', false)!,
    otlpGrpcPort: parsePort(get('otlp-grpc-port'), 'otlp-grpc-port', false)!,
    tempoPort: parsePort(get('tempo-port'), 'tempo-port', true),
    jaegerPort: parsePort(get('jaeger-port'), 'jaeger-port', true),
    uiDir: uiDir === '' ? null : path.resolve(uiDir),
    maxBodyBytes: parseBytes(get('max-body'), 'max-body'),
    retentionAgeNs: parseAge(get('retention-age'), 'retention-age'),
    retentionMaxBytes: retentionSize === 'off' ? null : parseBytes(retentionSize, 'retention-size'),
    maxQueuedRecords: parseCount(get('max-queue'), 'max-queue'),
    memoryLimit: `${Math.max(64, Math.round(parseBytes(get('memory-limit'), 'memory-limit') / 2 ** 20))}MiB`,
    corsOrigins: get('cors-origins').split(',').map((s) => s.trim()).filter(Boolean),
    forward: forward === '' ? null : forward,
    logLevel: get('log-level'),
    token,
    tokenGenerated,
  };
}
