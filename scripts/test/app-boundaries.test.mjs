// Apps depend only on packages (issue 14): no apps/*/package.json names another app, and no file of
// an app (src/, test/, bench/) imports one, by package name or by a relative path into its folder.
// Packages (packages/*) are held to the same: no package depends on or imports an app, tests included.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appBoundaryViolations, importSpecifiers, packageNameOf } from '../lib/app-boundaries.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/** The folders of an app or package whose files are read: its code, its tests, its benchmarks. */
const CODE_DIRS = ['src', 'test', 'bench'];

/** Every apps/* and packages/* folder with a package.json, its manifest and the sources under CODE_DIRS. */
function readFolders(parent) {
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, parent, d.name, 'package.json')))
    .map((d) => {
      const dir = `${parent}/${d.name}`;
      const sources = CODE_DIRS.flatMap((sub) => {
        const at = join(root, dir, sub);
        const files = existsSync(at) ? readdirSync(at, { recursive: true, encoding: 'utf8' }) : [];
        return files
          .map((f) => f.split('\\').join('/'))
          .filter((f) => SOURCE.test(f) && !f.split('/').includes('node_modules'))
          .map((f) => ({ file: `${dir}/${sub}/${f}`, text: readFileSync(join(at, f), 'utf8') }));
      });
      return { dir, manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')), sources, isPackage: parent === 'packages' };
    });
}
const readApps = () => [...readFolders('apps'), ...readFolders('packages')];

describe('the tree', () => {
  const apps = readApps();

  it('reads every app and its sources (the check below is not vacuous)', () => {
    const dirs = apps.map((a) => a.dir);
    expect(dirs).toEqual(expect.arrayContaining(['apps/loadgen', 'apps/storefront', 'apps/tracehub', 'apps/order-service']));
    const storefrontLoad = apps.find((a) => a.dir === 'apps/storefront')?.sources.find((s) => s.file === 'apps/storefront/src/server/load.ts');
    expect(storefrontLoad && importSpecifiers(storefrontLoad.text)).toContain('@tracelab/load');
    expect(apps.find((a) => a.dir === 'apps/loadgen')?.manifest.dependencies).toHaveProperty('@tracelab/load');
    // Tests are read too, of apps and of packages.
    const hubTest = apps.find((a) => a.dir === 'apps/tracehub')?.sources.find((s) => s.file === 'apps/tracehub/test/hub/links.e2e.test.ts');
    expect(hubTest && importSpecifiers(hubTest.text)).toContain('@tracelab/test-support/hub');
    expect(apps.find((a) => a.dir === 'packages/trace-assert')?.sources.map((s) => s.file)).toContain('packages/trace-assert/test/e2e.test.ts');
  });

  it('no app depends on or imports another app', () => {
    expect(appBoundaryViolations(apps)).toEqual([]);
  });
});

describe('appBoundaryViolations', () => {
  const app = (dir, name, manifest = {}, sources = {}) => ({
    dir,
    manifest: { name, ...manifest },
    sources: Object.entries(sources).map(([file, text]) => ({ file: `${dir}/src/${file}`, text })),
  });
  const loadgen = app('apps/loadgen', '@tracelab/loadgen');

  it('names an app in dependencies or devDependencies of another, not packages', () => {
    const storefront = app('apps/storefront', '@tracelab/storefront', {
      dependencies: { '@tracelab/loadgen': '^0.1.0', '@tracelab/load': '^0.1.0', fastify: '^5' },
      devDependencies: { '@tracelab/loadgen': '*' },
    });
    expect(appBoundaryViolations([loadgen, storefront])).toEqual([
      'apps/storefront/package.json: dependencies names @tracelab/loadgen, the app apps/loadgen (apps depend only on packages)',
      'apps/storefront/package.json: devDependencies names @tracelab/loadgen, the app apps/loadgen (apps depend only on packages)',
    ]);
  });

  it('names imports of another app by name (also subpaths, re-exports, dynamic and multi-line) or by a relative path', () => {
    const storefront = app('apps/storefront', '@tracelab/storefront', {}, {
      'server/load.ts': "import {\n  runLoad,\n  type LoadOptions,\n} from '@tracelab/loadgen';\n",
      'server/a.ts': "export * from '@tracelab/loadgen/dist/stats.js';\nconst m = await import(\"@tracelab/loadgen\");\n",
      'server/b.ts': "import '../../../loadgen/src/cli.js';\nimport { x } from './own.js';\nimport { y } from '../../../../packages/load/src/index.js';\n",
      'server/c.ts': "// import { old } from '@tracelab/loadgen';\nimport { runLoad } from '@tracelab/load';\n/* import '@tracelab/loadgen' */\n",
    });
    expect(appBoundaryViolations([loadgen, storefront])).toEqual([
      'apps/storefront/src/server/load.ts: imports "@tracelab/loadgen" from the app apps/loadgen (apps import only packages)',
      'apps/storefront/src/server/a.ts: imports "@tracelab/loadgen/dist/stats.js" from the app apps/loadgen (apps import only packages)',
      'apps/storefront/src/server/a.ts: imports "@tracelab/loadgen" from the app apps/loadgen (apps import only packages)',
      'apps/storefront/src/server/b.ts: imports "../../../loadgen/src/cli.js" from the app apps/loadgen (apps import only packages)',
    ]);
  });

  it("names a test that reaches into another app's folder by a relative path", () => {
    const orderService = app('apps/order-service', '@tracelab/order-service');
    const storefront = {
      ...app('apps/storefront', '@tracelab/storefront'),
      sources: [
        { file: 'apps/storefront/test/browser.test.ts', text: "import { startServices } from '../../order-service/test/helpers/system.js';\nimport { x } from './own.js';\nimport { startHub } from '@tracelab/test-support/hub';\n" },
        { file: 'apps/storefront/test/deep/a.test.ts', text: "import { adminRoutes } from '../../../payment-service/src/admin.js';\n" },
      ],
    };
    const paymentService = app('apps/payment-service', '@tracelab/payment-service');
    expect(appBoundaryViolations([orderService, storefront, paymentService])).toEqual([
      'apps/storefront/test/browser.test.ts: imports "../../order-service/test/helpers/system.js" from the app apps/order-service (apps import only packages)',
      'apps/storefront/test/deep/a.test.ts: imports "../../../payment-service/src/admin.js" from the app apps/payment-service (apps import only packages)',
    ]);
  });

  it('names a package that depends on or imports an app (tests included), not one that imports a package', () => {
    const tracehub = app('apps/tracehub', '@tracelab/tracehub');
    const units = { ...app('packages/units', '@tracelab/units'), isPackage: true };
    const traceAssert = {
      ...app('packages/trace-assert', '@tracelab/trace-assert', { devDependencies: { '@tracelab/tracehub': '*', '@tracelab/units': '*' } }),
      isPackage: true,
      sources: [
        { file: 'packages/trace-assert/test/e2e.test.ts', text: "import { startHub } from '../../../apps/tracehub/src/testing.js';\nimport { parseDuration } from '../../units/src/index.js';\nimport { x } from '@tracelab/units';\n" },
      ],
    };
    expect(appBoundaryViolations([tracehub, units, traceAssert])).toEqual([
      'packages/trace-assert/package.json: devDependencies names @tracelab/tracehub, the app apps/tracehub (packages depend on no app)',
      'packages/trace-assert/test/e2e.test.ts: imports "../../../apps/tracehub/src/testing.js" from the app apps/tracehub (packages import no app)',
    ]);
  });

  it('lets an app import itself and packages', () => {
    const self = app('apps/tracehub', '@tracelab/tracehub', { dependencies: { '@tracelab/units': '*' } }, {
      'cli.ts': "import { x } from '@tracelab/tracehub';\nimport { parseDuration } from '@tracelab/units';\nimport fs from 'node:fs';\n",
    });
    expect(appBoundaryViolations([loadgen, self])).toEqual([]);
  });
});

describe('packageNameOf', () => {
  it.each([
    ['@tracelab/load', '@tracelab/load'],
    ['@tracelab/load/dist/x.js', '@tracelab/load'],
    ['fastify', 'fastify'],
    ['yaml/util', 'yaml'],
    ['./x.js', null],
    ['../../x.js', null],
    ['node:fs', null],
  ])('%s → %s', (spec, name) => {
    expect(packageNameOf(spec)).toBe(name);
  });
});
