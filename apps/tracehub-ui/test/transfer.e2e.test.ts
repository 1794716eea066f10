// Sharing a trace in real Chromium: the trace page's Export JSON and Download
// as HTML buttons, the offline file opened from file:// with the network off
// (no request made, spans, span details, the explanation, hostile span data as
// text), and the search page's Import button.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { makeSenders, sendHostileTrace, sendOrderTrace, waitForLogs, waitForTrace, XSS_IMG, XSS_SCRIPT, type Senders } from './send-traces';
import { launchChromium, watchedPage, watchProblems, requireUiTestPrerequisites } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const offlineBundle = path.resolve(here, '../dist/offline/offline.js');
const shots = path.resolve(here, '../../../test-output/ui');

let hub: HubHandle;
let senders: Senders;
let browser: Browser;
let dir: string;
const ids = { outOfStock: '', hostile: '', other: '' };

beforeAll(async () => {
  if (!existsSync(offlineBundle)) {
    throw new Error(`The UI is not built (${offlineBundle} is missing): run \`npm run build -w @tracelab/tracehub-ui\` or \`npm run build\` first.`);
  }
  requireUiTestPrerequisites(shots);
  dir = mkdtempSync(path.join(tmpdir(), 'tracehub-transfer-ui-'));
  hub = await startHub();
  senders = makeSenders(hub.otlpHttpUrl);
  browser = await launchChromium();
  ids.outOfStock = sendOrderTrace(senders, 'out-of-stock', Date.now() - 5_000);
  ids.hostile = sendHostileTrace(senders, Date.now() - 3_000);
  await senders.flush();
  await waitForTrace(hub.apiUrl, ids.outOfStock, 2);
  await waitForLogs(hub.apiUrl, ids.outOfStock, 1);
  await waitForTrace(hub.apiUrl, ids.hostile, 2);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await senders?.shutdown();
  await hub?.stop({ removeData: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const spanNames = (page: Page) => page.locator('.rows-scroller [role="treeitem"] .span-name').allTextContents();

/** Clicks a download link on the trace page and saves what it gives to `file`. */
async function download(page: Page, name: string, file: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  await dl.saveAs(file);
  return dl.suggestedFilename();
}

async function saveOfflineFile(traceId: string): Promise<string> {
  const { page, problems } = await watchedPage(browser, { width: 1300, height: 800 });
  await page.goto(`${hub.apiUrl}/trace/${traceId}`);
  await page.locator('.waterfall[data-ready="true"]').waitFor();
  const file = path.join(dir, `offline-${traceId}.html`);
  expect(await download(page, 'Download as HTML', file)).toBe(`trace-${traceId}.html`);
  expect(problems).toEqual([]);
  await page.close();
  return file;
}

/** Opens a file from disk in a context with the network off, where every request is aborted and recorded. */
async function openOffline(file: string) {
  const context = await browser.newContext({ viewport: { width: 1300, height: 800 } });
  await context.setOffline(true);
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    // The file itself is the one thing the browser reads; anything else is a request the file made.
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  const problems = watchProblems(page);
  await page.goto(url);
  await page.locator('.waterfall[data-ready="true"]').waitFor();
  return { page, context, requests, problems };
}

describe('sharing a trace in Chromium', () => {
  it('Export JSON downloads the trace as OTLP/JSON', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1300, height: 800 });
    await page.goto(`${hub.apiUrl}/trace/${ids.outOfStock}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    const file = path.join(dir, 'export.json');
    expect(await download(page, 'Export JSON', file)).toBe(`trace-${ids.outOfStock}.json`);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const spans = doc.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    expect(spans.map((s: any) => s.name).sort()).toEqual(['GET /order', 'check-stock']);
    expect(new Set(spans.map((s: any) => s.traceId))).toEqual(new Set([ids.outOfStock]));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the offline file opens from disk with the network off: spans, span details with logs, the explanation; no request', async () => {
    const file = await saveOfflineFile(ids.outOfStock);
    const explain = (await (await fetch(`${hub.apiUrl}/api/v1/traces/${ids.outOfStock}/explain`)).json()) as { summary: string };
    const { page, context, requests, problems } = await openOffline(file);
    expect(await spanNames(page)).toEqual(['GET /order', 'check-stock']);
    await expect(page.locator('[data-testid="offline-explain"] .explain-summary').textContent()).resolves.toBe(explain.summary);
    await expect(page.locator('[data-testid="offline-note"]').textContent()).resolves.toContain(`Offline copy of trace ${ids.outOfStock}`);
    // No links back to a hub in the file.
    await expect(page.getByRole('link', { name: 'Export JSON' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Compare with baseline' }).count()).resolves.toBe(0);

    await page.locator('.rows-scroller [role="treeitem"]').nth(1).click();
    const detail = page.locator('[data-testid="span-detail"]');
    await detail.locator('h2', { hasText: 'check-stock' }).waitFor();
    await expect(detail.locator('.event.exception').textContent()).resolves.toContain('Out of stock: OutOfStockItem');
    await detail.locator('.logs li', { hasText: 'stock check failed for OutOfStockItem' }).waitFor();
    await page.getByRole('button', { name: 'Close span detail' }).click();
    await detail.waitFor({ state: 'detached' });
    // The explanation's chain selects its spans.
    await page.locator('[data-testid="offline-explain"]').getByRole('button', { name: 'order-service: check-stock' }).click();
    await detail.locator('h2', { hasText: 'check-stock' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'trace-offline.png') });
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('hostile span data in the offline file renders as text and runs nothing', async () => {
    const file = await saveOfflineFile(ids.hostile);
    const html = readFileSync(file, 'utf8');
    // The embedded data cannot close its script element.
    expect(html).not.toContain(XSS_SCRIPT);
    const { page, context, requests, problems } = await openOffline(file);
    expect(await spanNames(page)).toEqual([XSS_IMG, XSS_SCRIPT]);
    await expect(page.locator('[data-testid="offline-explain"]').textContent()).resolves.toContain(XSS_IMG);
    await page.locator('.rows-scroller [role="treeitem"]').nth(1).click();
    const detail = page.locator('[data-testid="span-detail"]');
    await detail.waitFor();
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain(XSS_IMG);
    expect(text).toContain(`at ${XSS_SCRIPT}`);
    await page.locator('.rows-scroller [role="treeitem"]').nth(0).click();
    await detail.locator('th', { hasText: XSS_SCRIPT }).waitFor();
    expect(await detail.locator('td', { hasText: XSS_IMG }).count()).toBeGreaterThan(0);
    expect(await page.locator('#root img, #root script, #root svg[onload]').count()).toBe(0);
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('Export results on the search page downloads the found traces as OTLP/JSON lines', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1300, height: 800 });
    await page.goto(`${hub.apiUrl}/?status=error`);
    await page.locator(`li[data-trace-id="${ids.outOfStock}"]`).waitFor();
    const listed = await page.locator('li.trace-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')));
    const file = path.join(dir, 'results.jsonl');
    expect(await download(page, 'Export results', file)).toBe('traces.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const traceOf = (line: string) => JSON.parse(line).resourceSpans[0].scopeSpans[0].spans[0].traceId as string;
    expect(lines.map(traceOf).sort()).toEqual([...listed].sort());
    expect(listed).toContain(ids.hostile);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('Import on the search page stores a file and links to its trace; a bad file gets the reason', async () => {
    // A trace exported from the hub, given a new trace id: importing it adds a trace.
    const exported = await (await fetch(`${hub.apiUrl}/api/v1/traces/${ids.outOfStock}/export`)).text();
    ids.other = 'f1'.repeat(16);
    const file = path.join(dir, 'copy.json');
    writeFileSync(file, exported.replaceAll(ids.outOfStock, ids.other));
    const bad = path.join(dir, 'notes.json');
    writeFileSync(bad, '{"hello": "world"}');

    const { page, problems } = await watchedPage(browser, { width: 1300, height: 800 });
    await page.goto(hub.apiUrl);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import', exact: true }).click()]);
    await chooser.setFiles([file, bad]);
    const result = page.locator('[data-testid="import-result"]');
    await expect(result.textContent()).resolves.toBe(`copy.json: imported 2 spans of 1 trace${ids.other.slice(0, 12)}…`);
    await expect(page.locator('[data-testid="import-error"]').textContent()).resolves.toMatch(/^notes\.json: not a trace file: expected an OTLP\/JSON/);
    await result.getByRole('link').click();
    await page.waitForURL(`**/trace/${ids.other}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    expect(await spanNames(page)).toEqual(['GET /order', 'check-stock']);
    // Chromium logs the refused file's 400 itself; nothing else went wrong.
    expect(problems).toEqual(['console error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.close();
  });
});
