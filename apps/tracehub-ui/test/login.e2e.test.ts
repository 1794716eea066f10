// The UI of a tracehub that requires its token, in real headless Chromium:
// a page opened without the token shows the login page and nothing of the
// data; the token typed once (or the printed login link) sets an HttpOnly
// cookie, and the page the user asked for opens with its trace.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHandle } from '@tracelab/test-support/hub';
import { makeSenders, sendOrderTrace } from './send-traces';
import { watchedPage, launchChromium } from '@tracelab/test-support/browser';

const here = path.dirname(fileURLToPath(import.meta.url));
const TOKEN = 'ui-login-test-token-0123456789';

let hub: HubHandle;
let browser: Browser;
let traceId: string;

beforeAll(async () => {
  if (!existsSync(path.resolve(here, '../dist/index.html'))) throw new Error('The UI is not built: run `npm run build -w @tracelab/tracehub-ui` first.');
  hub = await startHub({ env: { TRACEHUB_TOKEN: TOKEN } });
  // The SDK exporters read the header from the environment, as a user would set it.
  process.env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer%20${TOKEN}`;
  const senders = makeSenders(hub.otlpHttpUrl);
  delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
  traceId = sendOrderTrace(senders, 'out-of-stock');
  await senders.flush();
  await senders.shutdown();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${hub.apiUrl}/api/v1/traces/${traceId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (res.ok) break;
    if (Date.now() > deadline) throw new Error(`trace ${traceId} not stored (last HTTP ${res.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop({ removeData: true });
});

describe('signing in to a tracehub with a token', () => {
  it('shows the login page, refuses a wrong token, then opens the requested trace', async () => {
    const { page } = await watchedPage(browser, { width: 1200, height: 800 });
    const res = await page.goto(`${hub.apiUrl}/trace/${traceId}`);
    expect(res?.status()).toBe(401);
    await expect(page.getByLabel('Access token').isVisible()).resolves.toBe(true);
    // Nothing of the trace before the token.
    expect(await page.content()).not.toContain('check-stock');

    await page.getByLabel('Access token').fill('not-the-token-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That is not this tracehub’s token.').waitFor();
    expect((await page.context().cookies()).filter((c) => c.name === 'tracehub_token')).toEqual([]);

    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/trace/${traceId}`);
    await page.getByText('check-stock').first().waitFor();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tracehub_token');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // Page scripts never see it.
    expect(await page.evaluate(() => document.cookie)).not.toContain(TOKEN);
    await page.close();
  });

  it('the printed login link signs in at once', async () => {
    const { page, problems } = await watchedPage(browser, { width: 1200, height: 800 });
    await page.goto(`${hub.apiUrl}/login?token=${TOKEN}&next=${encodeURIComponent(`/trace/${traceId}`)}`);
    await page.waitForURL(`**/trace/${traceId}`);
    await page.getByText('check-stock').first().waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });
});
