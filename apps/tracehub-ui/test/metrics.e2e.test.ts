// A TraceQL metrics query in the search page's TraceQL box draws a line chart
// instead of the trace list: the built UI served by a real tracehub, in real
// headless Chromium, with traces sent through the OpenTelemetry JS SDK.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { makeSenders, sendHostileTrace, sendOrderTrace, waitForTrace, XSS_IMG, type Senders } from './send-traces';
import { launchChromium, watchedPage } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../dist/index.html');
const shots = path.resolve(here, '../../../test-output/ui');

let hub: HubHandle;
let senders: Senders;
let browser: Browser;
const ids: string[] = [];
// 15 minutes → the server's default step is 3 s; t0 sits 100 ms into a 3 s interval, so each trace's spans share one.
const STEP = 3000;
const t0 = Math.floor((Date.now() - 30_000) / STEP) * STEP + 100;

beforeAll(async () => {
  if (!existsSync(dist)) throw new Error(`The UI is not built (${dist} is missing): run \`npm run build -w @tracelab/tracehub-ui\` first.`);
  if (!existsSync('/usr/bin/chromium')) throw new Error('Chromium is missing: install it with `apt-get install -y chromium`.');
  mkdirSync(shots, { recursive: true });
  hub = await startHub();
  senders = makeSenders(hub.otlpHttpUrl);
  browser = await launchChromium();
  ids.push(...[0, 1, 2].map(() => sendOrderTrace(senders, 'success', t0)));
  const hostile = sendHostileTrace(senders, t0 - 6 * STEP);
  await senders.flush();
  for (const id of ids) await waitForTrace(hub.apiUrl, id, 5);
  await waitForTrace(hub.apiUrl, hostile, 1);
});

afterAll(async () => {
  await browser?.close();
  await senders?.shutdown();
  await hub?.stop({ removeData: true });
});

const href = (q: string) => `${hub.apiUrl}/?${new URLSearchParams({ q, range: '15m' })}`;

describe('TraceQL metrics chart in Chromium', () => {
  it('count_over_time() by service: a line and a legend entry per service; hover shows each value', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1300, height: 900 });
    await page.goto(href('{ resource.service.name =~ "order-service|payment-service" } | count_over_time() by (resource.service.name)'));
    const chart = page.locator('[data-testid="metrics-chart"]');
    await chart.waitFor();
    await expect(chart.getAttribute('data-series')).resolves.toBe('2');
    await expect(page.locator('[data-testid="metrics-legend-item"] .series-name').allTextContents()).resolves.toEqual([
      'resource.service.name="order-service"',
      'resource.service.name="payment-service"',
    ]);
    await expect(page.locator('path.metrics-line').count()).resolves.toBe(2);
    // The trace list is not shown for a metrics query.
    await expect(page.locator('[data-testid="results-count"]').count()).resolves.toBe(0);
    // 3 traces × 4 order-service spans, 3 payment-service spans, all in the interval ending at t0 - 100 + STEP.
    await expect(page.locator('.metrics-scale').first().textContent()).resolves.toContain('max 12');
    await expect(page.locator('.metrics-scale').nth(1).textContent()).resolves.toContain('step 3 s');

    // Hover where that interval's sample is drawn: x is its share of the chart's time span.
    const peak = t0 - 100 + STEP;
    const startMs = Number(await chart.getAttribute('data-start-ms'));
    const endMs = Number(await chart.getAttribute('data-end-ms'));
    const box = (await page.locator('.metrics-chart svg').boundingBox())!;
    const frac = (peak - startMs) / (endMs - startMs);
    await page.mouse.move(box.x + frac * box.width, box.y + box.height / 2);
    await expect(page.locator('[data-testid="metrics-value"]').allTextContents()).resolves.toEqual(['12', '3']);
    await expect(page.locator('[data-testid="metrics-hover-time"]').textContent()).resolves.toBe(await page.evaluate((t) => new Date(t).toLocaleTimeString(), peak));
    await page.screenshot({ path: path.join(shots, 'metrics-chart.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an exemplar dot opens the trace behind the sample', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1300, height: 900 });
    await page.goto(href('{ resource.service.name = "order-service" } | count_over_time()'));
    await page.locator('[data-testid="metrics-chart"]').waitFor();
    // One per interval with spans: the hostile trace's, and one of the three orders sent at t0.
    const shown = await page.locator('circle.metrics-exemplar').evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')));
    expect(shown).toHaveLength(2);
    const traceId = shown.find((id) => ids.includes(id!))!;
    expect(traceId).toBeDefined();
    await page.locator(`circle.metrics-exemplar[data-trace-id="${traceId}"]`).click();
    await page.waitForURL(new RegExp(`/trace/${traceId}\\?span=[0-9a-f]{16}$`));
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('span names with HTML are legend text, never markup', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1300, height: 900 });
    await page.goto(href('{ } | count_over_time() by (name)'));
    await page.locator('[data-testid="metrics-chart"]').waitFor();
    const names = await page.locator('[data-testid="metrics-legend-item"] .series-name').allTextContents();
    expect(names).toContain(`name=${JSON.stringify(XSS_IMG)}`);
    await expect(page.locator('.metrics-legend img').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an invalid metrics query shows the server\'s message', async () => {
    const { page } = await watchedPage(browser, { width: 1300, height: 900 });
    await page.goto(href('{ } | quantile_over_time(duration, 3)'));
    await page.getByText('Metrics query failed').waitFor();
    await expect(page.locator('body').textContent()).resolves.toMatch(/quantile between 0 and 1/);
    await page.close();
  });
});
