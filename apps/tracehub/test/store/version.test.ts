import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, expect, it } from 'vitest';
import { SCHEMA_VERSION, StoreVersionError } from '../../src/store/schema-version.js';
import { Store } from '../../src/store/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('refuses a data dir of another schema version with a message that says what to do', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracehub-version-'));
  dirs.push(dir);
  const store = await Store.open({ dataDir: dir });
  await store.close();
  // Reopening the same version works.
  await (await Store.open({ dataDir: dir })).close();

  const db = await DuckDBInstance.create(path.join(dir, 'tracehub.duckdb'));
  const c = await db.connect();
  await c.run("UPDATE meta SET value = '0' WHERE key = 'schema_version'");
  c.closeSync();
  db.closeSync();

  const err = await Store.open({ dataDir: dir }).catch((e) => e);
  expect(err).toBeInstanceOf(StoreVersionError);
  expect(err.message).toContain(`schema version 0`);
  expect(err.message).toContain(`needs version ${SCHEMA_VERSION}`);
  expect(err.message).toMatch(/--data-dir/);
});
