/**
 * `tracehub export` / `tracehub import`: talk to a running hub's /api/v1
 * export and import routes. Errors are one line on stderr and exit code 1
 * (2 for bad arguments); never a stack trace.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { BadParameterError } from '../api/params.js';
import { parseTransferArgs, transferUsage, type TransferCommand } from './transfer-args.js';

class CliFailure extends Error {}

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

async function call(cmd: TransferCommand, path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (cmd.token) headers.authorization = `Bearer ${cmd.token}`;
  let res: Response;
  try {
    res = await fetch(`${cmd.hub}${path}`, { ...init, headers });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliFailure(`cannot reach tracehub at ${cmd.hub} (${cause?.code ?? cause?.message ?? (err as Error).message}); is it running? (--hub)`);
  }
  if (!res.ok) {
    const text = await res.text();
    let message = text.slice(0, 500);
    try {
      const body = JSON.parse(text) as { error?: string; message?: string };
      if (body.message) message = body.message;
    } catch {
      // not the API's JSON error: show the text
    }
    const hint = res.status === 401 ? ' (give --token or set TRACEHUB_TOKEN)' : '';
    throw new CliFailure(`${message}${hint}`);
  }
  return res;
}

/** The file name of a Content-Disposition header, or the fallback. */
function suggestedName(res: Response, fallback: string): string {
  const m = /filename="([^"/\\]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return m ? m[1]! : fallback;
}

async function runExport(cmd: Extract<TransferCommand, { command: 'export' }>, io: Io): Promise<void> {
  const res =
    'traceId' in cmd
      ? await call(cmd, `/api/v1/traces/${cmd.traceId}/export?format=${cmd.format}`)
      : await call(cmd, `/api/v1/export?${cmd.query}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (cmd.out === '-') {
    io.stdout.write(body);
    return;
  }
  const file = cmd.out ?? suggestedName(res, 'traceId' in cmd ? `trace-${cmd.traceId}.${cmd.format}` : 'traces.jsonl');
  await writeFile(file, body).catch((err: NodeJS.ErrnoException) => {
    throw new CliFailure(`cannot write ${file}: ${err.code ?? err.message}`);
  });
  const what = 'traceId' in cmd ? `trace ${cmd.traceId}` : `${body.toString('utf8').split('\n').filter(Boolean).length} traces`;
  io.stderr.write(`tracehub: wrote ${what} to ${file} (${body.length} bytes)\n`);
}

async function runImport(cmd: Extract<TransferCommand, { command: 'import' }>, io: Io): Promise<boolean> {
  let ok = true;
  for (const file of cmd.files) {
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (err) {
      io.stderr.write(`tracehub: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      ok = false;
      continue;
    }
    try {
      const res = await call(cmd, '/api/v1/import', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      const a = (await res.json()) as { traces: string[]; spans: number; rejected: number; message?: string };
      io.stdout.write(`${file}: imported ${a.spans} spans of ${a.traces.length} trace(s): ${a.traces.join(' ')}\n`);
      if (a.rejected > 0) io.stderr.write(`${file}: ${a.rejected} spans rejected: ${a.message ?? ''}\n`);
    } catch (err) {
      if (!(err instanceof CliFailure)) throw err;
      io.stderr.write(`tracehub: ${file}: ${err.message}\n`);
      ok = false;
    }
  }
  return ok;
}

/** Runs `tracehub export|import ...`; resolves to the exit code. */
export async function runTransfer(argv: string[], env: Record<string, string | undefined>, io: Io = process): Promise<number> {
  let cmd: TransferCommand;
  try {
    cmd = parseTransferArgs(argv, env);
  } catch (err) {
    if (!(err instanceof BadParameterError)) throw err;
    io.stderr.write(`tracehub: ${err.message}\n\n${transferUsage()}`);
    return 2;
  }
  try {
    if (cmd.command === 'import') return (await runImport(cmd, io)) ? 0 : 1;
    await runExport(cmd, io);
    return 0;
  } catch (err) {
    if (err instanceof CliFailure) {
      io.stderr.write(`tracehub: ${err.message}\n`);
      return 1;
    }
    io.stderr.write(`tracehub: ${(err as Error).message}\n`);
    return 1;
  }
}
