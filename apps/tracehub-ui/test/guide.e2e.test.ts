// The lab guide (/guide) end to end: the built UI served by a real tracehub, in
// real headless Chromium, while real order-service and payment-service (with
// PostgreSQL and the OpenTelemetry SDK) run the commands the guide shows. Each
// step must turn green by itself when its trace arrives, and link to it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { watchedPage, launchChromium, requireUiTestPrerequisites } from '@tracelab/test-support/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../scripts/lib/scenarios.mjs';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';
import type { HubHandle } from '@tracelab/test-support/hub';
import { toTraceDetail } from '../src/api/convert';
import { slowestStep } from '../src/guide/checks';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../../../test-output/ui');
const XSS = '<img src=x onerror=alert(1)>';

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;
let browser: Browser;

beforeAll(async () => {
  requireUiTestPrerequisites(shots);
  lab = await startLab({ PAYMENT_TIMEOUT_MS: '500' });
  ({ hub, services } = lab);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await lab?.stop();
});

const CHECKED_STEPS = ['normal', 'propagation', 'own-service', 'out-of-stock', 'payment-timeout', 'payment-failure'];
const RUNS = [
  { step: 'normal', status: 200 },
  { step: 'out-of-stock', status: 409 },
  { step: 'payment-timeout', status: 504 },
  { step: 'payment-failure', status: 502 },
] as const;

async function openGuide(): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await watchedPage(browser, { width: 1300, height: 900 });
  // Through the navigation, as a user finds it.
  await page.goto(hub.apiUrl);
  await page.getByRole('link', { name: 'Lab guide' }).click();
  await page.waitForURL('**/guide');
  await page.locator('.guide[data-loaded="true"]').waitFor();
  return { page, problems };
}

const step = (page: Page, id: string) => page.locator(`[data-step="${id}"]`);
const command = (page: Page, id: string, label = 'curl') => step(page, id).locator(`[data-command="${label}"] code`).first().textContent();

/** The curl command's body (`-d '…'`), sent to the hub's real OTLP port instead of the default one. */
async function sendLikeTheCommand(cmd: string, service?: string): Promise<Response> {
  const m = /^curl -s (\S+)\/v1\/traces -H 'content-type: application\/json' -d '(.*)'$/.exec(cmd);
  if (!m) throw new Error(`not the expected command: ${cmd}`);
  expect(m[1]).toBe('http://127.0.0.1:4318');
  const body = JSON.parse(m[2]!);
  if (service) body.resourceSpans[0].resource.attributes[0].value.stringValue = service;
  return fetch(`${hub.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('the lab guide in Chromium', () => {
  it('starts with every check pending, the commands of the seed and the pipeline drawn', async () => {
    const { page, problems } = await openGuide();
    await expect(page.getByRole('link', { name: 'Lab guide' }).getAttribute('class')).resolves.toBe('active');
    for (const id of CHECKED_STEPS) await expect(step(page, id).getAttribute('data-state')).resolves.toBe('pending');
    await expect(step(page, 'collector').getAttribute('data-state')).resolves.toBe('manual');
    await expect(page.locator('.guide-goal h2').allTextContents()).resolves.toEqual([
      '1 Feel why tracing is needed0 of 1 checked',
      '2 Understand how OpenTelemetry’s parts fit0 of 1 checked',
      '3 Wire Collector → Exporter → Backend0 of 1 checked',
      '4 Trace real error scenarios0 of 3 checked',
    ]);

    // The commands are the seed's calls, as `npm run scenario` and the launcher know them.
    for (const s of SCENARIOS) {
      await expect(command(page, s.name)).resolves.toBe(`curl -s 'http://127.0.0.1:8080${s.path}'`);
      await expect(command(page, s.name, 'or')).resolves.toBe(`npm run scenario -- ${s.name}`);
    }

    const diagram = page.locator('svg[data-testid="pipeline-diagram"]');
    await expect(diagram.isVisible()).resolves.toBe(true);
    const boxes = await diagram.locator('.pipeline-box-title').allTextContents();
    expect(boxes).toEqual([
      'OpenTelemetry SDK', 'OTLP exporter', 'OTLP receiver', 'Store', 'Query API', 'UI',
      'OpenTelemetry SDK', 'OTLP exporter', 'OTel Collector', 'Grafana Tempo', 'Grafana',
    ]);
    await expect(diagram.locator('.pipeline-flow').count()).resolves.toBe(9);
    await expect(diagram.locator('.pipeline-group text').textContent()).resolves.toBe('tracehub (one process)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('turns each step green without a reload as its trace arrives, and links to it', async () => {
    const { page, problems } = await openGuide();
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    await page.locator('[data-live-state="open"]').waitFor();

    const traceIds: Record<string, string> = {};
    for (const run of RUNS) {
      // Run the step's own command (against the test's order-service port).
      const cmd = (await command(page, run.step))!;
      const url = new URL(/'([^']+)'/.exec(cmd)![1]!);
      const res = await fetch(`${services.orderUrl}${url.pathname}${url.search}`);
      expect(res.status).toBe(run.status);
      const body = (await res.json()) as { traceId: string };
      traceIds[run.step] = body.traceId;

      await page.locator(`[data-step="${run.step}"][data-state="done"]`).waitFor();
      await expect(step(page, run.step).locator('a.guide-trace-link').getAttribute('data-trace-id')).resolves.toBe(body.traceId);
      await expect(step(page, run.step).locator('a.guide-trace-link').getAttribute('href')).resolves.toBe(`/trace/${body.traceId}`);
    }
    // The normal order also shows propagation: one trace across both services.
    await expect(step(page, 'propagation').getAttribute('data-state')).resolves.toBe('done');
    await expect(step(page, 'propagation').locator('a.guide-trace-link').getAttribute('data-trace-id')).resolves.toBe(traceIds.normal);
    // The other scenarios' traces do not complete each other's steps.
    await expect(step(page, 'own-service').getAttribute('data-state')).resolves.toBe('pending');

    // Goal 3: the hand-made OTLP export, sent as the page wrote it.
    const res = await sendLikeTheCommand((await command(page, 'own-service'))!);
    expect(res.status).toBe(200);
    await page.locator('[data-step="own-service"][data-state="done"]').waitFor();
    await expect(step(page, 'own-service').locator('.guide-found').textContent()).resolves.toContain('from my-first-service');
    await expect(page.locator('.guide-goal-count').allTextContents()).resolves.toEqual(['1 of 1 checked', '1 of 1 checked', '1 of 1 checked', '3 of 3 checked']);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    // The app scrolls inside its content pane: a tall viewport shows the whole guide.
    await page.setViewportSize({ width: 1300, height: 2900 });
    await page.screenshot({ path: path.join(shots, 'guide.png') });
    await page.setViewportSize({ width: 1300, height: 900 });

    // Answers are read from the traces and link to the span.
    const answer = async (id: string, expected: string[]) => {
      const q = step(page, id).locator('.guide-question');
      await q.getByText('Check your answer').click();
      for (const text of expected) await q.locator('.guide-answer', { hasText: text }).waitFor();
      return q;
    };
    // The slowest step is whatever the trace says (with delay=100 usually process-payment; on a loaded
    // machine a cold query can take longer): the answer must name the span the trace holds up longest.
    const normal = toTraceDetail(await (await fetch(`${hub.apiUrl}/api/v1/traces/${traceIds.normal}`)).json());
    const slow = slowestStep(normal.spans)!;
    expect(slow).toBeDefined();
    await answer('normal', [`${slow.name} (${slow.service}) spent`]);
    const hop = await answer('propagation', ['(payment-service) is a child of', '(order-service)']);
    await expect(hop.locator('a.guide-span').count()).resolves.toBe(2);
    await answer('out-of-stock', ['check-stock (order-service) failed', 'Not enough stock']);
    await answer('payment-failure', ['process-payment (payment-service)']);
    const timeout = await answer('payment-timeout', ['call-payment-api (order-service) gave up after', 'within 500 ms', 'process-payment (payment-service) ran']);

    // "Which span gave up?" opens the timeout trace with that span selected.
    const gaveUp = timeout.locator('a.guide-span').first();
    const spanId = await gaveUp.getAttribute('data-span-id');
    await gaveUp.click();
    await page.waitForURL(`**/trace/${traceIds['payment-timeout']}?span=${spanId}`);
    await page.locator('[data-testid="span-detail"] h2', { hasText: 'call-payment-api' }).waitFor();
    await page.goBack();
    await page.locator('[data-step="payment-timeout"][data-state="done"]').waitFor();

    // A step's trace link opens that trace.
    await step(page, 'out-of-stock').locator('a.guide-trace-link').click();
    await page.waitForURL(`**/trace/${traceIds['out-of-stock']}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    await expect(page.locator('.rows-scroller [role="treeitem"] .span-name').allTextContents()).resolves.toContain('check-stock');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows span-derived text literally', async () => {
    const { page, problems } = await openGuide();
    await page.locator('[data-step="own-service"][data-state="done"]').waitFor();
    const res = await sendLikeTheCommand((await command(page, 'own-service'))!, XSS);
    expect(res.status).toBe(200);
    await step(page, 'own-service').locator('.guide-found', { hasText: `from ${XSS}` }).waitFor();
    await expect(page.locator('.guide img').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
