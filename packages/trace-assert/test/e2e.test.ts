// The assertion runner end to end: real PostgreSQL, tracehub, payment-service
// and order-service (started the way the services' own e2e tests start them),
// the built CLI as a child process, the shipped specs and a broken one.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';
import type { HubHandle } from '@tracelab/test-support/hub';
import { freePort } from '../../../scripts/lib/ports.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'packages/trace-assert/dist/cli.js');

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;
let tmp: string;

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, '--url', services.orderUrl, '--tracehub', hub.apiUrl, '--settle', '300ms', ...args], { cwd: root }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'trace-assert-'));
  lab = await startLab({ PAYMENT_TIMEOUT_MS: '500' });
  ({ hub, services } = lab);
});
afterAll(async () => {
  await lab?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('npm run assert', () => {
  it('passes the three shipped specs and writes JUnit XML', async () => {
    const junit = join(tmp, 'pass.xml');
    const { code, stdout } = await runCli(['--junit', junit, join(root, 'specs')]);
    expect(stdout).toMatch(/3 scenarios, \d+ assertions: \d+ passed, 0 failed\. OK/);
    expect(code).toBe(0);
    for (const name of ['normal', 'out-of-stock', 'payment-timeout']) expect(stdout).toMatch(new RegExp(`^${name}  \\(.*${name}\\.yaml\\)  trace [0-9a-f]{32}$`, 'm'));
    expect(stdout).not.toContain('FAIL');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="trace-assert" tests="\d+" failures="0" errors="0"/);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
  });

  it('fails a broken spec, naming the span and the rule', async () => {
    const broken = join(tmp, 'broken.yaml');
    const text = readFileSync(join(root, 'specs/out-of-stock.yaml'), 'utf8')
      .replace('name: out-of-stock', 'name: out-of-stock-broken')
      // Wrong on purpose: check-stock fails in this scenario, and there are two database spans under it.
      .replace(/(- span: check-stock\n(?:.*\n)*?\s+status: )error/, '$1ok')
      .replace(/min: 1\n(\s+)max: 3/, 'max: 1');
    writeFileSync(broken, text);
    const junit = join(tmp, 'broken.xml');
    const { code, stdout } = await runCli(['--junit', junit, broken]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL {2}assertions\[1\] "check-stock" \[order-service\]: status is ok\n {10}span "check-stock" \[order-service\] [0-9a-f]{16}: status is error \("Not enough stock/);
    expect(stdout).toMatch(/FAIL {2}assertions\[2\] "\*" under "check-stock": at most 1 span\n {10}found 2: span "UPDATE products" \[order-service\] [0-9a-f]{16}; span "SELECT products" \[order-service\]/);
    expect(stdout).toMatch(/1 scenario, \d+ assertions: \d+ passed, 2 failed\. 1 scenario FAILED/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/failures="2" errors="0"/);
    expect(xml).toContain('<testcase classname="out-of-stock-broken" name="assertions[1] &quot;check-stock&quot; [order-service]: status is ok" time="0">');
  });

  it('reports a system that does not answer as an error, exit 1', async () => {
    const port = await freePort(); // nothing listens there
    const { code, stdout } = await runCli(['--url', `http://127.0.0.1:${port}`, '--junit', join(tmp, 'down.xml'), join(root, 'specs/normal.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toContain(`ERROR  GET http://127.0.0.1:${port}/order?productName=Book&delay=100 failed: ECONNREFUSED. Is the system running (npm start)?`);
  });

  it('rejects a bad spec before running anything, exit 2', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'name: x\nrequest: { path: /order }\nresponse: { status: 200 }\nassertions:\n  - span: a\n    stauts: ok\n');
    const { code, stderr, stdout } = await runCli([bad]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${bad}: assertions[0]: unknown key "stauts"`);
    expect(stdout).toBe('');
  });
});
