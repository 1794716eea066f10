import pg from 'pg';

export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection (database restart) must not crash the service.
  pool.on('error', () => undefined);
  return pool;
}
