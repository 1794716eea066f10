/**
 * Broken hops (pure): a call whose two ends are both instrumented but landed
 * in two traces, because the trace context did not cross it. From the client
 * side: a CLIENT/PRODUCER span with no child in another service, answered by
 * a root SERVER/CONSUMER span of another trace. From the server side: a root
 * SERVER/CONSUMER span called by a CLIENT/PRODUCER span of another trace.
 */
import { SpanKind } from '../model.js';
import type { HopSpan } from '../store/types.js';
import { type CallAddress, clientAddress, matchScore, serverAddress } from './hop-match.js';

/** How far a server span may start outside its client span (clocks of two hosts, scheduling). */
export const HOP_SKEW_NS = 1_000_000_000n;
/** A consumer may start this long after its producer ended (queues). */
export const ASYNC_LEAD_NS = 10_000_000_000n;
/** How long before its server span a client span may start (connect, queueing, retries). */
export const CLIENT_LEAD_NS = 30_000_000_000n;

export interface HopMatch {
  /** The CLIENT/PRODUCER span and the SERVER/CONSUMER span of one call; exactly one is in the diagnosed trace. */
  client: HopSpan;
  server: HopSpan;
  /** Which end the diagnosed trace holds. */
  side: 'client' | 'server';
  score: number;
}

const isCall = (s: HopSpan) => s.kind === SpanKind.CLIENT || s.kind === SpanKind.PRODUCER;
const isEntry = (s: HopSpan) => s.kind === SpanKind.SERVER || s.kind === SpanKind.CONSUMER;
const abs = (n: bigint) => (n < 0n ? -n : n);

/** Whether a server span started when the client span could have caused it. */
export function inCallWindow(client: HopSpan, server: HopSpan): boolean {
  const lead = client.kind === SpanKind.PRODUCER ? ASYNC_LEAD_NS : 0n;
  return server.startNs >= client.startNs - HOP_SKEW_NS && server.startNs <= client.endNs + HOP_SKEW_NS + lead;
}

/** The calls of the trace that left it: CLIENT/PRODUCER spans with no child in another service. */
export function openCalls(trace: readonly HopSpan[]): HopSpan[] {
  const remoteChild = new Set<string>();
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  for (const s of trace) {
    const p = byId.get(s.parentSpanId);
    if (p && p.service !== s.service) remoteChild.add(p.spanId);
  }
  return trace.filter((s) => isCall(s) && !remoteChild.has(s.spanId));
}

/** Root SERVER/CONSUMER spans of the trace: entries whose caller is not in it. */
export function rootEntries(trace: readonly HopSpan[]): HopSpan[] {
  return trace.filter((s) => isEntry(s) && s.parentSpanId === '');
}

interface Pair extends HopMatch {
  dt: bigint;
}

/**
 * The best one-to-one matches between the trace's open calls and other
 * traces' root entries, and between the trace's root entries and other
 * traces' open calls (`candidates` holds both sorts). Pairs are taken best
 * score first, then closest in time (start and end); each span is used once.
 */
export function matchHops(trace: readonly HopSpan[], candidates: readonly HopSpan[]): HopMatch[] {
  const traceId = trace[0]?.traceId;
  const others = candidates.filter((c) => c.traceId !== traceId);
  // Each span's address is read once, however many pairs it is in.
  const addresses = new Map<HopSpan, CallAddress>();
  const address = (s: HopSpan, read: (a: HopSpan['attrs']) => CallAddress) => {
    let a = addresses.get(s);
    if (!a) addresses.set(s, (a = read(s.attrs)));
    return a;
  };
  const pairs: Pair[] = [];
  const consider = (client: HopSpan, server: HopSpan, side: HopMatch['side']) => {
    if (!inCallWindow(client, server)) return;
    const score = matchScore(address(client, clientAddress), address(server, serverAddress), server.service);
    if (score !== null) pairs.push({ client, server, side, score, dt: abs(server.startNs - client.startNs) + abs(client.endNs - server.endNs) });
  };
  const entries = others.filter((c) => isEntry(c) && c.parentSpanId === '');
  for (const call of openCalls(trace)) for (const e of entries) consider(call, e, 'client');
  const calls = others.filter(isCall);
  for (const root of rootEntries(trace)) for (const call of calls) consider(call, root, 'server');
  pairs.sort((a, b) => b.score - a.score || (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0));
  const used = new Set<string>();
  const key = (s: HopSpan) => `${s.traceId}/${s.spanId}`;
  const out: HopMatch[] = [];
  for (const p of pairs) {
    if (used.has(key(p.client)) || used.has(key(p.server))) continue;
    used.add(key(p.client));
    used.add(key(p.server));
    out.push({ client: p.client, server: p.server, side: p.side, score: p.score });
  }
  return out.sort((a, b) => (a.client.startNs < b.client.startNs ? -1 : a.client.startNs > b.client.startNs ? 1 : 0));
}

/** `POST /pay`: the method and route (or path) the server saw, else its span name. */
export function hopOperation(server: HopSpan): string {
  const a = serverAddress(server.attrs);
  const target = a.route ?? a.path;
  return a.method && target ? `${a.method} ${target}` : server.name;
}
