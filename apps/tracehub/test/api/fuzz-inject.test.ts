// Generated Tempo, Jaeger and /api/v1 parameter sets (bench/fuzz-query.mjs's
// generators, fixed seed) against tracehub's apps in this process: every
// answer is a 2xx/4xx with a body, never a 5xx or a thrown error. The
// million-request run is `npm run fuzz:query`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessHub, openInProcessHub } from '../inprocess.js';
import { seedBodies } from '../hub/synthetic.js';
// @ts-expect-error -- plain JS shared with bench/fuzz-query.mjs
import { apiV1Request, jaegerRequest, queryString, rng, tempoRequest } from '../fuzz/gen.mjs';

let hub: InProcessHub;
beforeAll(async () => {
  hub = await openInProcessHub();
  for (const body of seedBodies().bodies) await hub.postTraces(body);
});
afterAll(async () => {
  await hub?.close();
});

describe('query API fuzzing (in process)', () => {
  it('answers 1,500 generated parameter sets without a 5xx', async () => {
    const r = rng(42);
    const statuses: Record<number, number> = {};
    const failures: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const api = (['tempo', 'jaeger', 'v1'] as const)[i % 3];
      const [p, params] = api === 'tempo' ? tempoRequest(r) : api === 'jaeger' ? jaegerRequest(r) : apiV1Request(r);
      const url = `${p}?${queryString(params)}`;
      const app = api === 'tempo' ? hub.tempo! : api === 'jaeger' ? hub.jaeger! : hub.api;
      const res = await app.inject({ method: 'GET', url });
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode >= 500) failures.push(`${res.statusCode} ${url.slice(0, 200)}: ${res.body.slice(0, 200)}`);
      if (res.statusCode >= 400 && res.body.length === 0) failures.push(`${res.statusCode} without a message: ${url.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    // Both kinds of answer occur: the generator reaches the handlers, not only the parameter checks.
    expect(statuses[200]).toBeGreaterThan(100);
    expect(statuses[400]).toBeGreaterThan(100);
  });
});
