// In real headless Chromium: the storefront page against real order-service,
// payment-service, PostgreSQL and tracehub. Each scenario button's trace
// starts at the click in the browser and continues through both services,
// and its "open trace" link shows it in tracehub's UI.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace, type TraceSpan } from '@tracelab/trace-assert';
import { freePort } from '../../../scripts/lib/ports.mjs';
import { startProcess, waitForReady } from '../../../scripts/lib/processes.mjs';
import { startLab, type Lab, type Services } from '@tracelab/test-support/system';
import { launchChromium } from '@tracelab/test-support/browser';
import type { HubHandle } from '@tracelab/test-support/hub';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shots = join(root, 'test-output/storefront');

let hub: HubHandle;
let services: Services;
let lab: Lab | undefined;
let storefront: ReturnType<typeof startProcess>;
let storefrontUrl: string;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // The browser posts spans across origins: tracehub must allow this page's
  // origin, whose port is picked only once everything else listens (a port
  // picked earlier could be taken by then).
  lab = await startLab({ PAYMENT_TIMEOUT_MS: '500' }, { args: ['--cors-origins', 'http://127.0.0.1:*'] });
  ({ hub, services } = lab);
  const port = await freePort();
  storefrontUrl = `http://127.0.0.1:${port}`;
  storefront = startProcess({
    name: 'storefront',
    command: process.execPath,
    args: [join(root, 'apps/storefront/dist/main.js')],
    env: { PORT: String(port), ORDER_URL: services.orderUrl, TRACEHUB_UI_URL: hub.apiUrl, STOREFRONT_OTLP_ENDPOINT: hub.otlpHttpUrl },
    quiet: true,
  });
  await waitForReady(`${storefrontUrl}/ready`, { proc: storefront });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await storefront?.stop();
  await lab?.stop();
});

let release: () => void = () => {};
let held: Promise<void> = Promise.resolve();

async function openStorefront(): Promise<{ page: Page; problems: string[] }> {
  return openStorefrontWith(async () => {});
}

/** The storefront in a new page; `before` may install request routes first (held back until `release()`). */
async function openStorefrontWith(before: (page: Page) => Promise<void>): Promise<{ page: Page; problems: string[] }> {
  held = new Promise<void>((r) => (release = r));
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  await before(page);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs every non-2xx answer; failing orders are what this page is for. CSP violations ("Refused to ...") still count.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded with a status of')) problems.push(`console error: ${m.text()}`);
  });
  await page.goto(storefrontUrl);
  await page.locator('body[data-ready="true"]').waitFor();
  return { page, problems };
}

const CASES = [
  { button: 'Normal order', status: '200', answer: 'CONFIRMED', services: ['order-service', 'payment-service'], error: undefined },
  { button: 'Out of stock', status: '409', answer: 'OUT_OF_STOCK: Not enough stock', services: ['order-service'], error: 'check-stock' },
  { button: 'Payment timeout', status: '504', answer: 'PAYMENT_TIMEOUT', services: ['order-service', 'payment-service'], error: 'call-payment-api' },
];

describe('storefront in Chromium', () => {
  it.each(CASES)('$button: the answer appears, and its trace starts at the click in the browser', async (c) => {
    const { page, problems } = await openStorefront();
    await page.getByRole('button', { name: c.button, exact: true }).click();
    const row = page.locator('#answers tbody tr').first();
    await row.locator('a.trace-link').waitFor();
    await expect(row.locator('td.status').textContent()).resolves.toBe(c.status);
    await expect(row.locator('td.answer').textContent()).resolves.toContain(c.answer);
    await expect(row.locator('td.latency').textContent()).resolves.toMatch(/^\d+ ms$/);
    const traceId = (await row.locator('a.trace-link').getAttribute('data-trace-id'))!;
    const href = (await row.locator('a.trace-link').getAttribute('href'))!;
    expect(href).toBe(`${hub.apiUrl}/trace/${traceId}`);
    await page.screenshot({ path: join(shots, `storefront-${c.status}.png`) });

    // The trace in tracehub: the browser's click is the root, its fetch the parent of order-service's server span.
    const spans = (await readTrace(hub.apiUrl, traceId, 15_000, 700))!;
    expect(spans).toBeDefined();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const roots = spans.filter((s) => s.parentSpanId === null);
    expect(roots.map((s) => [s.service, s.name])).toEqual([['storefront', 'click']]);
    const server = spans.find((s) => s.service === 'order-service' && s.kind === 'server')!;
    expect(server.name).toBe('GET /order');
    const fetchSpan = byId.get(server.parentSpanId!) as TraceSpan;
    expect([fetchSpan.service, fetchSpan.kind]).toEqual(['storefront', 'client']);
    expect(fetchSpan.attributes.find((a) => a.key === 'http.response.status_code' || a.key === 'http.status_code')?.value.value).toBe(c.status);
    expect(fetchSpan.parentSpanId).toBe(roots[0]!.spanId);
    expect([...new Set(spans.map((s) => s.service))].sort()).toEqual(['storefront', ...c.services].sort());
    if (c.error) expect(spans.find((s) => s.name === c.error)!.status.code).toBe('error');

    // The link opens the trace in tracehub's UI, with the browser's spans on top.
    await page.goto(href);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    const names = await page.locator('.rows-scroller [role="treeitem"] .span-name').allTextContents();
    expect(names[0]).toBe('click');
    expect(names).toContain('GET /order');
    if (c.services.includes('payment-service')) expect(names).toContain('process-payment');
    const waterfall = (await page.locator('.waterfall').textContent())!;
    for (const s of ['storefront', ...c.services]) expect(waterfall).toContain(s);
    await page.screenshot({ path: join(shots, `trace-${c.status}.png`) });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a burst fires N concurrent orders from one click: one trace, N answers', async () => {
    const { page, problems } = await openStorefront();
    await page.locator('#burst-form input[name="count"]').fill('5');
    await page.getByRole('button', { name: 'Fire burst' }).click();
    await expect.poll(() => page.locator('#answers tbody tr a.trace-link').count(), { timeout: 20_000 }).toBe(5);
    const ids = await page.locator('#answers tbody tr a.trace-link').evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')));
    expect(new Set(ids).size).toBe(1);
    const spans = (await readTrace(hub.apiUrl, ids[0]!, 15_000, 700))!;
    expect(spans.filter((s) => s.name === 'GET /order')).toHaveLength(5);
    expect(spans.filter((s) => s.parentSpanId === null).map((s) => s.name)).toEqual(['submit']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the custom order form: what you type is sent as data and the answer shown as text', async () => {
    const { page, problems } = await openStorefront();
    await page.locator('#order-form input[name="productName"]').fill('<img src=x onerror=alert(1)>');
    await page.getByRole('button', { name: 'Order', exact: true }).click();
    const row = page.locator('#answers tbody tr').first();
    await row.locator('td.status', { hasText: '404' }).waitFor();
    await expect(row.locator('td.answer').textContent()).resolves.toContain('UNKNOWN_PRODUCT');
    await expect(row.locator('img').count()).resolves.toBe(0);
    await expect(row.locator('td').nth(1).textContent()).resolves.toContain('<img src=x onerror=alert(1)>');
    expect(problems).toEqual([]);
    await page.close();
  });
  it('the Load button runs the load generator against order-service and shows its table', async () => {
    const { page, problems } = await openStorefront();
    await page.locator('#load-form input[name="rate"]').fill('10');
    await page.locator('#load-form input[name="durationS"]').fill('2');
    await page.locator('#load-form input[name="mix"]').fill('normal:1,out-of-stock:1');
    await page.getByRole('button', { name: 'Start load' }).click();
    await page.locator('#load-progress', { hasText: 'Done: 20 requests' }).waitFor({ timeout: 20_000 });
    const table = (await page.locator('#load-table').textContent())!;
    expect(table).toMatch(/^normal +10 +200:10 /m);
    expect(table).toMatch(/^out-of-stock +10 +409:10 /m);
    expect(problems).toEqual([]);
    await page.close();
  });

  // Last: it changes the services' switches (and turns them all off again).
  it('fault switches from the page: the next order breaks, its spans carry lab.faults, the trace view says so; all off again: clean', async () => {
    const { page, problems } = await openStorefront();
    await page.locator('#faults-active', { hasText: 'Active: none' }).waitFor();
    await page.locator('#faults-form input[name="payment.errorRate"]').fill('100');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#faults-active', { hasText: 'Active: payment.errorRate=100%' }).waitFor();

    await page.getByRole('button', { name: 'Normal order', exact: true }).click();
    const row = page.locator('#answers tbody tr').first();
    await row.locator('a.trace-link').waitFor();
    await expect(row.locator('td.status').textContent()).resolves.toBe('502');
    const traceId = (await row.locator('a.trace-link').getAttribute('data-trace-id'))!;
    const spans = (await readTrace(hub.apiUrl, traceId, 15_000, 700))!;
    const faults = (s: TraceSpan) => s.attributes.find((a) => a.key === 'lab.faults')?.value.value;
    const serviceSpans = spans.filter((s) => s.service !== 'storefront');
    expect(serviceSpans.length).toBeGreaterThan(5);
    expect(new Set(serviceSpans.map(faults))).toEqual(new Set(['payment.errorRate=100%']));
    expect(spans.find((s) => s.name === 'process-payment')!.status.code).toBe('error');
    await page.goto((await row.locator('a.trace-link').getAttribute('href'))!);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    await expect(page.locator('[data-testid="lab-faults"]').textContent()).resolves.toBe('Lab faults: payment.errorRate=100%');
    await page.screenshot({ path: join(shots, 'trace-lab-faults.png') });

    await page.goto(storefrontUrl);
    await page.locator('#faults-active', { hasText: 'Active: payment.errorRate=100%' }).waitFor();
    await page.getByRole('button', { name: 'All off' }).click();
    await page.locator('#faults-active', { hasText: 'Active: none' }).waitFor();
    await page.getByRole('button', { name: 'Normal order', exact: true }).click();
    const clean = page.locator('#answers tbody tr').first();
    await clean.locator('a.trace-link').waitFor();
    await expect(clean.locator('td.status').textContent()).resolves.toBe('200');
    const cleanId = (await clean.locator('a.trace-link').getAttribute('data-trace-id'))!;
    const cleanSpans = (await readTrace(hub.apiUrl, cleanId, 15_000, 700))!;
    expect(cleanSpans.map(faults).filter((f) => f !== undefined)).toEqual([]);
    await page.goto(`${hub.apiUrl}/trace/${cleanId}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    await expect(page.locator('[data-testid="lab-faults"]').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a late answer to the first read of the switches never undoes what the user applied', async () => {
    const { page, problems } = await openStorefrontWith(async (p) => {
      // The page's first GET /api/faults answers late, and with the state from before the change.
      let first = true;
      await p.route('**/api/faults', async (route) => {
        if (route.request().method() !== 'GET' || !first) return route.continue();
        first = false;
        await held;
        return route.fulfill({ json: { faults: { 'payment.errorRate': 0 }, active: '' } });
      });
    });
    await page.locator('#faults-form input[name="payment.errorRate"]').fill('100');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#faults-active', { hasText: 'Active: payment.errorRate=100%' }).waitFor();
    const late = page.waitForResponse((r) => r.url().endsWith('/api/faults') && r.request().method() === 'GET');
    release();
    await late;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    await expect(page.locator('#faults-active').textContent()).resolves.toBe('Active: payment.errorRate=100%');
    await expect(page.locator('#faults-form input[name="payment.errorRate"]').inputValue()).resolves.toBe('100');
    await page.getByRole('button', { name: 'All off' }).click();
    await page.locator('#faults-active', { hasText: 'Active: none' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});
