/**
 * The service map API: /api/v1/dependencies (nodes and edges with rates) and
 * /api/v1/dependencies/traces (the traces behind one edge). Thin: the store
 * reads, analysis/service-graph.ts shapes.
 */
import type * as wire from '@tracelab/api-contract';
import type { FastifyInstance } from 'fastify';
import { buildServiceGraph, isPeerId, peerAttributesFor } from '../analysis/service-graph.js';
import type { EdgeTarget, TraceReader } from '../store/types.js';
import { BadParameterError, parseLimit, parseTimeNs, type Query, single } from './params.js';
import { summaryJson } from './present.js';

const HOUR_NS = 3_600_000_000_000n;

/** `start`/`end` (unix ms or RFC 3339); default the hour before now. */
export function parseWindow(q: Query): { startNs: bigint; endNs: bigint } {
  const end = single(q, 'end');
  const start = single(q, 'start');
  const endNs = end ? parseTimeNs(end, 'end') : BigInt(Date.now()) * 1_000_000n;
  const startNs = start ? parseTimeNs(start, 'start') : endNs - HOUR_NS;
  if (startNs > endNs) throw new BadParameterError('start', 'must not be after end');
  return { startNs, endNs };
}

function required(q: Query, name: string, what: string): string {
  const v = single(q, name);
  if (v === undefined || v === '') throw new BadParameterError(name, `required (${what})`);
  return v;
}

export async function registerMapApi(app: FastifyInstance, deps: { reader: TraceReader }): Promise<void> {
  const { reader } = deps;

  app.get('/api/v1/dependencies', async (req): Promise<wire.ServiceGraph> => {
    const { startNs, endNs } = parseWindow(req.query as Query);
    const [dependencies, rows] = await Promise.all([reader.dependencies(startNs, endNs), reader.serviceGraph(startNs, endNs)]);
    const graph = buildServiceGraph(rows, startNs, endNs);
    return {
      dependencies,
      startTimeUnixNano: startNs.toString(),
      endTimeUnixNano: endNs.toString(),
      nodes: graph.nodes,
      edges: graph.edges,
    };
  });

  app.get('/api/v1/dependencies/traces', async (req): Promise<wire.TraceList> => {
    const q = req.query as Query;
    const source = required(q, 'source', 'the id of the calling node');
    const target = required(q, 'target', 'the id of the called node');
    const limit = parseLimit(single(q, 'limit'), 'limit', 20, 1000);
    const { startNs, endNs } = parseWindow(q);
    let edge: EdgeTarget = { service: target };
    if (isPeerId(target)) {
      // Which attribute combinations name this peer: the peer part of the map only.
      edge = { peers: peerAttributesFor(await reader.peerCalls(startNs, endNs), source, target) };
    }
    const traces = await reader.dependencyTraces(startNs, endNs, source, edge, limit);
    return { traces: traces.map(summaryJson) };
  });
}
