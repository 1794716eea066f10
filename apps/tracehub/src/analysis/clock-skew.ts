/**
 * Clock skew between services, from parent/child spans that cross a service
 * boundary (pure). A synchronous child runs inside its parent, so a child that
 * starts before its parent (or ends well after it while the caller was still
 * waiting: LATE_END_TOLERANCE_NS) means the two clocks disagree. Each pair allows a range of shifts
 * of the child's clock that would put it inside its parent; the estimate for
 * a service pair is the smallest shift that satisfies all its pairs (or, when
 * none does, the median of the pairs' own smallest shifts).
 */

export interface SkewSpan {
  spanId: string;
  parentSpanId: string;
  service: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  statusCode: number;
  /** Span ids this span links to, and whether a link says follows_from. */
  linkedSpanIds: readonly string[];
  followsFrom: boolean;
}

export interface SkewPair {
  parentSpanId: string;
  childSpanId: string;
  /** How much earlier the child started than its parent (> 0), else 0. */
  earlyNs: bigint;
  /** How much later the child ended than its parent (> 0), else 0. */
  lateNs: bigint;
}

export interface ServiceSkew {
  parentService: string;
  childService: string;
  /** Shift to add to the child service's times to put its spans inside their parents (> 0: its clock is behind). */
  offsetNs: bigint;
  /** Whether one shift fits every pair (else offsetNs is a median estimate). */
  consistent: boolean;
  pairs: SkewPair[];
}

const PRODUCER = 4;
const CONSUMER = 5;
const ERROR = 2;

/** Below this, a child starting before its parent is rounding and timer jitter, not skew. */
export const SKEW_TOLERANCE_NS = 1_000_000n;
/**
 * Below this, a child ending after its parent is how HTTP spans end, not skew: the server span ends once
 * its response is flushed and the client's may end as soon as it has read it, so on one machine with one
 * clock a callee regularly ends 1-20 ms after its caller (measured on the lab under load). A clock that is
 * ahead shows only this way, so smaller offsets of a clock that is ahead are not found.
 */
export const LATE_END_TOLERANCE_NS = 100_000_000n;

/** Whether the child may legitimately run outside its parent (messaging, links, FOLLOWS_FROM). */
function asynchronous(parent: SkewSpan, child: SkewSpan): boolean {
  return parent.kind === PRODUCER || child.kind === CONSUMER || child.kind === PRODUCER || child.followsFrom || child.linkedSpanIds.includes(parent.spanId);
}

/**
 * Whether the caller stopped waiting: the calling span, or one of its ancestors in the same service, is an
 * error. An aborted HTTP client span often ends without an error status of its own (the seed's payment
 * timeout: the `POST` client span is cut at 500 ms, its parent `call-payment-api` is the error), while the
 * callee runs on; that is no clock skew.
 */
function callerGaveUp(caller: SkewSpan, byId: ReadonlyMap<string, SkewSpan>): boolean {
  for (let s: SkewSpan | undefined = caller; s && s.service === caller.service; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
    if (s.statusCode === ERROR) return true;
  }
  return false;
}

const abs = (n: bigint) => (n < 0n ? -n : n);

/** The smallest |s| with lo ≤ s ≤ hi (lo ≤ hi). */
function nearestZero(lo: bigint, hi: bigint): bigint {
  if (lo > 0n) return lo;
  if (hi < 0n) return hi;
  return 0n;
}

function median(xs: bigint[]): bigint {
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return s[Math.floor((s.length - 1) / 2)]!;
}

export function clockSkew(spans: readonly SkewSpan[], toleranceNs = SKEW_TOLERANCE_NS, lateToleranceNs = LATE_END_TOLERANCE_NS): ServiceSkew[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const groups = new Map<string, { parent: string; child: string; pairs: SkewPair[]; ranges: [bigint, bigint][] }>();
  for (const c of spans) {
    const p = c.parentSpanId ? byId.get(c.parentSpanId) : undefined;
    if (!p || p.service === c.service || asynchronous(p, c)) continue;
    const early = p.startNs - c.startNs;
    // A caller that gave up (timeout, cancel: an error) stops waiting before the callee ends.
    const gaveUp = callerGaveUp(p, byId);
    const late = gaveUp ? 0n : c.endNs - p.endNs;
    if (early <= toleranceNs && late <= lateToleranceNs) continue;
    const key = `${p.service}\u0000${c.service}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { parent: p.service, child: c.service, pairs: [], ranges: [] }));
    g.pairs.push({ parentSpanId: p.spanId, childSpanId: c.spanId, earlyNs: early > 0n ? early : 0n, lateNs: late > 0n ? late : 0n });
    // Shifts s with p.start ≤ c.start + s and (unless the caller gave up) c.end + s ≤ p.end.
    const lo = p.startNs - c.startNs;
    const hi = gaveUp ? lo + (p.endNs - p.startNs) : p.endNs - c.endNs;
    // A child longer than its parent fits no shift: centre it instead.
    g.ranges.push(lo <= hi ? [lo, hi] : [(lo + hi) / 2n, (lo + hi) / 2n]);
  }
  const out: ServiceSkew[] = [];
  for (const g of groups.values()) {
    let lo = g.ranges[0]![0];
    let hi = g.ranges[0]![1];
    for (const [a, b] of g.ranges) {
      if (a > lo) lo = a;
      if (b < hi) hi = b;
    }
    const consistent = lo <= hi;
    const offsetNs = consistent ? nearestZero(lo, hi) : median(g.ranges.map(([a, b]) => nearestZero(a, b)));
    out.push({ parentService: g.parent, childService: g.child, offsetNs, consistent, pairs: g.pairs });
  }
  return out.sort((a, b) => (abs(b.offsetNs) > abs(a.offsetNs) ? 1 : abs(b.offsetNs) < abs(a.offsetNs) ? -1 : 0));
}
