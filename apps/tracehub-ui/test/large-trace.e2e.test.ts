// A large trace (over 50,000 spans) in real headless Chromium: a loop of 2,000
// identical queries is one folded row "× 2000" that a click expands, and Find
// asks the hub (GET /api/v1/traces/{id}/search) and selects the match, unfolding
// the run that hides it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { sendLargeTrace, type LargeTrace } from './send-large-trace';
import { launchChromium, watchedPage } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../dist/index.html');

let hub: HubHandle;
let browser: Browser;
let big: LargeTrace;

async function waitForSpans(apiUrl: string, traceId: string, count: number): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${apiUrl}/api/v1/traces?limit=20`);
    const t = ((await res.json()) as { traces: { traceId: string; spanCount: number }[] }).traces.find((x) => x.traceId === traceId);
    if (t && t.spanCount >= count) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`trace ${traceId} did not reach ${count} spans`);
}

beforeAll(async () => {
  if (!existsSync(dist)) throw new Error(`The UI is not built (${dist} is missing): run \`npm run build -w @tracelab/tracehub-ui\` first.`);
  hub = await startHub({ args: ['--max-queue', '200000'] });
  browser = await launchChromium();
  big = await sendLargeTrace(hub.otlpHttpUrl, 2000, 50_000);
  await waitForSpans(hub.apiUrl, big.traceId, big.spanCount);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop({ removeData: true });
});

const openTrace = async () => {
  const { page, problems } = await watchedPage(browser, { width: 1400, height: 850 });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${hub.apiUrl}/trace/${big.traceId}`);
  await page.locator('.waterfall[data-ready="true"]').waitFor({ timeout: 60_000 });
  return { page, problems, requests };
};

describe('a large trace in Chromium', () => {
  it('shows the loop of 2,000 identical queries as one row "× 2000" that expands on click', async () => {
    const { page, problems, requests } = await openTrace();
    expect(requests.some((u) => u.includes(`/api/v1/traces/${big.traceId}?format=compact`))).toBe(true);
    const fold = page.locator('[data-testid="fold-row"]');
    await expect.poll(() => fold.count()).toBe(1);
    await expect.poll(() => fold.first().getAttribute('data-fold-count')).toBe('2000');
    const text = await fold.first().innerText();
    expect(text).toContain('SELECT item');
    expect(text).toContain('× 2000');
    expect(text).toMatch(/total .+ · min .+ · max .+/);
    const rowsBefore = Number(await page.locator('.waterfall').getAttribute('data-rows'));
    // Every span but the 1,999 folded siblings and the needle under one of them has a row.
    expect(rowsBefore).toBe(big.spanCount - 1999 - 1);

    await fold.first().click();
    await expect.poll(async () => Number(await page.locator('.waterfall').getAttribute('data-rows'))).toBe(big.spanCount);
    expect(await page.locator('[data-testid="fold-row"]').count()).toBe(0);
    await expect.poll(() => page.locator('.span-row', { hasText: 'SELECT item' }).count()).toBeGreaterThan(5);
    // It folds back from its first row.
    await page.getByRole('button', { name: 'fold × 2000' }).click();
    await expect.poll(async () => Number(await page.locator('.waterfall').getAttribute('data-rows'))).toBe(rowsBefore);
    // The propagation doctor waits to be asked on a trace this large, then runs.
    expect(requests.some((u) => u.includes('/doctor'))).toBe(false);
    await page.getByRole('button', { name: 'Run the propagation doctor' }).click();
    await expect.poll(() => page.getByTestId('doctor').getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('Find asks the hub and selects the match, unfolding the loop that hides it', async () => {
    const { page, problems, requests } = await openTrace();
    await page.getByLabel('Find in trace').fill('needle');
    await expect.poll(() => page.getByTestId('match-count').innerText(), { timeout: 20_000 }).toBe('1 of 1');
    expect(requests.some((u) => u.includes(`/api/v1/traces/${big.traceId}/search?q=needle`))).toBe(true);
    await page.getByLabel('Find in trace').press('Enter');
    const detail = page.getByTestId('span-detail');
    await detail.waitFor();
    expect(await detail.locator('h2').innerText()).toContain('needle-span');
    // The selected row is in the DOM (revealed and scrolled to), under an unfolded loop.
    await expect.poll(() => page.locator('.span-row.selected', { hasText: 'needle-span' }).count()).toBe(1);
    expect(await page.locator('[data-testid="fold-row"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a span\'s subtree as the page\'s trace (?root=), asking the hub for only that subtree', async () => {
    const { page, problems, requests } = await openTrace();
    await page.locator('.span-row', { hasText: 'load items' }).first().click();
    await page.getByTestId('open-subtree').click();
    await page.getByTestId('subtree-note').waitFor();
    expect(await page.getByTestId('subtree-note').innerText()).toContain(`2,002 of ${big.spanCount.toLocaleString('en')} spans`);
    expect(requests.some((u) => /\?format=compact&root=[0-9a-f]{16}/.test(u))).toBe(true);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    // The subtree: "load items", its loop folded to one row.
    expect(Number(await page.locator('.waterfall').getAttribute('data-rows'))).toBe(2);
    expect(problems).toEqual([]);
    await page.close();
  });
});
