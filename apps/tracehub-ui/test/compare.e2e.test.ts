// The compare page end to end: the built UI served by a real tracehub, in real
// headless Chromium, with traces sent through the OpenTelemetry JS SDK.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { makeSenders, sendOrderTrace, waitForTrace, type Senders } from './send-traces';
import { watchedPage, launchChromium, requireUiTestPrerequisites } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../../../test-output/ui');

let hub: HubHandle;
let senders: Senders;
let browser: Browser;
const ids = { success: [] as string[], timeout: '', outOfStock: '' };

beforeAll(async () => {
  requireUiTestPrerequisites(shots);
  hub = await startHub();
  senders = makeSenders(hub.otlpHttpUrl);
  browser = await launchChromium();
  const now = Date.now();
  // Four normal orders a few seconds apart, then a payment that hangs for 2 s, and one out of stock.
  for (let i = 0; i < 4; i++) ids.success.push(sendOrderTrace(senders, 'success', now - 20_000 + i * 3_000));
  ids.timeout = sendOrderTrace(senders, 'payment-timeout', now - 6_000);
  ids.outOfStock = sendOrderTrace(senders, 'out-of-stock', now - 3_000);
  await senders.flush();
  for (const id of ids.success) await waitForTrace(hub.apiUrl, id, 5);
  await waitForTrace(hub.apiUrl, ids.timeout, 4);
  await waitForTrace(hub.apiUrl, ids.outOfStock, 2);
});

afterAll(async () => {
  await browser?.close();
  await senders?.shutdown();
  await hub?.stop({ removeData: true });
});

const openPage = () => watchedPage(browser, { width: 1400, height: 850 });

describe('compare in Chromium', () => {
  it('from a trace: Compare with baseline shows the sentence and the slow payment first; a row opens its span', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/trace/${ids.timeout}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    await page.getByRole('link', { name: 'Compare with baseline' }).click();
    await page.waitForURL(`**/compare?a=${ids.timeout}&baseline=auto`);
    const summary = page.locator('[data-testid="compare-summary"]');
    await summary.waitFor();
    // The other five GET /order traces are the baseline.
    await expect(summary.textContent()).resolves.toMatch(
      /^payment-service: process-payment took [\d.]+ s longer in this trace \([\d.]+ s vs a median of \d+ ms over 5 baseline traces\)\.$/,
    );
    await page.getByText('5 traces with root').waitFor();

    const first = page.locator('tbody tr.compare-row').first();
    await expect(first.getAttribute('data-path')).resolves.toBe(
      'order-service: GET /order > order-service: call-payment-api > payment-service: process-payment',
    );
    await expect(first.getAttribute('data-in')).resolves.toBe('both');
    const diff = first.locator('td.diff').first();
    await expect(diff.getAttribute('class')).resolves.toContain('slower');
    await expect(diff.textContent()).resolves.toMatch(/^\+[\d.]+s$/);
    // save-order never ran in the timed-out trace: only in the baseline.
    const save = page.locator('tbody tr.compare-row[data-path="order-service: GET /order > order-service: save-order"]');
    await expect(save.getAttribute('data-in')).resolves.toBe('only-b');
    await expect(save.locator('.only-label').textContent()).resolves.toBe('only in baseline');
    await page.screenshot({ path: path.join(shots, 'compare-baseline.png'), fullPage: true });

    // A click on the row opens the trace with that span selected.
    await first.click();
    await page.waitForURL(new RegExp(`/trace/${ids.timeout}\\?span=[0-9a-f]{16}$`));
    await page.locator('[data-testid="span-detail"] h2', { hasText: 'process-payment' }).waitFor();
    await expect(page.locator('.rows-scroller [role="treeitem"][aria-selected="true"]', { hasText: 'process-payment' }).count()).resolves.toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('from the search list: pick two traces and compare them', async () => {
    const { page, problems } = await openPage();
    await page.goto(hub.apiUrl);
    const compare = page.getByRole('button', { name: 'Compare', exact: true });
    await page.locator(`li[data-trace-id="${ids.outOfStock}"]`).waitFor();
    await expect(compare.isDisabled()).resolves.toBe(true);
    await page.locator(`li[data-trace-id="${ids.outOfStock}"] input[type="checkbox"]`).check();
    await expect(compare.isDisabled()).resolves.toBe(true);
    await page.locator(`li[data-trace-id="${ids.success[3]}"] input[type="checkbox"]`).check();
    await compare.click();
    await page.waitForURL(`**/compare?a=${ids.outOfStock}&b=${ids.success[3]}`);
    const summary = page.locator('[data-testid="compare-summary"]');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toMatch(/^payment-service: process-payment ran only in trace b \(\d+ ms\), not in this trace\.$/);
    const onlyB = await page.locator('tbody tr.compare-row[data-in="only-b"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-path')));
    expect(onlyB).toContain('order-service: GET /order > order-service: call-payment-api');
    expect(onlyB).toContain('order-service: GET /order > order-service: call-payment-api > payment-service: process-payment');
    await expect(page.locator('tbody tr.compare-row[data-in="only-b"] .only-label').first().textContent()).resolves.toBe('only in b');
    // check-stock is in both, failed only in a: its error count shows on a's side.
    const stock = page.locator('tbody tr.compare-row[data-path="order-service: GET /order > order-service: check-stock"]');
    await expect(stock.getAttribute('data-in')).resolves.toBe('both');
    await expect(stock.locator('.badge.error').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(shots, 'compare-two.png'), fullPage: true });
    // An only-b row opens trace b at its span.
    await page.locator('tbody tr.compare-row', { hasText: 'process-payment' }).click();
    await page.waitForURL(new RegExp(`/trace/${ids.success[3]}\\?span=[0-9a-f]{16}$`));
    await page.locator('[data-testid="span-detail"] h2', { hasText: 'process-payment' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the API\'s advice when there is no baseline, and unknown traces', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/compare?a=${ids.timeout}&baseline=auto&window=1ms`);
    const box = page.locator('.error-box', { hasText: 'Cannot compare' });
    await box.waitFor();
    await expect(box.textContent()).resolves.toContain('widen the window');
    await page.goto(`${hub.apiUrl}/compare?a=${'f'.repeat(32)}&b=${ids.timeout}`);
    await page.locator('.error-box', { hasText: `trace ${'f'.repeat(32)} (a) not found` }).waitFor();
    // The browser logs the 404 answers as failed resources; nothing else may be.
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await page.close();
  });
});
