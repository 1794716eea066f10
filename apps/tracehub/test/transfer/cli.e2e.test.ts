/**
 * `tracehub export` / `tracehub import` as the built CLI in child processes
 * against real hubs: a trace exported to a file and imported into another hub
 * (behind a token), a search as JSON lines, and the errors users meet.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/model.js';
import { encodeTracesProtobuf } from '../../src/otlp/index.js';
import { cliPath, type HubHandle, startHub } from '@tracelab/test-support/hub';
import { richTrace } from './rich-trace.js';

const run = promisify(execFile);
const TOKEN = 'cli-transfer-token-0123456789';
let source: HubHandle;
let target: HubHandle;
let dir: string;
const traces: SpanRecord[][] = [richTrace('cli-a'), richTrace('cli-b')];

async function tracehub(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath(), ...args], { env: { ...process.env, TRACEHUB_TOKEN: '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A port nothing listens on: one the OS just handed out and took back. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

const spansOf = async (hub: HubHandle, traceId: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`, { headers });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).spans.sort((a: any, b: any) => a.spanId.localeCompare(b.spanId));
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tracehub-cli-'));
  [source, target] = await Promise.all([startHub(), startHub({ env: { TRACEHUB_TOKEN: TOKEN } })]);
  for (const t of traces) {
    const res = await fetch(`${source.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: encodeTracesProtobuf(t) });
    expect(res.status).toBe(200);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all([source?.stop({ removeData: true }), target?.stop({ removeData: true })]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tracehub export / import', () => {
  it('exports a trace to a file and imports it into another hub with --token', async () => {
    const id = traces[0]![0]!.traceId;
    const file = path.join(dir, 'one.json');
    const exp = await tracehub(['export', id, '--hub', source.apiUrl, '--out', file]);
    expect(exp).toMatchObject({ code: 0, stderr: `tracehub: wrote trace ${id} to ${file} (${readFileSync(file).length} bytes)\n` });
    expect(JSON.parse(readFileSync(file, 'utf8')).resourceSpans.length).toBe(2);

    const imp = await tracehub(['import', file, '--hub', target.apiUrl, '--token', TOKEN]);
    expect(imp).toMatchObject({ code: 0, stdout: `${file}: imported 3 spans of 1 trace(s): ${id}\n` });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(await spansOf(target, id, auth)).toEqual(await spansOf(source, id));
    // The routes behind the token as the rest of /api/v1.
    for (const [url, init] of [
      [`/api/v1/traces/${id}/export`, {}],
      ['/api/v1/export', {}],
      ['/api/v1/import', { method: 'POST', body: readFileSync(file), headers: { 'content-type': 'application/json' } }],
    ] as const) {
      const res = await fetch(`${target.apiUrl}${url}`, init);
      expect([url, res.status, ((await res.json()) as any).error]).toEqual([url, 401, 'UNAUTHORIZED']);
    }
    const withToken = await fetch(`${target.apiUrl}/api/v1/traces/${id}/export`, { headers: auth });
    expect(withToken.status).toBe(200);
  });

  it('exports a search as JSON lines and imports it with TRACEHUB_TOKEN', async () => {
    const file = path.join(dir, 'search.jsonl');
    const exp = await tracehub(['export', '--query', 'service=cli-b&limit=5', '--hub', source.apiUrl, '--out', file]);
    expect(exp.code).toBe(0);
    expect(exp.stderr).toMatch(/^tracehub: wrote 1 traces to /);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const imp = await tracehub(['import', file, '--hub', target.apiUrl], { TRACEHUB_TOKEN: TOKEN });
    expect(imp).toMatchObject({ code: 0, stdout: `${file}: imported 3 spans of 1 trace(s): ${traces[1]![0]!.traceId}\n` });
  });

  it('writes the offline HTML file under the name the hub suggests', async () => {
    const id = traces[0]![0]!.traceId;
    const { stderr, code } = await run(process.execPath, [cliPath(), 'export', id, '--format', 'html', '--hub', source.apiUrl], { cwd: dir }).then(
      (r) => ({ ...r, code: 0 }),
    );
    expect(code).toBe(0);
    expect(stderr).toContain(`to trace-${id}.html`);
    const html = readFileSync(path.join(dir, `trace-${id}.html`), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
  });

  it('fails with one clear line: unknown trace, missing token, unreachable hub, unreadable or bad file, bad arguments', async () => {
    const unknown = await tracehub(['export', 'ab'.repeat(16), '--hub', source.apiUrl, '--out', path.join(dir, 'x.json')]);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: `tracehub: trace ${'ab'.repeat(16)} not found\n` });

    const noToken = await tracehub(['import', path.join(dir, 'one.json'), '--hub', target.apiUrl]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/one\.json: .* \(give --token or set TRACEHUB_TOKEN\)\n$/);

    const port = await closedPort();
    const down = await tracehub(['export', 'ab', '--hub', `http://127.0.0.1:${port}`, '--out', '-']);
    expect(down).toEqual({ code: 1, stdout: '', stderr: `tracehub: cannot reach tracehub at http://127.0.0.1:${port} (ECONNREFUSED); is it running? (--hub)\n` });

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": "world"}');
    const badImport = await tracehub(['import', path.join(dir, 'missing.json'), bad, '--hub', source.apiUrl]);
    expect(badImport.code).toBe(1);
    expect(badImport.stderr).toContain(`tracehub: cannot read ${path.join(dir, 'missing.json')}: ENOENT\n`);
    expect(badImport.stderr).toContain(`tracehub: ${bad}: not a trace file: expected an OTLP/JSON ExportTraceServiceRequest`);

    const args = await tracehub(['export', '--format', 'pdf', 'ab']);
    expect(args.code).toBe(2);
    expect(args.stderr).toMatch(/^tracehub: --format: must be json or html\n\nUsage:/);
    for (const r of [unknown, noToken, down, badImport, args]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
