// Chromium for the tests that drive a page: Debian's binary via playwright-core, and a page that
// records what must never happen while a test drives it.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * What every Chromium test of the UI needs before it starts: the built UI and Debian's Chromium
 * (each missing one named with the command that fixes it), and the screenshot folder.
 */
export function requireUiTestPrerequisites(shots: string): void {
  const dist = fileURLToPath(new URL('../../../apps/tracehub-ui/dist/index.html', import.meta.url));
  if (!existsSync(dist)) {
    throw new Error(`The UI is not built (${dist} is missing): run \`npm run build -w @tracelab/tracehub-ui\` or \`npm run build\` first.`);
  }
  if (!existsSync('/usr/bin/chromium')) {
    throw new Error('Chromium is missing: install it with `apt-get install -y chromium` (.ci/run does this).');
  }
  mkdirSync(shots, { recursive: true });
}

/** Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no background network). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * A new page that records what must never happen while a test drives it:
 * dialogs (an injected alert), uncaught page errors and console errors.
 * Tests end by expecting `problems` to be empty.
 */
export async function watchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  return { page, problems: watchProblems(page) };
}

/** Records on `page` what must never happen (dialogs, page errors, console errors); the list fills as they do. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  return problems;
}
