// The Services page in real headless Chromium against a real tracehub: RED
// sparklines and totals per service, a shaded band where spans carried
// lab.faults, and click-through from a point to the search (and from an
// exemplar dot to its trace).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { makeSenders, sendOrderTrace, waitForTrace, type Senders } from './send-traces';
import { watchedPage, launchChromium, requireUiTestPrerequisites } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../../../test-output/ui');
const FAULT = 'payment.latency=400ms';

let hub: HubHandle;
let senders: Senders;
let browser: Browser;
const normal: string[] = [];
const faulty: string[] = [];
let normalAt: number;
let faultAt: number;

/** A GET /order trace whose spans all carry lab.faults, as the lab's span processor tags them. */
function sendFaultyOrder(t0: number): string {
  const attributes = { 'lab.faults': FAULT, 'http.route': '/order' };
  const root = senders.order.startSpan('GET /order', { kind: SpanKind.SERVER, startTime: t0, attributes });
  const ctx = trace.setSpan(context.active(), root);
  const call = senders.order.startSpan('call-payment-api', { kind: SpanKind.CLIENT, startTime: t0 + 1, attributes }, ctx);
  const pay = senders.payment.startSpan('process-payment', { kind: SpanKind.SERVER, startTime: t0 + 2, attributes }, trace.setSpan(context.active(), call));
  pay.end(t0 + 452);
  call.end(t0 + 453);
  root.setStatus({ code: SpanStatusCode.UNSET });
  root.end(t0 + 455);
  return root.spanContext().traceId;
}

beforeAll(async () => {
  requireUiTestPrerequisites(shots);
  hub = await startHub();
  senders = makeSenders(hub.otlpHttpUrl);
  normalAt = Date.now() - 20 * 60_000;
  faultAt = Date.now() - 10 * 60_000;
  for (let i = 0; i < 3; i++) normal.push(sendOrderTrace(senders, 'success', normalAt + i * 10));
  normal.push(sendOrderTrace(senders, 'out-of-stock', normalAt + 30));
  for (let i = 0; i < 2; i++) faulty.push(sendFaultyOrder(faultAt + i * 50));
  await senders.flush();
  for (const id of normal.slice(0, 3)) await waitForTrace(hub.apiUrl, id, 5);
  await waitForTrace(hub.apiUrl, normal[3]!, 2);
  for (const id of faulty) await waitForTrace(hub.apiUrl, id, 3);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await senders?.shutdown();
  await hub?.stop({ removeData: true });
});

it('shows each service with sparklines, totals and the fault band; a point opens the search for its bucket', async () => {
  const { page, problems } = await watchedPage(browser, { width: 1400, height: 850 });
  await page.goto(hub.apiUrl);
  await page.getByRole('link', { name: 'Services' }).click();
  await page.waitForURL('**/services');
  const order = page.locator('tr.service-row[data-service="order-service"]');
  const payment = page.locator('tr.service-row[data-service="payment-service"]');
  await order.waitFor();
  await payment.waitFor();
  expect(await order.locator('svg.sparkline').count()).toBe(3);
  expect(await payment.locator('svg.sparkline').count()).toBe(3);
  // Server spans: 6 GET /order on order-service, 5 process-payment on payment-service; one out-of-stock error.
  expect(await order.locator('td.calls').textContent()).toBe('6');
  expect(await order.locator('td.error-rate').textContent()).toBe(`${((1 / 6) * 100).toFixed(1)}%`);
  expect(await payment.locator('td.calls').textContent()).toBe('5');
  expect(await payment.locator('td.error-rate').textContent()).toBe('0.0%');
  expect(await order.locator('td.p95').textContent()).toMatch(/^\d+(\.\d+)?ms$/);

  // The fault: one shaded band on every sparkline, titled with the lab.faults text.
  const bands = page.locator('rect.fault-band');
  expect(await bands.count()).toBe(6);
  expect(await bands.first().getAttribute('data-faults')).toBe(FAULT);
  expect(await bands.first().locator('title').textContent()).toContain(`lab.faults ${FAULT}`);
  expect(await page.locator('li.fault-interval').allTextContents()).toEqual([expect.stringContaining(`lab.faults ${FAULT}:`)]);
  const band = await bands.first().boundingBox();
  expect(band!.width).toBeGreaterThan(0);

  // Expand order-service: a row per operation (its server spans).
  await order.getByRole('button', { name: /order-service/ }).click();
  const op = page.locator('tr.operation-row[data-service="order-service"][data-operation="GET /order"]');
  await op.waitFor();
  expect(await op.locator('td.calls').textContent()).toBe('6');
  expect(await op.locator('rect.fault-band').count()).toBe(3);

  // Click the bucket holding the normal orders on the rate sparkline.
  const points = order.locator('svg.sparkline.rate rect.spark-point');
  const starts = await points.evaluateAll((els) => els.map((e) => ({ start: Number(e.getAttribute('data-start')), calls: Number(e.getAttribute('data-calls')) })));
  const i = starts.findIndex((p, j) => p.calls > 0 && p.start <= normalAt && (starts[j + 1]?.start ?? Infinity) > normalAt);
  expect(i).toBeGreaterThanOrEqual(0);
  expect(starts[i]!.calls).toBe(4);
  await points.nth(i).click({ force: true });
  await page.waitForURL('**/search?**');
  const url = new URL(page.url());
  expect(url.searchParams.get('service')).toBe('order-service');
  expect(url.searchParams.get('range')).toBe('custom');
  const start = Date.parse(url.searchParams.get('start')!);
  const end = Date.parse(url.searchParams.get('end')!);
  expect(start).toBeLessThanOrEqual(normalAt);
  expect(end).toBeGreaterThan(normalAt + 30);
  expect(end - start).toBeLessThanOrEqual(62_000);
  // The search shows exactly the traces of that bucket: the normal orders, not the faulty ones.
  for (const id of normal) await page.locator(`li[data-trace-id="${id}"]`).waitFor();
  for (const id of faulty) expect(await page.locator(`li[data-trace-id="${id}"]`).count()).toBe(0);
  expect(problems).toEqual([]);
});

it('an exemplar dot opens its trace', async () => {
  const { page, problems } = await watchedPage(browser, { width: 1400, height: 850 });
  await page.goto(`${hub.apiUrl}/services?range=1h`);
  const row = page.locator('tr.service-row[data-service="payment-service"]');
  await row.waitFor();
  const dots = row.locator('svg.sparkline.p95 circle.exemplar');
  expect(await dots.count()).toBe(2); // the normal bucket and the fault bucket
  const ids = await dots.evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')));
  // The fault bucket's slowest payment belongs to one of the faulty orders.
  expect(faulty).toContain(ids[1]);
  await dots.nth(1).click({ force: true });
  await page.waitForURL(`**/trace/${ids[1]}`);
  await page.locator('.waterfall[data-ready="true"]').waitFor();
  expect(problems).toEqual([]);
});
