/**
 * Arguments of `tracehub export` and `tracehub import` (pure). Throws
 * BadParameterError naming the flag.
 */
import { BadParameterError } from '../api/params.js';

export const DEFAULT_HUB = 'http://127.0.0.1:3000';

export type TransferCommand =
  | { command: 'export'; traceId: string; format: 'json' | 'html'; out: string | null; hub: string; token: string | null }
  | { command: 'export'; query: string; out: string | null; hub: string; token: string | null }
  | { command: 'import'; files: string[]; hub: string; token: string | null };

export function transferUsage(): string {
  return `Usage:
  tracehub export <traceId> [--out file] [--format json|html]   one trace as OTLP/JSON or an offline HTML file
  tracehub export --query "service=checkout&status=error" [--out file.jsonl]
                                                                 a search's traces as OTLP/JSON lines
  tracehub import <file...>                                      OTLP/JSON, OTLP/JSON lines or Jaeger JSON files

Options:
  --hub <url>      the tracehub to talk to (default ${DEFAULT_HUB})
  --token <token>  its access token (default: TRACEHUB_TOKEN)
  --out <file>     where to write (default: the name the hub suggests, in this directory; - for stdout)
`;
}

const VALUE_FLAGS = new Set(['--out', '--format', '--query', '--hub', '--token']);

export function parseTransferArgs(argv: string[], env: Record<string, string | undefined>): TransferCommand {
  const [command, ...rest] = argv;
  if (command !== 'export' && command !== 'import') throw new BadParameterError('command', `"${command ?? ''}" is not export or import`);
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_FLAGS.has(name)) throw new BadParameterError(name, `unknown option (use ${[...VALUE_FLAGS].join(', ')})`);
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined) throw new BadParameterError(name, 'needs a value');
    if (flags.has(name)) throw new BadParameterError(name, 'given more than once');
    flags.set(name, value);
  }
  const hub = (flags.get('--hub') ?? DEFAULT_HUB).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(hub)) throw new BadParameterError('--hub', `"${hub}" is not an http(s) URL`);
  const token = flags.get('--token') ?? (env.TRACEHUB_TOKEN || null);
  const out = flags.get('--out') ?? null;

  if (command === 'import') {
    for (const f of ['--out', '--format', '--query']) if (flags.has(f)) throw new BadParameterError(f, 'is an export option');
    if (positional.length === 0) throw new BadParameterError('import', 'name at least one file to import');
    return { command, files: positional, hub, token };
  }
  const query = flags.get('--query');
  if (query !== undefined) {
    if (positional.length > 0) throw new BadParameterError('export', 'give a trace id or --query, not both');
    if (flags.has('--format')) throw new BadParameterError('--format', 'a search exports as OTLP/JSON lines only');
    return { command, query: query.replace(/^\?/, ''), out, hub, token };
  }
  if (positional.length !== 1) throw new BadParameterError('export', 'give one trace id (or --query "<search>")');
  const format = flags.get('--format') ?? 'json';
  if (format !== 'json' && format !== 'html') throw new BadParameterError('--format', 'must be json or html');
  if (!/^[0-9a-fA-F]{1,32}$/.test(positional[0]!)) throw new BadParameterError('traceId', `"${positional[0]!.slice(0, 64)}" is not a trace id (1 to 32 hex digits)`);
  return { command, traceId: positional[0]!, format, out, hub, token };
}
