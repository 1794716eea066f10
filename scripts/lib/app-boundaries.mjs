// "Apps depend only on packages": which app (or package) depends on, or imports, an(other) app,
// in its sources or its tests. Pure
// (the caller reads the files; scripts/test/app-boundaries.test.mjs checks the real tree).
import { posix } from 'node:path';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/**
 * The module specifiers a JS/TS source names: `import … from`, `export … from`, `import 'x'`,
 * `import('x')`, `require('x')`. Block comments and whole-line `//` comments are ignored.
 * @param {string} text
 * @returns {string[]}
 */
export function importSpecifiers(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"\n]+)\1/g,
    /\bimport\s*(['"])([^'"\n]+)\1/g,
    /\b(?:import|require)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  ];
  const found = new Set();
  for (const re of patterns) for (const m of code.matchAll(re)) found.add(m[2]);
  return [...found];
}

/** `@scope/name/sub/path.js` → `@scope/name`; `name/sub` → `name`; relative, absolute and `node:` → null. */
export function packageNameOf(specifier) {
  if (/^[./]/.test(specifier) || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * @typedef {{ dir: string, manifest: Record<string, unknown>, sources: { file: string, text: string }[], isPackage?: boolean }} AppFiles
 *   dir: the app's folder from the repository root (`apps/storefront`); file: a source's path from the root
 *   (its src/ and its tests alike); manifest: its parsed package.json; isPackage: a folder of packages/*,
 *   checked the same way (it may import no app) but never itself an app others must not import.
 * @param {AppFiles[]} apps
 * @returns {string[]} one sentence per violation, naming the file, what it names and which app that is
 */
export function appBoundaryViolations(apps) {
  /** @type {Map<string, string>} package name → app folder */
  const appByName = new Map();
  for (const app of apps) if (!app.isPackage && typeof app.manifest.name === 'string') appByName.set(app.manifest.name, app.dir);
  const onlyApps = apps.filter((a) => !a.isPackage);
  const rule = (app, what) => (app.isPackage ? `packages ${what} no app` : what === 'import' ? 'apps import only packages' : 'apps depend only on packages');
  const otherApp = (self, name) => {
    const dir = appByName.get(name);
    return dir !== undefined && dir !== self.dir ? dir : undefined;
  };
  const violations = [];
  for (const app of apps) {
    for (const field of DEPENDENCY_FIELDS) {
      const deps = app.manifest[field];
      if (typeof deps !== 'object' || deps === null) continue;
      for (const name of Object.keys(deps)) {
        const dir = otherApp(app, name);
        if (dir) violations.push(`${app.dir}/package.json: ${field} names ${name}, the app ${dir} (${rule(app, 'depend on')})`);
      }
    }
    for (const { file, text } of app.sources) {
      for (const spec of importSpecifiers(text)) {
        const name = packageNameOf(spec);
        const dir = name === null ? relativeAppDir(app, file, spec, onlyApps) : otherApp(app, name);
        if (dir) violations.push(`${file}: imports ${JSON.stringify(spec)} from the app ${dir} (${rule(app, 'import')})`);
      }
    }
  }
  return violations;
}

/** The other app a relative import reaches into, if any. */
function relativeAppDir(app, file, spec, apps) {
  if (!spec.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(file), spec));
  const hit = apps.find((a) => a.dir !== app.dir && (target === a.dir || target.startsWith(`${a.dir}/`)));
  return hit?.dir;
}
