import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE, DOCKERFILES, REPO, containerPort, dockerStages, read, yamlFile } from './deploy-files.js';

const compose = yamlFile(COMPOSE);
const SERVICES = [
  { name: 'order-service', dockerfile: 'apps/order-service/Dockerfile', pkg: 'apps/order-service/package.json' },
  { name: 'payment-service', dockerfile: 'apps/payment-service/Dockerfile', pkg: 'apps/payment-service/package.json' },
];

function finalStage(f: string) {
  const stages = dockerStages(f);
  return { stages, last: stages.at(-1)! };
}

describe.each(DOCKERFILES)('%s', (f) => {
  const { stages, last } = finalStage(f);

  it('is multi-stage: the runtime stage copies build output and has no compiler step', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(last.lines.some((l) => /^COPY\s+--from=/i.test(l))).toBe(true);
    expect(last.lines.some((l) => /\b(tsc|vite build|npm run build)\b/.test(l))).toBe(false);
  });

  it('runs as a non-root user', () => {
    const users = last.lines.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1));
    // The USER switch comes before the process starts.
    const userIdx = last.lines.findIndex((l) => /^USER\s/i.test(l));
    const cmdIdx = last.lines.findIndex((l) => /^(CMD|ENTRYPOINT)\s/i.test(l));
    expect(userIdx).toBeLessThan(cmdIdx);
  });

  it('ships production dependencies only', () => {
    const installs = stages.flatMap((s) => s.lines.filter((l) => /\bnpm (ci|install)\b/.test(l)).map((l) => ({ stage: s.name, l })));
    const prod = installs.filter((i) => /--omit=dev\b/.test(i.l));
    expect(prod.length, 'one npm ci --omit=dev').toBe(1);
    // node_modules in the runtime stage come from that production install's stage only.
    const modulesFrom = last.lines
      .filter((l) => /^COPY\s+--from=/i.test(l) && !/\/(dist|proto|migrations)\b|\.sql\s/.test(l))
      .map((l) => /--from=(\S+)/.exec(l)![1]);
    expect(new Set(modulesFrom)).toEqual(new Set([prod[0]!.stage]));
    expect(last.lines.some((l) => /\bnpm (ci|install)\b/.test(l))).toBe(false);
  });

  it('declares a HEALTHCHECK', () => {
    expect(last.lines.some((l) => /^HEALTHCHECK\s/i.test(l))).toBe(true);
  });
});

describe.each(SERVICES)('$name image', ({ name, dockerfile, pkg }) => {
  const { last } = finalStage(dockerfile);
  const manifest = JSON.parse(read(pkg));

  it('starts the package entry point with the telemetry preload, as `npm start` does', () => {
    const cmd = last.lines.find((l) => /^CMD\s/i.test(l))!;
    const argv = JSON.parse(cmd.replace(/^CMD\s+/i, '')) as string[];
    expect(argv).toEqual(['node', '--import', '@tracelab/telemetry/register', manifest.main]);
    expect(manifest.scripts?.start).toBe(`node --import @tracelab/telemetry/register ${manifest.main}`);
    expect(last.lines).toContain(`WORKDIR /app/apps/${name}`);
  });

  it('exposes the port compose gives it, and binds all interfaces', () => {
    const svc = compose.services[name];
    const port = Number(svc.environment.PORT);
    const expose = last.lines.find((l) => /^EXPOSE\s/i.test(l))!;
    expect(expose.split(/\s+/).slice(1).map(Number)).toEqual([port]);
    expect(svc.ports.map(containerPort)).toEqual([port]);
    expect(svc.environment.HOST).toBe('0.0.0.0');
    expect(svc.build.dockerfile).toBe(dockerfile);
    expect(svc.build.context).toBe('../..');
  });
});

describe('.dockerignore', () => {
  it('keeps host node_modules, build output and data out of the build context', () => {
    const lines = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const p of ['**/node_modules', '**/dist', '**/.data', '.git']) expect(lines).toContain(p);
  });
});

/** Every workspace of the monorepo (apps/*, packages/*), as its folder. */
const WORKSPACES = ['apps', 'packages'].flatMap((top) =>
  readdirSync(path.join(REPO, top))
    .map((d) => `${top}/${d}`)
    .filter((d) => existsSync(path.join(REPO, d, 'package.json'))),
);
const folderOf = new Map(WORKSPACES.map((d) => [JSON.parse(read(`${d}/package.json`)).name as string, d]));

/** The workspace packages an app needs at run time: its @tracelab dependencies, transitively. */
function runtimeWorkspaces(app: string): string[] {
  const out = new Set<string>();
  const visit = (dir: string) => {
    for (const dep of Object.keys(JSON.parse(read(`${dir}/package.json`)).dependencies ?? {})) {
      const d = folderOf.get(dep);
      if (d && !out.has(d)) {
        out.add(d);
        visit(d);
      }
    }
  };
  visit(app);
  return [...out].sort();
}

describe.each(DOCKERFILES.map((f) => ({ f, app: path.dirname(f) })))('$f ships what $app runs', ({ f, app }) => {
  const stages = dockerStages(f);
  const last = stages.at(-1)!;
  const prodStage = stages.find((s) => s.lines.some((l) => /\bnpm ci\b.*--omit=dev/.test(l)))!;

  it('gives the production install every workspace manifest (npm ci needs the tree the lock file describes)', () => {
    // The build stage copies each apps/* and packages/* manifest and the lock file into /manifests ...
    const build = stages.find((s) => s.name === 'build')!;
    const gather = build.lines.find((l) => /^RUN\s.*\/manifests/.test(l))!;
    expect(gather, 'a RUN that fills /manifests').toBeDefined();
    expect(gather).toContain('cp package.json package-lock.json /manifests/');
    expect(gather).toMatch(/for d in apps\/\* packages\/\*; do if \[ -f "\$d\/package\.json" \]; then mkdir -p "\/manifests\/\$d" && cp "\$d\/package\.json" "\/manifests\/\$d\/"/);
    // ... which covers every workspace there is, and the production install starts from that tree.
    expect(WORKSPACES.every((d) => /^(apps|packages)\/[^/]+$/.test(d))).toBe(true);
    expect(prodStage.lines).toContain('COPY --from=build /manifests/ ./');
    const copyIdx = prodStage.lines.indexOf('COPY --from=build /manifests/ ./');
    const ciIdx = prodStage.lines.findIndex((l) => /\bnpm ci\b/.test(l));
    expect(copyIdx).toBeLessThan(ciIdx);
  });

  it('copies the build output of every workspace package it imports at run time', () => {
    const copies = last.lines.filter((l) => /^COPY\s+--from=/i.test(l)).join('\n');
    const needed = runtimeWorkspaces(app);
    expect(needed.length).toBeGreaterThan(0);
    for (const d of [...needed, app]) expect(copies, `${d}/dist`).toContain(`/repo/${d}/dist`);
  });
});

describe('apps/tracehub/Dockerfile', () => {
  it('ships the store schema, which the hub reads at start from src/store/schema.sql', () => {
    const last = dockerStages('apps/tracehub/Dockerfile').at(-1)!;
    expect(last.lines.some((l) => /^COPY\s+--from=\S+.*\/repo\/apps\/tracehub\/src\/store\/schema\.sql\s/.test(l))).toBe(true);
    expect(read('apps/tracehub/src/store/connection.ts')).toContain("'../../src/store/schema.sql'");
  });
});
