// The trace page's views end to end: the built UI served by a real tracehub,
// in real headless Chromium, with traces sent through the OpenTelemetry JS SDK:
// an order with an N+1 of 30 stock queries, and a worker trace linking to it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { waitForTrace, XSS_IMG, XSS_SCRIPT } from './send-traces';
import { launchChromium, watchedPage, requireUiTestPrerequisites } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../../../test-output/ui');

const QUERIES = 30;
let hub: HubHandle;
const providers: BasicTracerProvider[] = [];
let browser: Browser;
const order = { traceId: '', root: '', handler: '', warm: '', queries: [] as string[], payment: '', save: '' };
const worker = { traceId: '', span: '' };
const hostile = { traceId: '' };
const SPANS = 1 + 1 + 1 + QUERIES + 2 + 1;

const child = (tracer: Tracer, parent: Span, name: string, kind: SpanKind, startMs: number, attributes = {}) =>
  tracer.startSpan(name, { kind, startTime: startMs, attributes }, trace.setSpan(context.active(), parent));

//  GET /order [0 ............................................................ 100]
//    load-cart [1 ................................ 66]
//      warm-cache [1 . 3]              (parallel with the first query: not on the critical path)
//      30 × pg.query SELECT * FROM stock WHERE id = <n>, 2 ms each from 2 to 62
//    call-payment-api [67 ......... 90]  → payment-service process-payment [68 .. 88]
//    save-order [91 .. 98]
interface Tracers {
  order: Tracer;
  payment: Tracer;
  worker: Tracer;
}

/** A batching SDK per service (36 spans at once are more than a simple processor may export concurrently). */
function makeTracers(otlpHttpUrl: string): Tracers {
  const tracer = (service: string) => {
    const p = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` }))],
    });
    providers.push(p);
    return p.getTracer('tracehub-ui-e2e');
  };
  return { order: tracer('order-service'), payment: tracer('payment-service'), worker: tracer('worker-service') };
}

function sendOrder(s: Tracers, t0: number): void {
  const root = s.order.startSpan('GET /order', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.route': '/order' } });
  const handler = child(s.order, root, 'load-cart', SpanKind.INTERNAL, t0 + 1);
  const warm = child(s.order, handler, 'warm-cache', SpanKind.INTERNAL, t0 + 1);
  warm.end(t0 + 3);
  for (let k = 0; k < QUERIES; k++) {
    const q = child(s.order, handler, 'pg.query', SpanKind.CLIENT, t0 + 2 + 2 * k, {
      'db.system.name': 'postgresql',
      'db.query.text': `SELECT * FROM stock WHERE id = ${100 + k * 7}`,
    });
    q.end(t0 + 4 + 2 * k);
    order.queries.push(q.spanContext().spanId);
  }
  handler.end(t0 + 66);
  const call = child(s.order, root, 'call-payment-api', SpanKind.CLIENT, t0 + 67);
  const pay = child(s.payment, call, 'process-payment', SpanKind.SERVER, t0 + 68);
  pay.end(t0 + 88);
  call.end(t0 + 90);
  const save = child(s.order, root, 'save-order', SpanKind.INTERNAL, t0 + 91);
  save.end(t0 + 98);
  root.end(t0 + 100);
  Object.assign(order, {
    traceId: root.spanContext().traceId,
    root: root.spanContext().spanId,
    handler: handler.spanContext().spanId,
    warm: warm.spanContext().spanId,
    payment: pay.spanContext().spanId,
    save: save.spanContext().spanId,
  });
}

/** A separate trace whose span links to `link` (the order's save-order span). */
function sendWorker(s: Tracers, t0: number, link: { traceId: string; spanId: string }): void {
  const span = s.worker.startSpan('process order event', {
    kind: SpanKind.CONSUMER,
    startTime: t0,
    links: [{ context: { ...link, traceFlags: 1 }, attributes: { 'messaging.operation.type': 'process' } }],
  });
  span.end(t0 + 5);
  worker.traceId = span.spanContext().traceId;
  worker.span = span.spanContext().spanId;
}

/** Names, a statement and a link attribute carrying HTML/script payloads. */
function sendHostile(s: Tracers, t0: number): void {
  const root = s.order.startSpan(XSS_IMG, { kind: SpanKind.SERVER, startTime: t0 });
  for (let k = 0; k < 3; k++) {
    const q = child(s.order, root, XSS_SCRIPT, SpanKind.CLIENT, t0 + 1 + k, { 'db.system.name': 'postgresql', 'db.query.text': `SELECT '${XSS_IMG}' FROM t WHERE id = ${k}` });
    q.end(t0 + 2 + k);
  }
  root.end(t0 + 10);
  hostile.traceId = root.spanContext().traceId;
}

beforeAll(async () => {
  requireUiTestPrerequisites(shots);
  hub = await startHub();
  const tracers = makeTracers(hub.otlpHttpUrl);
  browser = await launchChromium();
  const now = Date.now() - 10_000;
  sendOrder(tracers, now);
  sendWorker(tracers, now + 2_000, { traceId: order.traceId, spanId: order.save });
  sendHostile(tracers, now + 3_000);
  for (const p of providers) await p.forceFlush();
  await waitForTrace(hub.apiUrl, order.traceId, SPANS);
  await waitForTrace(hub.apiUrl, worker.traceId, 1);
  await waitForTrace(hub.apiUrl, hostile.traceId, 4);
});

afterAll(async () => {
  await browser?.close();
  for (const p of providers) await p.shutdown();
  await hub?.stop({ removeData: true });
});

const openPage = () => watchedPage(browser, { width: 1400, height: 900 });

const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });
const detailTitle = (page: Page) => page.locator('[data-testid="span-detail"] h2');
const spanParam = (page: Page) => new URL(page.url()).searchParams.get('span');

describe('trace views in Chromium', () => {
  it('flame graph: one box per span, the critical path marked, click and arrow keys select, double-click or Enter zooms, Back or Esc returns', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/trace/${order.traceId}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    await tab(page, 'Flame graph').click();
    await page.waitForURL(`**/trace/${order.traceId}?view=flame`);
    const flame = page.locator('[data-testid="flame-graph"]');
    await flame.locator('.flame-box').first().waitFor();
    await expect(flame.locator('.flame-box').count()).resolves.toBe(SPANS);
    const box = (id: string) => flame.locator(`.flame-box[data-span-id="${id}"]`);
    // The root, the queries' parent and the payment are on the critical path; the cache warm-up runs beside it.
    for (const id of [order.root, order.handler, order.payment, order.save, order.queries[29]!]) {
      await expect(box(id).getAttribute('class'), id).resolves.toContain('critical');
    }
    await expect(box(order.warm).getAttribute('class')).resolves.not.toContain('critical');
    // The tooltip names the span, its duration and self time.
    await expect(box(order.handler).locator('title').textContent()).resolves.toMatch(/^order-service: load-cart\nduration 65ms, self \d+(\.\d+)?ms\non the critical path$/);
    // The warm-up overlaps the first query: they get lanes of their own, both below load-cart.
    const y = async (id: string) => Number((await box(id).getAttribute('transform'))!.match(/,([\d.]+)\)/)![1]);
    const [warmY, firstQueryY, handlerY] = [await y(order.warm), await y(order.queries[0]!), await y(order.handler)];
    expect(warmY).not.toBe(firstQueryY);
    expect(Math.min(warmY, firstQueryY)).toBeGreaterThan(handlerY);
    // The next query starts after the warm-up has ended: back in the lane right under load-cart.
    expect(await y(order.queries[1]!)).toBe(Math.min(warmY, firstQueryY));

    await box(order.payment).click();
    await page.waitForURL(`**/trace/${order.traceId}?view=flame&span=${order.payment}`);
    await detailTitle(page).filter({ hasText: 'process-payment' }).waitFor();
    await expect(flame.locator('.flame-selection').getAttribute('data-span-id')).resolves.toBe(order.payment);

    await page.screenshot({ path: path.join(shots, 'views-flame.png') });
    // Keyboard: up to the parent, down to its first child.
    await page.keyboard.press('ArrowUp');
    await detailTitle(page).filter({ hasText: 'call-payment-api' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(`**/trace/${order.traceId}?view=flame&span=${order.payment}`);

    await box(order.handler).dblclick();
    await flame.getByText('Zoomed into').waitFor();
    // load-cart, warm-cache and the 30 queries.
    await expect(flame.locator('.flame-box').count()).resolves.toBe(QUERIES + 2);
    await page.screenshot({ path: path.join(shots, 'views-flame-zoomed.png') });
    await flame.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => flame.locator('.flame-box').count()).toBe(SPANS);
    await expect(flame.getByText('Zoomed into').count()).resolves.toBe(0);
    // Enter zooms into the selected span, Escape zooms back out.
    await box(order.handler).click();
    await page.waitForURL(`**/trace/${order.traceId}?view=flame&span=${order.handler}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => flame.locator('.flame-box').count()).toBe(QUERIES + 2);
    await page.keyboard.press('Escape');
    await expect.poll(() => flame.locator('.flame-box').count()).toBe(SPANS);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('statistics: the N+1 is one row of 30; columns sort; a row expands to its spans and a click selects one', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/trace/${order.traceId}?view=stats`);
    const stats = page.locator('[data-testid="stats-table"]');
    const rows = stats.locator('tr.stats-row');
    await rows.first().waitFor();
    // GET /order, load-cart, warm-cache, the statement, call-payment-api, process-payment, save-order.
    await expect(rows.count()).resolves.toBe(7);
    const nPlusOne = stats.locator('tr.stats-row[data-name="SELECT * FROM stock WHERE id = ?"]');
    await expect(nPlusOne.locator('td.col-count').textContent()).resolves.toBe('30');
    await expect(nPlusOne.locator('td.col-totalUs').textContent()).resolves.toBe('60ms');
    await expect(nPlusOne.locator('td.col-maxUs').textContent()).resolves.toBe('2ms');
    await expect(nPlusOne.locator('td.col-service').textContent()).resolves.toBe('order-service');
    // Largest total first by default: the root.
    await expect(rows.first().getAttribute('data-name')).resolves.toBe('GET /order');
    const names = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-name')));
    await stats.locator('button.sort[data-column="count"]').click();
    expect((await names())[0]).toBe('SELECT * FROM stock WHERE id = ?');
    await stats.locator('button.sort[data-column="count"]').click();
    expect((await names()).at(-1)).toBe('SELECT * FROM stock WHERE id = ?');
    await stats.locator('button.sort[data-column="name"]').click();
    expect(await names()).toEqual(['call-payment-api', 'GET /order', 'load-cart', 'process-payment', 'save-order', 'SELECT * FROM stock WHERE id = ?', 'warm-cache']);
    await stats.locator('button.sort[data-column="service"]').click();
    await stats.locator('button.sort[data-column="service"]').click();
    expect((await names())[0]).toBe('process-payment');

    await nPlusOne.click();
    const spans = stats.locator('.stats-spans .stats-span');
    await spans.first().waitFor();
    await expect(spans.count()).resolves.toBe(QUERIES);
    await spans.nth(4).click();
    await page.waitForURL(`**/trace/${order.traceId}?view=stats&span=${order.queries[4]}`);
    await detailTitle(page).filter({ hasText: 'pg.query' }).waitFor();
    await expect(stats.locator('.stats-span.selected').getAttribute('data-span-id')).resolves.toBe(order.queries[4]);
    await page.screenshot({ path: path.join(shots, 'views-stats.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('span list: every span, sortable, filtered by text; the selection survives switching through every view', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/trace/${order.traceId}?view=spans`);
    const list = page.locator('[data-testid="span-list"]');
    await list.locator('.span-list-row').first().waitFor();
    await expect(list.getAttribute('data-rows')).resolves.toBe(String(SPANS));
    // Start order first: the root.
    await expect(list.locator('.span-list-row').first().getAttribute('data-span-id')).resolves.toBe(order.root);
    await list.locator('button.sort[data-column="duration"]').click();
    const firstTwo = await list.locator('.span-list-row').evaluateAll((rs) =>
      [...rs].sort((a, b) => parseFloat((a as HTMLElement).style.top) - parseFloat((b as HTMLElement).style.top)).slice(0, 2).map((r) => r.getAttribute('data-span-id')),
    );
    expect(firstTwo).toEqual([order.root, order.handler]);

    const filter = list.getByRole('searchbox', { name: 'Filter spans' });
    await filter.fill('stock');
    await expect.poll(() => list.getAttribute('data-rows')).toBe(String(QUERIES));
    await filter.fill('process-payment');
    await expect.poll(() => list.getAttribute('data-rows')).toBe('1');
    const row = list.locator('.span-list-row');
    await expect(row.locator('.c-service').textContent()).resolves.toBe('payment-service');
    await expect(row.locator('.c-kind').textContent()).resolves.toBe('server');
    await row.click();
    await page.waitForURL(`**/trace/${order.traceId}?view=spans&span=${order.payment}`);
    await detailTitle(page).filter({ hasText: 'process-payment' }).waitFor();

    // Through every view: the span panel stays on the span and each view marks it.
    await tab(page, 'Flame graph').click();
    await page.waitForURL(`**/trace/${order.traceId}?view=flame&span=${order.payment}`);
    await expect(page.locator('.flame-selection').getAttribute('data-span-id')).resolves.toBe(order.payment);
    await detailTitle(page).filter({ hasText: 'process-payment' }).waitFor();
    await tab(page, 'Statistics').click();
    await expect(page.locator('.stats-span.selected').getAttribute('data-span-id')).resolves.toBe(order.payment);
    await tab(page, 'Timeline').click();
    await page.waitForURL(`**/trace/${order.traceId}?span=${order.payment}`);
    await expect(page.locator('.rows-scroller [role="treeitem"][aria-selected="true"]').getAttribute('data-span-id')).resolves.toBe(order.payment);
    await detailTitle(page).filter({ hasText: 'process-payment' }).waitFor();
    await tab(page, 'Spans').click();
    await expect(page.locator('.span-list-row.selected').getAttribute('data-span-id')).resolves.toBe(order.payment);
    expect(spanParam(page)).toBe(order.payment);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('span links: follow an outgoing link to the linked span, see the incoming link there and follow it back', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/trace/${worker.traceId}?span=${worker.span}`);
    const out = page.locator('[data-testid="outgoing-link"]');
    await out.waitFor();
    await expect(out.locator('a').textContent()).resolves.toBe(`${order.traceId.slice(0, 16)}… / ${order.save}`);
    await expect(out.textContent()).resolves.toContain('messaging.operation.type');
    await out.locator('a').click();
    await page.waitForURL(`**/trace/${order.traceId}?span=${order.save}`);
    await detailTitle(page).filter({ hasText: 'save-order' }).waitFor();
    await expect(page.locator('.rows-scroller [role="treeitem"][aria-selected="true"]').getAttribute('data-span-id')).resolves.toBe(order.save);

    const incoming = page.locator('[data-testid="incoming-link"]');
    await incoming.waitFor();
    await expect(incoming.count()).resolves.toBe(1);
    await expect(incoming.locator('a').textContent()).resolves.toBe('worker-service process order event');
    await expect(incoming.textContent()).resolves.toContain('messaging.operation.type');
    await page.getByRole('heading', { name: 'Linked from (1)' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'views-incoming-link.png') });
    // Another span of the order has no incoming link.
    await page.locator(`.rows-scroller [data-span-id="${order.payment}"]`).click();
    await page.getByRole('heading', { name: 'Linked from (0)' }).waitFor();
    await page.goBack();
    await page.waitForURL(`**/trace/${worker.traceId}?span=${worker.span}`);
    await page.goForward();
    await page.waitForURL(`**/trace/${order.traceId}?span=*`);
    await page.locator(`.rows-scroller [data-span-id="${order.save}"]`).click();
    await incoming.locator('a').click();
    await page.waitForURL(`**/trace/${worker.traceId}?span=${worker.span}`);
    await detailTitle(page).filter({ hasText: 'process order event' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders HTML and script payloads in span data as text in every view and runs none of them', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${hub.apiUrl}/trace/${hostile.traceId}?view=flame`);
    const flame = page.locator('[data-testid="flame-graph"]');
    await flame.locator('.flame-box').first().waitFor();
    await expect(flame.locator('.flame-box').count()).resolves.toBe(4);
    await expect(flame.locator('.flame-box title').first().textContent()).resolves.toContain(XSS_IMG);
    await expect(flame.locator('img, script').count()).resolves.toBe(0);
    await tab(page, 'Statistics').click();
    const statement = page.locator('tr.stats-row.statement');
    await statement.waitFor();
    await expect(statement.locator('code').textContent()).resolves.toBe('SELECT ? FROM t WHERE id = ?');
    await expect(statement.locator('td.col-count').textContent()).resolves.toBe('3');
    await expect(page.locator('tr.stats-row', { hasText: XSS_IMG }).count()).resolves.toBe(1);
    await tab(page, 'Spans').click();
    const list = page.locator('[data-testid="span-list"]');
    await list.locator('.span-list-row').first().waitFor();
    await expect(list.locator('.span-list-row .c-name', { hasText: XSS_SCRIPT }).count()).resolves.toBe(3);
    await expect(page.locator('main img, main script, .trace-view img, .trace-view script').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
