// End to end: the built UI, served by a real tracehub process, in real
// headless Chromium, with traces sent through the OpenTelemetry JS SDK.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Browser, Page } from 'playwright-core';
import { watchedPage, launchChromium, requireUiTestPrerequisites } from '@tracelab/test-support/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { makeSenders, sendHostileTrace, sendOrderTrace, waitForLogs, waitForTrace, XSS_IMG, XSS_SCRIPT, type Senders } from './send-traces';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../../../test-output/ui');

let hub: HubHandle;
let senders: Senders;
let browser: Browser;

beforeAll(async () => {
  requireUiTestPrerequisites(shots);
  hub = await startHub();
  senders = makeSenders(hub.otlpHttpUrl);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await senders?.shutdown();
  await hub?.stop({ removeData: true });
});

/** A page that records dialogs, uncaught errors and console errors. */
const openPage = () => watchedPage(browser, { width: 1400, height: 850 });

async function spanNames(page: Page): Promise<string[]> {
  return page.locator('.rows-scroller [role="treeitem"] .span-name').allTextContents();
}

/** From the search page, open a trace by clicking its result. */
async function openFromSearch(page: Page, traceId: string, query = ''): Promise<void> {
  await page.goto(`${hub.apiUrl}/${query}`);
  const link = page.locator(`li[data-trace-id="${traceId}"] a.trace-link`);
  await link.waitFor();
  await link.click();
  await page.waitForURL(`**/trace/${traceId}`);
  await page.locator('.waterfall[data-ready="true"]').waitFor();
}

// Runs first, while the hub is still empty.
it('says what to do when there is nothing to show', async () => {
  const { page, problems } = await openPage();
  await page.goto(hub.apiUrl);
  const empty = page.locator('.empty-state');
  await empty.waitFor();
  await expect(empty.textContent()).resolves.toContain('npm run scenario -- all');
  await page.goto(`${hub.apiUrl}/map`);
  await page.locator('.empty-state', { hasText: 'No traces in this time range' }).waitFor();
  await page.goto(`${hub.apiUrl}/trace/0123456789abcdef0123456789abcdef`);
  await page.locator('.error-box', { hasText: 'Trace not found' }).waitFor();
  await page.goto(`${hub.apiUrl}/no/such/page`);
  await page.getByText('Page not found').waitFor();
  // The theme toggle overrides the system colour scheme and is remembered.
  await page.getByRole('button', { name: 'Theme: system' }).click();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  await page.getByRole('button', { name: 'Theme: light' }).click();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  // A 404 for the missing trace is logged by the browser as a failed resource; nothing else may be.
  expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
  await page.close();
});

describe('tracehub UI in Chromium', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ids.success = sendOrderTrace(senders, 'success');
    ids.outOfStock = sendOrderTrace(senders, 'out-of-stock');
    ids.timeout = sendOrderTrace(senders, 'payment-timeout');
    await senders.flush();
    await waitForTrace(hub.apiUrl, ids.success, 5);
    await waitForTrace(hub.apiUrl, ids.outOfStock, 2);
    await waitForTrace(hub.apiUrl, ids.timeout, 4);
    await waitForLogs(hub.apiUrl, ids.outOfStock, 1);
  });

  it('finds the successful order through the search page and shows its span tree', async () => {
    const { page, problems } = await openPage();
    await page.goto(hub.apiUrl);
    // Search with filters set through the form: payment-service traces only.
    await page.getByLabel('Service').selectOption('payment-service');
    // The unfiltered first page may still be on screen: wait for the filtered answer to be shown.
    const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/traces?') && r.url().includes('service=payment-service'));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL('**/?service=payment-service');
    await filtered;
    await page.locator(`li[data-trace-id="${ids.outOfStock}"]`).waitFor({ state: 'detached' });
    await page.locator(`li[data-trace-id="${ids.success}"]`).waitFor();
    const listed = await page.locator('li.trace-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')));
    expect(listed).toContain(ids.timeout);
    expect(listed).not.toContain(ids.outOfStock);
    await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: true });

    await page.locator(`li[data-trace-id="${ids.success}"] a.trace-link`).click();
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    expect(await spanNames(page)).toEqual(['GET /order', 'check-stock', 'call-payment-api', 'process-payment', 'save-order']);
    const depths = await page.locator('.rows-scroller [role="treeitem"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-level')));
    expect(depths).toEqual(['1', '2', '2', '3', '2']);
    // A clean trace: no failure, but the header says where the time went.
    const explained = page.locator('[data-testid="explain"]');
    await expect(explained.getAttribute('data-kind')).resolves.toBe('slow');
    await expect(explained.textContent()).resolves.toContain('Where the time went: No errors; most time in payment-service process-payment (48 ms of 72 ms).');
    await page.screenshot({ path: path.join(shots, 'trace.png') });

    // Collapse all leaves the root; expand one level brings back its children.
    await page.getByRole('button', { name: 'Collapse all' }).click();
    expect(await spanNames(page)).toEqual(['GET /order']);
    await page.getByRole('button', { name: 'Expand one level' }).click();
    expect(await spanNames(page)).toEqual(['GET /order', 'check-stock', 'call-payment-api', 'save-order']);

    // Keyboard: "/" focuses find; arrows move the selection, which the URL keeps.
    await page.keyboard.press('/');
    await page.keyboard.type('process');
    await page.locator('[data-testid="match-count"]', { hasText: '1 of 1' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="span-detail"] h2', { hasText: 'process-payment' }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowUp');
    await page.locator('[data-testid="span-detail"] h2', { hasText: 'call-payment-api' }).waitFor();
    expect(page.url()).toMatch(/\?span=[0-9a-f]{16}$/);
    await page.keyboard.press('ArrowLeft'); // collapses call-payment-api
    expect(await spanNames(page)).toEqual(['GET /order', 'check-stock', 'call-payment-api', 'save-order']);
    await page.keyboard.press('ArrowRight'); // expands it again
    expect(await spanNames(page)).toContain('process-payment');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('explains the out-of-stock order: the span that raised it, with the exception message', async () => {
    const { page, problems } = await openPage();
    await openFromSearch(page, ids.outOfStock, '?status=error');
    expect(await spanNames(page)).toEqual(['GET /order', 'check-stock']);
    const failed = page.locator('[data-testid="explain"]');
    await expect(failed.locator('.explain-summary').textContent()).resolves.toBe('order-service check-stock failed with OutOfStockError: Out of stock: OutOfStockItem.');
    await expect(failed.getAttribute('data-kind')).resolves.toBe('error');
    await expect(page.locator('.span-row.error').count()).resolves.toBe(2);
    await failed.getByRole('button', { name: 'Show cause: check-stock' }).click();
    const detail = page.locator('[data-testid="span-detail"]');
    await detail.locator('h2', { hasText: 'check-stock' }).waitFor();
    await expect(detail.locator('.event.exception').textContent()).resolves.toContain('Out of stock: OutOfStockItem');
    await expect(detail.locator('.event.exception pre.stack').count()).resolves.toBe(1);
    // The span's log record, sent over OTLP with the span's context.
    await detail.locator('.logs li', { hasText: 'stock check failed for OutOfStockItem' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'trace-error.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('explains the payment timeout: the slow callee, who gave up, the same sentence as the explain API', async () => {
    const { page, problems } = await openPage();
    await openFromSearch(page, ids.timeout, '?status=error&minDuration=1s');
    expect(await spanNames(page)).toEqual(['GET /order', 'check-stock', 'call-payment-api', 'process-payment']);
    const failed = page.locator('[data-testid="explain"]');
    const api = (await (await fetch(`${hub.apiUrl}/api/v1/traces/${ids.timeout}/explain`)).json()) as { summary: string; cause: { name: string; kind: string } };
    expect(api.summary).toBe('order-service call-payment-api gave up after 2 s (its timeout); payment-service process-payment took 2 s and was cut off.');
    await expect(failed.locator('.explain-summary').textContent()).resolves.toBe(api.summary);
    await expect(failed.getAttribute('data-kind')).resolves.toBe('timeout');
    // The jump reveals the cause inside a collapsed tree and selects it.
    await page.getByRole('button', { name: 'Collapse all' }).click();
    expect(await spanNames(page)).toEqual(['GET /order']);
    await failed.getByRole('button', { name: 'Show cause: process-payment' }).click();
    await page.locator('[data-testid="span-detail"] h2', { hasText: 'process-payment' }).waitFor();
    expect(await spanNames(page)).toContain('process-payment');
    await page.getByRole('button', { name: 'Expand all' }).click();
    // The steps run one after another, so each is on the critical path; the
    // 2 s payment call takes nearly all of it.
    const onPath = await page.locator('.span-row.on-critical-path .span-name').allTextContents();
    expect(onPath).toEqual(['GET /order', 'check-stock', 'call-payment-api', 'process-payment']);
    await page.getByLabel('Critical path').uncheck();
    await expect(page.locator('.span-row.on-critical-path').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a new trace in live mode without a reload', async () => {
    const { page, problems } = await openPage();
    await page.goto(hub.apiUrl);
    await page.locator('li.trace-item').first().waitFor();
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    await page.getByRole('button', { name: 'Live' }).click();
    await page.locator('[data-live-state="open"]').waitFor();
    const fresh = sendOrderTrace(senders, 'success');
    await senders.flush();
    await page.locator(`li[data-trace-id="${fresh}"]`).waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    // Paused: a new trace is held back and counted, then shown on resume. (The
    // count can include updates of the trace above, whose spans arrive one by one.)
    await page.getByRole('button', { name: 'Pause' }).click();
    const held = sendOrderTrace(senders, 'out-of-stock');
    await senders.flush();
    await waitForTrace(hub.apiUrl, held, 2);
    const resume = page.getByRole('button', { name: /^Resume \(\d+ new\)$/ });
    await resume.waitFor({ timeout: 20_000 });
    await expect(page.locator(`li[data-trace-id="${held}"]`).count()).resolves.toBe(0);
    await resume.click();
    await page.locator(`li[data-trace-id="${held}"]`).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders HTML and script payloads in span data as text and runs none of them', async () => {
    const id = sendHostileTrace(senders);
    await senders.flush();
    await waitForTrace(hub.apiUrl, id, 2);
    const { page, problems } = await openPage();
    const response = await page.goto(hub.apiUrl);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await openFromSearch(page, id);
    expect(await spanNames(page)).toEqual([XSS_IMG, XSS_SCRIPT]);
    await expect(page.locator('[data-testid="explain"]').textContent()).resolves.toContain(XSS_IMG);
    await page.locator('.rows-scroller [role="treeitem"]').nth(1).click();
    const detail = page.locator('[data-testid="span-detail"]');
    await detail.waitFor();
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain(XSS_IMG); // event name, exception message
    expect(text).toContain(`at ${XSS_SCRIPT}`); // stack trace
    await page.locator('.rows-scroller [role="treeitem"]').nth(0).click();
    await detail.locator('th', { hasText: XSS_SCRIPT }).waitFor(); // attribute key
    expect(await detail.locator('td', { hasText: XSS_IMG }).count()).toBeGreaterThan(0); // attribute value
    // Nothing from the span data became an element.
    expect(await page.locator('#root img, #root script, #root svg[onload]').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'trace-hostile.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the service map from the server: a database node, edge labels, the traces behind an edge', async () => {
    // Which traces call payment-service from order-service, read from the traces themselves.
    type S = { spanId: string; parentSpanId: string | null; service: string };
    const all = ((await (await fetch(`${hub.apiUrl}/api/v1/traces?limit=1000`)).json()) as { traces: { traceId: string }[] }).traces;
    const paying: string[] = [];
    for (const t of all) {
      const spans = ((await (await fetch(`${hub.apiUrl}/api/v1/traces/${t.traceId}`)).json()) as { spans: S[] }).spans;
      const byId = new Map(spans.map((x) => [x.spanId, x]));
      if (spans.some((x) => x.service === 'payment-service' && byId.get(x.parentSpanId ?? '')?.service === 'order-service')) paying.push(t.traceId);
    }
    expect(paying).toEqual(expect.arrayContaining([ids.success!, ids.timeout!]));
    expect(paying).not.toContain(ids.outOfStock);

    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/map`);
    // save-order is a CLIENT span with db.system.name = postgresql: a database node, drawn as a cylinder.
    const db = page.locator('svg.service-map .node[data-kind="database"]');
    await db.waitFor();
    await expect(db.locator('.node-name').textContent()).resolves.toBe('postgresql');
    await expect(db.locator('ellipse.shape-rim').count()).resolves.toBe(1);
    await expect(page.locator('svg.service-map .node').count()).resolves.toBe(3);
    await expect(page.locator('svg.service-map .node[data-kind="service"]').count()).resolves.toBe(2);
    const edge = page.locator('svg.service-map .edge[data-source="order-service"][data-target="payment-service"]');
    const label = (await edge.locator('.edge-label').textContent()) ?? '';
    expect(label).toMatch(/^[\d.]+\/(s|min) · [\d.]+% err · p95 \S+/);
    // The payment timeout failed on the caller's side: the edge is red and its error rate is not 0.
    await expect(edge.getAttribute('class')).resolves.toContain('has-errors');
    expect(label).not.toContain(' 0.0% err');
    const dbEdge = page.locator('svg.service-map .edge[data-source="order-service"][data-target="db:postgresql"]');
    await expect(dbEdge.getAttribute('class')).resolves.not.toContain('has-errors');
    await expect(dbEdge.locator('.edge-label').textContent()).resolves.toMatch(/ 0\.0% err · p95 /);
    const row = page.locator('.edges-table tbody tr[data-target="payment-service"]');
    await expect(row.locator('td').nth(3).textContent()).resolves.toBe(String(paying.length));
    await page.screenshot({ path: path.join(shots, 'service-map.png') });

    // Click the edge: its traces are listed, exactly those with the call.
    await edge.locator('.edge-label').click();
    await page.waitForURL('**/map?range=1h&source=order-service&target=payment-service');
    const items = page.locator('[data-testid="edge-traces"] li[data-trace-id]');
    await items.first().waitFor();
    const listed = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')));
    expect([...listed].sort()).toEqual([...paying].sort());
    await page.screenshot({ path: path.join(shots, 'service-map-edge.png'), fullPage: true });
    // Click one: its trace page.
    await page.locator(`[data-testid="edge-traces"] li[data-trace-id="${ids.timeout}"] a.trace-link`).click();
    await page.waitForURL(`**/trace/${ids.timeout}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    // Back on the map the edge is still selected; clicking a service searches for it.
    await page.goBack();
    await items.first().waitFor();
    await page.locator('svg.service-map .node[data-node-id="payment-service"]').click();
    await page.waitForURL('**/?service=payment-service');
    expect(problems).toEqual([]);
    await page.close();
  });

  // After the service map test: this trace adds a service of its own.
  it('jumps to a cause far down a long trace: selects it and scrolls it into view', async () => {
    // 400 sibling steps; the last one fails. Names are not tracelab's; batched (one export per span would hit the exporter's limit).
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'batch-runner' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${hub.otlpHttpUrl}/v1/traces` }), { maxExportBatchSize: 500, maxQueueSize: 1000 })],
    });
    const tracer = provider.getTracer('e2e');
    const t0 = Date.now();
    const root = tracer.startSpan('batch', { kind: SpanKind.SERVER, startTime: t0 });
    const ctx = trace.setSpan(context.active(), root);
    for (let i = 0; i < 400; i++) {
      const step = tracer.startSpan(`item-${i}`, { startTime: t0 + i }, ctx);
      if (i === 399) {
        step.recordException(Object.assign(new Error('disk full'), { name: 'ENOSPC' }), t0 + i + 1);
        step.setStatus({ code: SpanStatusCode.ERROR, message: 'disk full' });
      }
      step.end(t0 + i + 1);
    }
    root.setStatus({ code: SpanStatusCode.ERROR });
    root.end(t0 + 401);
    const id = root.spanContext().traceId;
    await provider.shutdown();
    await waitForTrace(hub.apiUrl, id, 401);
    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/trace/${id}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    const failed = page.locator('[data-testid="explain"]');
    await expect(failed.locator('.explain-summary').textContent()).resolves.toBe('batch-runner item-399 failed with ENOSPC: disk full.');
    const row = page.locator('.rows-scroller [role="treeitem"]', { hasText: 'item-399' });
    await expect(row.count()).resolves.toBe(0); // far below the fold (rows are virtualised)
    await failed.getByRole('button', { name: 'Show cause: item-399' }).click();
    await page.locator('[data-testid="span-detail"] h2', { hasText: 'item-399' }).waitFor();
    await row.waitFor();
    const scroller = (await page.locator('.rows-scroller').boundingBox())!;
    const box = (await row.boundingBox())!;
    const middle = box.y + box.height / 2;
    expect(middle).toBeGreaterThan(scroller.y);
    expect(middle).toBeLessThan(scroller.y + scroller.height);
    await expect(row.getAttribute('aria-selected')).resolves.toBe('true');
    expect(problems).toEqual([]);
    await page.close();
  });
});
