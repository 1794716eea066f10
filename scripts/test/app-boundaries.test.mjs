// Apps depend only on packages (issue 14): no apps/*/package.json names another app, and no
// apps/*/src file imports one (by package name or by a relative path into its folder).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appBoundaryViolations, importSpecifiers, packageNameOf } from '../lib/app-boundaries.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Every apps/* folder with a package.json, its manifest and its src/ sources. */
function readApps() {
  return readdirSync(join(root, 'apps'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'apps', d.name, 'package.json')))
    .map((d) => {
      const dir = `apps/${d.name}`;
      const src = join(root, dir, 'src');
      const files = existsSync(src) ? readdirSync(src, { recursive: true, encoding: 'utf8' }) : [];
      return {
        dir,
        manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')),
        sources: files
          .map((f) => f.split('\\').join('/'))
          .filter((f) => SOURCE.test(f) && !f.split('/').includes('node_modules'))
          .map((f) => ({ file: `${dir}/src/${f}`, text: readFileSync(join(src, f), 'utf8') })),
      };
    });
}

describe('the tree', () => {
  const apps = readApps();

  it('reads every app and its sources (the check below is not vacuous)', () => {
    const dirs = apps.map((a) => a.dir);
    expect(dirs).toEqual(expect.arrayContaining(['apps/loadgen', 'apps/storefront', 'apps/tracehub', 'apps/order-service']));
    const storefrontLoad = apps.find((a) => a.dir === 'apps/storefront')?.sources.find((s) => s.file === 'apps/storefront/src/server/load.ts');
    expect(storefrontLoad && importSpecifiers(storefrontLoad.text)).toContain('@tracelab/load');
    expect(apps.find((a) => a.dir === 'apps/loadgen')?.manifest.dependencies).toHaveProperty('@tracelab/load');
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
