// The data an offline trace file embeds (tracehub's transfer/offline-html.ts):
// the /api/v1/traces/{id}, /explain and /logs answers. Pure: parsed JSON → domain types.
import type { Explanation } from '@tracelab/trace-explain';
import { toLogs, toTraceDetail } from '../api/convert';
import type { LogRecord, TraceDetail } from '../lib/types';

export const OFFLINE_DATA_ID = 'tracehub-data';

export interface OfflineData {
  trace: TraceDetail;
  explain: Explanation | null;
  logs: LogRecord[];
  exportedAt: string;
  source: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toExplanation(v: unknown): Explanation | null {
  if (!isObj(v) || (v.status !== 'ok' && v.status !== 'error') || typeof v.summary !== 'string' || !Array.isArray(v.chain)) return null;
  const chain = v.chain.filter(
    (c): c is Explanation['chain'][number] => isObj(c) && typeof c.spanId === 'string' && typeof c.service === 'string' && typeof c.name === 'string' && typeof c.role === 'string',
  );
  const cause = isObj(v.cause) && typeof v.cause.spanId === 'string' ? (v.cause as Explanation['cause']) : null;
  return { status: v.status, summary: v.summary, cause, chain };
}

/** Throws an Error saying what is wrong when the file's data is not what tracehub writes. */
export function parseOfflineData(text: string): OfflineData {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`The trace data in this file is not valid JSON (${(e as Error).message}).`);
  }
  if (!isObj(doc)) throw new Error('The trace data in this file is not an object.');
  return {
    trace: toTraceDetail(doc.trace),
    explain: toExplanation(doc.explain),
    logs: doc.logs === undefined ? [] : toLogs(doc.logs),
    exportedAt: typeof doc.exportedAt === 'string' ? doc.exportedAt : '',
    source: typeof doc.source === 'string' ? doc.source : '',
  };
}

/** The embedded logs of one span, as the hub's /api/v1/logs?spanId= would answer. */
export function logsOfSpan(logs: LogRecord[], spanId: string): LogRecord[] {
  return logs.filter((l) => l.spanId === spanId);
}
