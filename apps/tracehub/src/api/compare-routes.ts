/**
 * GET /api/v1/compare: a trace against another trace (b=) or against a
 * baseline of traces with the same root service and operation (baseline=auto).
 * Thin: parameters here, SQL in the store, the comparison in analysis/compare.ts.
 */
import type * as wire from '@tracelab/api-contract';
import type { FastifyInstance } from 'fastify';
import { compareTraces, compareWithBaseline, traceInfo, traceInfoJson } from '../analysis/compare.js';
import { ApiError } from '../errors.js';
import type { SpanOutline, TraceReader } from '../store/types.js';
import { BadParameterError, parseDurationNs, parseLimit, parseTraceId, type Query, single } from './params.js';

const HOUR_NS = 3_600_000_000_000n;
const MAX_WINDOW_NS = 24n * HOUR_NS;
/** Baseline trace ids listed in the answer. */
const BASELINE_IDS_SHOWN = 20;

function traceIdParam(q: Query, name: string): string | undefined {
  const raw = single(q, name);
  return raw === undefined ? undefined : parseTraceId(raw, name);
}

/** "30 min", "2 h", "45 s": a window half for messages. */
function spoken(ns: bigint): string {
  const s = Number(ns) / 1e9;
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  if (s >= 1) return `${Math.round(s * 1000) / 1000} s`;
  return `${Math.round(s * 1e6) / 1000} ms`;
}

export interface CompareDeps {
  reader: TraceReader;
}

export async function registerCompareApi(app: FastifyInstance, deps: CompareDeps): Promise<void> {
  const { reader } = deps;

  app.get('/api/v1/compare', async (req): Promise<wire.Comparison> => {
    const q = req.query as Query;
    const a = traceIdParam(q, 'a');
    if (!a) throw new BadParameterError('a', 'required: the trace to compare (32 hex digits)');
    const b = traceIdParam(q, 'b');
    const baseline = single(q, 'baseline');
    if (b && baseline) throw new BadParameterError('baseline', 'give either b (another trace) or baseline=auto, not both');
    if (!b && !baseline) throw new BadParameterError('b', 'required: another trace id (b=...) or baseline=auto');
    if (baseline !== undefined && baseline !== 'auto') throw new BadParameterError('baseline', `"${baseline.slice(0, 64)}" is not supported; the only baseline is auto`);
    const rawWindow = single(q, 'window');
    const rawLimit = single(q, 'baselineLimit');
    if (b && (rawWindow || rawLimit)) throw new BadParameterError(rawWindow ? 'window' : 'baselineLimit', 'only with baseline=auto');
    const windowNs = rawWindow ? parseDurationNs(rawWindow, 'window') : HOUR_NS;
    if (windowNs <= 0n || windowNs > MAX_WINDOW_NS) throw new BadParameterError('window', 'must be more than 0 and at most 24h');
    const limit = parseLimit(rawLimit, 'baselineLimit', 50, 500);

    if (b) {
      const spans = await reader.spanOutlines([a, b]);
      const sa = spans.get(a);
      if (!sa) throw new ApiError('TRACE_NOT_FOUND', `trace ${a} (a) not found`);
      const sb = spans.get(b);
      if (!sb) throw new ApiError('TRACE_NOT_FOUND', `trace ${b} (b) not found`);
      const { rows, summary } = compareTraces(sa, sb);
      return { a: traceInfoJson(traceInfo(a, sa)), b: traceInfoJson(traceInfo(b, sb)), rows, summary };
    }

    const sa = (await reader.spanOutlines([a])).get(a);
    if (!sa) throw new ApiError('TRACE_NOT_FOUND', `trace ${a} (a) not found`);
    const info = traceInfo(a, sa);
    if (info.rootService === '') {
      throw new ApiError('BASELINE_EMPTY', `trace ${a} has no root span (yet), so there is no operation to find a baseline for; wait until it has arrived, or compare with one trace (b=<traceId>)`);
    }
    const half = windowNs / 2n;
    const startNs = info.rootStartNs - half;
    const endNs = info.rootStartNs + half;
    const ids = await reader.tracesByRoot({ service: info.rootService, name: info.rootName, startNs, endNs, excludeTraceId: a, limit });
    const byId = ids.length === 0 ? new Map<string, SpanOutline[]>() : await reader.spanOutlines(ids);
    const found = ids.filter((id) => byId.has(id));
    if (found.length === 0) {
      throw new ApiError(
        'BASELINE_EMPTY',
        `no other trace with root ${info.rootService} "${info.rootName}" started within ±${spoken(half)} of trace ${a}; ` +
          `widen the window (e.g. window=${windowNs * 6n > MAX_WINDOW_NS ? '24h' : `${Number((windowNs * 6n) / HOUR_NS) || 1}h`}, at most 24h), make more requests of that kind, or compare with one trace (b=<traceId>)`,
      );
    }
    const { rows, summary } = compareWithBaseline(sa, found.map((id) => byId.get(id)!));
    return {
      a: traceInfoJson(info),
      baseline: {
        traceCount: found.length,
        window: { startTimeUnixNano: startNs.toString(), endTimeUnixNano: endNs.toString() },
        traceIds: found.slice(0, BASELINE_IDS_SHOWN),
      },
      rows,
      summary,
    };
  });
}
