#!/usr/bin/env node
// npm run scenario -- normal|out-of-stock|payment-timeout|payment-failure|all
// Runs seed scenarios against the running system (npm start) and prints each
// answer, its trace id, the trace read back from tracehub, tracehub's
// one-sentence explanation of it, and the UI link.
import { SCENARIOS } from './lib/scenarios.mjs';
import { renderSpanTree } from './lib/span-tree.mjs';

const ORDER_URL = (process.env.ORDER_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const TRACEHUB_URL = (process.env.TRACEHUB_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');

const wanted = process.argv[2] ?? 'all';
const chosen = wanted === 'all' ? SCENARIOS.filter((s) => s.name !== 'payment-failure') : SCENARIOS.filter((s) => s.name === wanted);
if (chosen.length === 0) {
  console.error(`Unknown scenario ${JSON.stringify(wanted)}. Choose one of: ${SCENARIOS.map((s) => s.name).join(', ')}, all.`);
  process.exit(2);
}

/**
 * Spans arrive in batches from two services: wait for the trace to appear
 * (the SDK exports every OTEL_BSP_SCHEDULE_DELAY ms), then until its span
 * count stops growing for ~300 ms, for about 3 s more at most.
 */
async function fetchTrace(traceId) {
  const appearBy = Date.now() + 8000;
  let settleBy = Infinity;
  let last = -1;
  let stable = 0;
  let trace;
  while (Date.now() < Math.min(appearBy, settleBy) || (trace && Date.now() < settleBy)) {
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`${TRACEHUB_URL}/api/v1/traces/${traceId}`).catch(() => undefined);
    if (!res?.ok) continue;
    trace = await res.json();
    if (settleBy === Infinity) settleBy = Date.now() + 3000;
    if (trace.spans.length === last) {
      if (++stable >= 8) break; // ~0.8 s without news: both services have exported
    } else {
      stable = 0;
      last = trace.spans.length;
    }
  }
  return trace;
}

/** tracehub's one-sentence answer for the trace (GET /api/v1/traces/{id}/explain), with the cause span. */
async function explanation(traceId) {
  const res = await fetch(`${TRACEHUB_URL}/api/v1/traces/${traceId}/explain`).catch(() => undefined);
  if (!res?.ok) return `Why: (tracehub could not explain it: ${res ? `HTTP ${res.status}` : 'not reachable'})`;
  const e = await res.json();
  const cause = e.cause ? `\n     cause: ${e.cause.service} ${e.cause.name} [${e.cause.kind}]` : '';
  return `${e.status === 'error' ? 'Why it failed' : 'Where the time went'}: ${e.summary}${cause}`;
}

let failed = false;
for (const s of chosen) {
  console.log(`\n=== ${s.name}: GET ${s.path}   (expect ${s.expect})`);
  let res;
  try {
    res = await fetch(`${ORDER_URL}${s.path}`);
  } catch (err) {
    console.error(`order-service is not answering at ${ORDER_URL} (${err.cause?.code ?? err.message}). Start everything with: npm start`);
    process.exit(1);
  }
  const body = await res.json();
  console.log(`HTTP ${res.status}  traceresponse: ${res.headers.get('traceresponse') ?? '(none)'}`);
  console.log(JSON.stringify(body, null, 2));
  if (!body.traceId) {
    console.log('No trace id: is tracing disabled (OTEL_SDK_DISABLED)?');
    failed = true;
    continue;
  }
  const trace = await fetchTrace(body.traceId);
  if (!trace) {
    console.log(`Trace ${body.traceId} not found in tracehub at ${TRACEHUB_URL} (is it running?)`);
    failed = true;
    continue;
  }
  console.log(`\ntrace ${body.traceId}: ${trace.spans.length} spans`);
  console.log(renderSpanTree(trace.spans));
  console.log(`\n${await explanation(body.traceId)}`);
  console.log(`\nOpen in the UI: ${body.traceUrl}`);
}
process.exit(failed ? 1 : 0);
