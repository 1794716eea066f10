// The load generator against a real order-service (with payment-service,
// PostgreSQL and tracehub): it holds the asked rate, and its counts match
// what the server says it handled (order-service's /metrics).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';
import type { HubHandle } from '@tracelab/test-support/hub';
import { freePort } from '../../../scripts/lib/ports.mjs';
import type { LoadReport } from '@tracelab/load';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;
let tmp: string;

function runLoad(args: string[]): Promise<{ code: number; stdout: string; stderr: string; report?: LoadReport }> {
  const json = join(tmp, `report-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, '--json', json, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      let report: LoadReport | undefined;
      try {
        report = JSON.parse(readFileSync(json, 'utf8')) as LoadReport;
      } catch {
        report = undefined;
      }
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, report });
    });
  });
}

async function ordersByOutcome(): Promise<Record<string, number>> {
  const text = await (await fetch(`${services.orderUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^tracelab_orders_total\{outcome="([A-Z_]+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'loadgen-'));
  lab = await startLab({ PAYMENT_TIMEOUT_MS: '500', DB_POOL_MAX: '20' });
  ({ hub, services } = lab);
});
afterAll(async () => {
  await lab?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm run load', () => {
  it('holds 50 req/s for 10 s with the seed mix, and its counts match the server', async () => {
    const before = await ordersByOutcome();
    const { code, stdout, stderr, report } = await runLoad(['--url', services.orderUrl, '--rate', '50', '--duration', '10s', '--mix', 'normal:80,out-of-stock:10,payment-timeout:10']);
    expect(stderr).toContain('Load: 50 req/s for 10 s (at most 500 requests)');
    expect(code).toBe(0);
    expect(report).toBeDefined();
    const r = report!;

    // The rate: all 500 sent, at 50/s ± 10% overall, and every second within ± 20% (a second of a
    // loaded 2-core machine may start late: 42 were seen in one second at load average 10, with the
    // schedule caught up in the next).
    expect(r.sent).toBe(500);
    expect(r.skipped).toBe(0);
    expect(r.achievedRate).toBeGreaterThan(45);
    expect(r.achievedRate).toBeLessThan(55);
    expect(r.sentPerSecond).toHaveLength(10);
    for (const n of r.sentPerSecond) {
      expect(n).toBeGreaterThanOrEqual(40);
      expect(n).toBeLessThanOrEqual(60);
    }

    // The mix, exactly (weighted round robin).
    expect(r.scenarios['normal']!.count).toBe(400);
    expect(r.scenarios['out-of-stock']!.count).toBe(50);
    expect(r.scenarios['payment-timeout']!.count).toBe(50);
    expect(r.scenarios['out-of-stock']!.byStatus).toEqual({ 409: 50 });
    expect(r.scenarios['payment-timeout']!.byStatus).toEqual({ 504: 50 });

    // Every request answered, and the server counted the same answers.
    expect(r.connectionFailures).toBe(0);
    expect(Object.values(r.total.byStatus).reduce((a, b) => a + b, 0)).toBe(500);
    const after = await ordersByOutcome();
    const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect(delta('CONFIRMED')).toBe(r.total.byStatus['200'] ?? 0);
    expect(delta('OUT_OF_STOCK')).toBe(r.total.byStatus['409'] ?? 0);
    expect(delta('PAYMENT_TIMEOUT')).toBe(r.total.byStatus['504'] ?? 0);
    const serverTotal = Object.keys(after).reduce((t, k) => t + delta(k), 0);
    expect(serverTotal).toBe(500);

    // The final table on stdout.
    expect(stdout).toMatch(/^total +500 +/m);
    expect(stdout).toMatch(/^500 requests sent in \d+\.\d s at \d+\.\d req\/s \(asked 50\)/m);
  });

  it('stops at --max-requests', async () => {
    const { code, report } = await runLoad(['--url', services.orderUrl, '--rate', '100', '--duration', '60s', '--max-requests', '30', '--mix', 'fast', '--no-progress']);
    expect(code).toBe(0);
    expect(report!.sent).toBe(30);
    expect(report!.total.byStatus).toEqual({ 200: 30 });
  });

  it('exits 1 when nothing answers, and gives up early', async () => {
    const port = await freePort();
    const { code, stderr, report } = await runLoad(['--url', `http://127.0.0.1:${port}`, '--rate', '20', '--duration', '30s']);
    expect(code).toBe(1);
    expect(stderr).toContain(`Stopped early: no answer from http://127.0.0.1:${port} after 20 attempts (ECONNREFUSED)`);
    expect(report!.total.failures['ECONNREFUSED']).toBeGreaterThanOrEqual(20);
    expect(report!.sent).toBeLessThan(600);
  });

  it('rejects bad arguments with exit 2 and the flag named', async () => {
    const { code, stderr } = await runLoad(['--rate', 'lots']);
    expect(code).toBe(2);
    expect(stderr).toContain('--rate: "lots" must be a number above 0');
  });
});
