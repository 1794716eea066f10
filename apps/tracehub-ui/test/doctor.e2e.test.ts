// The propagation doctor panel end to end: the built UI served by a real
// tracehub, in real headless Chromium, with a broken hop sent through the
// OpenTelemetry JS SDK (order-service's call and payment-service's answer in
// two traces), its call span named with an HTML payload.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { makeSenders, waitForTrace, XSS_IMG, type Senders } from './send-traces';
import { launchChromium, watchedPage, requireUiTestPrerequisites } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.resolve(here, '../../../test-output/ui');

let hub: HubHandle;
let senders: Senders;
let browser: Browser;
const ids = { order: '', payment: '', call: '', serve: '' };

/** order-service GET /order → CLIENT (named XSS_IMG) → POST /pay, answered by payment-service in a new trace. */
function sendBrokenHop(s: Senders, t0: number): void {
  const root = s.order.startSpan('GET /order', { kind: SpanKind.SERVER, startTime: t0, attributes: { 'http.request.method': 'GET', 'url.path': '/order' } });
  const call = s.order.startSpan(
    XSS_IMG,
    { kind: SpanKind.CLIENT, startTime: t0 + 5, attributes: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:4100/pay', 'server.port': 4100 } },
    trace.setSpan(context.active(), root),
  );
  // No context crossed the hop: payment-service's SERVER span is the root of a trace of its own.
  const serve = s.payment.startSpan('POST /pay', { kind: SpanKind.SERVER, startTime: t0 + 7, attributes: { 'http.request.method': 'POST', 'url.path': '/pay', 'server.port': 4100 } }, ROOT_CONTEXT);
  const work = s.payment.startSpan('process-payment', { startTime: t0 + 8 }, trace.setSpan(ROOT_CONTEXT, serve));
  work.end(t0 + 40);
  serve.end(t0 + 42);
  call.end(t0 + 45);
  root.end(t0 + 50);
  ids.order = root.spanContext().traceId;
  ids.call = call.spanContext().spanId;
  ids.payment = serve.spanContext().traceId;
  ids.serve = serve.spanContext().spanId;
}

beforeAll(async () => {
  requireUiTestPrerequisites(shots);
  hub = await startHub();
  senders = makeSenders(hub.otlpHttpUrl);
  browser = await launchChromium();
  sendBrokenHop(senders, Date.now() - 10_000);
  await senders.flush();
  await waitForTrace(hub.apiUrl, ids.order, 2);
  await waitForTrace(hub.apiUrl, ids.payment, 2);
});

afterAll(async () => {
  await browser?.close();
  await senders?.shutdown();
  await hub?.stop({ removeData: true });
});

describe('propagation doctor panel in Chromium', () => {
  it('shows the broken hop with cause and fix, as text; a click selects the span; the other trace is a link', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1400, height: 900 });
    await page.goto(`${hub.apiUrl}/trace/${ids.order}`);
    await page.locator('.waterfall[data-ready="true"]').waitFor();
    const panel = page.locator('[data-testid="doctor"][data-status="done"]');
    await panel.waitFor();
    await expect(panel.locator('[data-testid="doctor-summary"]').textContent()).resolves.toContain('1 broken hop (order-service → payment-service: POST /pay)');

    const hop = panel.locator('li[data-kind="broken-hop"]');
    await expect(hop.count()).resolves.toBe(1);
    await expect(hop.locator('.doctor-hop').textContent()).resolves.toBe('order-service → payment-service: POST /pay');
    // The span name is shown literally, never parsed as HTML.
    await expect(hop.locator('.doctor-text').textContent()).resolves.toContain(`"${XSS_IMG}"`);
    await expect(panel.locator('img').count()).resolves.toBe(0);
    await expect(hop.locator('.doctor-cause').textContent()).resolves.toMatch(/^Likely cause: The trace context did not cross the hop/);
    await expect(hop.locator('.doctor-fix').textContent()).resolves.toContain('OTEL_PROPAGATORS=tracecontext,baggage');
    // The test senders build their resources without the SDK defaults: that is reported too (this trace: order-service only).
    await expect(panel.locator('li[data-kind="unknown-sdk"] .doctor-text').allTextContents()).resolves.toEqual([
      "order-service's 2 spans carry neither telemetry.sdk.name nor telemetry.sdk.language, so which SDK made them, and which propagators it uses, is unknown.",
    ]);
    await page.screenshot({ path: path.join(shots, 'doctor-broken-hop.png'), fullPage: true });

    // A click on the finding selects order-service's call span.
    await hop.locator('button.doctor-select').click();
    await page.waitForURL(`**/trace/${ids.order}?span=${ids.call}`);
    await expect(page.locator('[data-testid="span-detail"] h2').textContent()).resolves.toContain(XSS_IMG);
    await expect(page.locator('.rows-scroller [role="treeitem"][aria-selected="true"]').count()).resolves.toBe(1);

    // The link opens payment-service's trace at the span that answered, and its doctor names the caller.
    await hop.getByRole('link', { name: new RegExp(`callee’s trace ${ids.payment}`) }).click();
    await page.waitForURL(`**/trace/${ids.payment}?span=${ids.serve}`);
    await page.locator('[data-testid="span-detail"] h2', { hasText: 'POST /pay' }).waitFor();
    const back = page.locator('[data-testid="doctor"][data-status="done"] li[data-kind="broken-hop"]');
    await back.waitFor();
    await expect(back.getByRole('link', { name: new RegExp(`caller’s trace ${ids.order}`) }).getAttribute('href')).resolves.toBe(`/trace/${ids.order}?span=${ids.call}`);
    expect(problems).toEqual([]);
    await page.close();
  });
});
