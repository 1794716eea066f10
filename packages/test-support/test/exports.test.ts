// The package's exports exist and load without starting anything, and the helpers look for the
// apps where the apps are (the paths are run-time paths from this package's folder).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { exports: Record<string, string> };

describe('@tracelab/test-support', () => {
  it('exports ./hub, ./system and ./browser, each a file that exists', () => {
    expect(Object.keys(pkg.exports)).toEqual(['./hub', './system', './browser']);
    for (const file of Object.values(pkg.exports)) expect(existsSync(`${dir}/${file}`), file).toBe(true);
  });

  it('each export loads by its package name and has its helpers', async () => {
    const hub = await import('@tracelab/test-support/hub');
    const system = await import('@tracelab/test-support/system');
    const browser = await import('@tracelab/test-support/browser');
    expect([typeof hub.startHub, typeof hub.cliPath]).toEqual(['function', 'function']);
    expect([typeof system.startLab, typeof system.startServices, typeof system.startDbServer, typeof system.createTestDatabase, typeof system.waitForTrace]).toEqual(Array(5).fill('function'));
    expect([typeof browser.launchChromium, typeof browser.watchedPage, typeof browser.requireUiTestPrerequisites]).toEqual(Array(3).fill('function'));
  });

  it("cliPath() is tracehub's built CLI, or an error naming it and how to build it", async () => {
    const { cliPath } = await import('@tracelab/test-support/hub');
    const expected = fileURLToPath(new URL('../../../apps/tracehub/dist/cli.js', import.meta.url));
    let got: string;
    try {
      got = cliPath();
    } catch (err) {
      got = (err as Error).message;
      expect(got).toContain('npx tsc -b apps/tracehub');
    }
    expect(got).toContain(expected);
  });
});
