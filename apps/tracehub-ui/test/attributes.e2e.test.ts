// "What is different" end to end: the built UI served by a real tracehub, in
// real headless Chromium. Drag a box around the slow traces on the scatter
// plot, read the ranked panel, click the value that sets them apart.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { makeSenders, waitForTrace, type Senders } from './send-traces';
import { watchedPage, launchChromium, requireUiTestPrerequisites } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../../../test-output/ui');

let hub: HubHandle;
let senders: Senders;
let browser: Browser;
const slow: string[] = [];
const fast: string[] = [];
let failed = '';

/** A checkout: the root and one child taking `ms`; `tier` on the root tells the slow ones apart. */
function checkout(t0: number, ms: number, tier: string, error = false): string {
  const root = senders.order.startSpan('GET /checkout', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'cart.tier': tier, 'http.route': '/checkout' } });
  const child = senders.order.startSpan('load-cart', { kind: SpanKind.INTERNAL, startTime: t0 + 2 }, trace.setSpan(context.active(), root));
  child.end(t0 + 2 + ms);
  if (error) root.setStatus({ code: SpanStatusCode.ERROR, message: 'checkout failed' });
  root.end(t0 + 5 + ms);
  return root.spanContext().traceId;
}

beforeAll(async () => {
  requireUiTestPrerequisites(shots);
  hub = await startHub();
  senders = makeSenders(hub.otlpHttpUrl);
  browser = await launchChromium();
  // Twelve traces over the last minute, two seconds apart; the middle three are slow.
  const now = Date.now() - 30_000;
  for (let i = 0; i < 12; i++) {
    const t0 = now - i * 2_000;
    if (i >= 4 && i < 7) slow.push(checkout(t0, 800 + i * 10, 'bulk'));
    else if (i === 9) fast.push((failed = checkout(t0, 30, 'small', true)));
    else fast.push(checkout(t0, 20 + i, 'small'));
  }
  await senders.flush();
  for (const id of [...slow, ...fast]) await waitForTrace(hub.apiUrl, id, 2);
});

afterAll(async () => {
  await browser?.close();
  await senders?.shutdown();
  await hub?.stop({ removeData: true });
});

async function centre(page: Page, traceId: string): Promise<{ x: number; y: number }> {
  const b = (await page.locator(`.scatter circle[data-trace-id="${traceId}"]`).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

async function listed(page: Page): Promise<string[]> {
  return page.locator('li.trace-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')!));
}

describe('what is different, in Chromium', () => {
  it('a box around the slow traces ranks cart.tier first; clicking bulk filters the search to them', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1400, height: 900 });
    await page.goto(hub.apiUrl);
    await page.locator('.scatter circle').first().waitFor();
    await expect.poll(() => page.locator('.scatter circle').count()).toBe(12);

    // From above and left of every slow dot to below them but above every fast one, and right of all.
    const slowDots = await Promise.all(slow.map((id) => centre(page, id)));
    const fastDots = await Promise.all(fast.map((id) => centre(page, id)));
    const svg = (await page.locator('.scatter svg').boundingBox())!;
    const lowestSlow = Math.max(...slowDots.map((d) => d.y));
    const highestFast = Math.min(...fastDots.map((d) => d.y));
    expect(lowestSlow).toBeLessThan(highestFast);
    const from = { x: Math.min(...slowDots.map((d) => d.x)) - 10, y: svg.y + 2 };
    const to = { x: Math.max(...slowDots.map((d) => d.x)) + 10, y: (lowestSlow + highestFast) / 2 };
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/analyze/attributes') && r.request().method() === 'POST');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await page.locator('.scatter .select-box.dragging').waitFor();
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    const res = await answered;
    const sent = JSON.parse(res.request().postData()!) as { selection: { box: { minDurationMs: number; maxDurationMs: number } } };
    expect(sent.selection.box.minDurationMs).toBeGreaterThan(60);
    expect(sent.selection.box.minDurationMs).toBeLessThan(800);
    // Still on the search page: the drag opened no trace, and the box stays drawn.
    expect(new URL(page.url()).pathname).toBe('/');
    await page.locator('.scatter .select-box:not(.dragging)').waitFor();

    const panel = page.locator('.attr-panel[data-state="done"]');
    await panel.waitFor();
    await expect(panel.getByTestId('attr-summary').textContent()).resolves.toBe(
      'cart.tier = bulk is on 100% of the selected traces and 0% of the others.',
    );
    await expect(panel.locator('.attr-counts').textContent()).resolves.toMatch(/^3 selected traces against 9 others/);
    const keys = await panel.locator('li.attr-key').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-scope')}:${e.getAttribute('data-key')}`));
    expect(keys[0]).toBe('span:cart.tier');
    expect(keys).toContain('intrinsic:span.name');
    expect(keys).toContain('resource:service.name');
    const tier = panel.locator('li.attr-key[data-key="cart.tier"]');
    await expect(tier.locator('button.attr-value').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')))).resolves.toEqual(['bulk', 'small']);
    await expect(tier.locator('button[data-value="bulk"] .share-label').allTextContents()).resolves.toEqual(['100%', '0%']);

    const btn = tier.locator('button[data-value="bulk"]');
    await page.screenshot({ path: path.join(shots, 'attributes.png'), fullPage: true });
    await btn.click();
    await page.waitForURL((u) => u.searchParams.getAll('attr').includes('cart.tier=bulk'));
    await expect.poll(async () => (await listed(page)).sort()).toEqual([...slow].sort());
    // The form shows the filter too.
    await expect(page.getByLabel('Attribute key').inputValue()).resolves.toBe('cart.tier');
    await expect(page.getByLabel('Attribute value').inputValue()).resolves.toBe('bulk');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a plain click on a dot still opens its trace', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1400, height: 900 });
    await page.goto(hub.apiUrl);
    await page.locator(`.scatter circle[data-trace-id="${fast[0]}"]`).click();
    await page.waitForURL(`**/trace/${fast[0]}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('"What is different about errors?" ranks span.status first; clicking error sets the status filter', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1400, height: 900 });
    await page.goto(hub.apiUrl);
    await page.getByRole('button', { name: 'What is different about errors?' }).click();
    const panel = page.locator('.attr-panel[data-state="done"]');
    await panel.waitFor();
    await expect(panel.locator('h2').textContent()).resolves.toBe('What is different about errors?');
    await expect(panel.getByTestId('attr-summary').textContent()).resolves.toBe('span.status = error is on 100% of the selected traces and 0% of the others.');
    const first = panel.locator('li.attr-key').first();
    await expect(first.getAttribute('data-key')).resolves.toBe('span.status');
    await first.locator('button[data-value="error"]').click();
    await page.waitForURL((u) => u.searchParams.get('status') === 'error');
    await expect.poll(() => listed(page)).toEqual([failed]);
    // A new search closes the panel.
    await expect(page.locator('.attr-panel').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
