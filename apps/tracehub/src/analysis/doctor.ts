/**
 * The propagation doctor (pure): why a trace does not connect. From the
 * trace's spans and candidate spans of other traces (see broken-hop.ts) it
 * finds orphan spans, broken hops, clock skew across service boundaries and
 * spans with no service name or no known SDK; each finding names the spans,
 * says what is wrong in one sentence, the likely cause and a concrete fix.
 */
import type * as wire from '@tracelab/api-contract';
import { FINDING_KINDS } from '@tracelab/api-contract';
import { formatMs } from '@tracelab/trace-explain';
import { SpanKind, type SpanRecord } from '../model.js';
import { attrText } from '../store/rows.js';
import type { HopSpan } from '../store/types.js';
import { hopOperation, matchHops, type HopMatch } from './broken-hop.js';
import { clockSkew, type ServiceSkew, type SkewSpan } from './clock-skew.js';
import { HOP_KEYS } from './hop-match.js';

export type FindingKind = (typeof FINDING_KINDS)[number];

/** A finding as the wire contract declares it (`@tracelab/api-contract`). */
export type Finding = wire.Finding;

export interface Diagnosis {
  findings: Finding[];
  summary: string;
}

/** A span of the diagnosed trace as the doctor reads it. */
export interface DoctorSpan extends HopSpan, SkewSpan {
  statusCode: number;
  /** The resource's telemetry.sdk.name / telemetry.sdk.language, '' when absent. */
  sdkName: string;
  sdkLanguage: string;
}

function resourceText(r: SpanRecord['resource'], key: string): string {
  const a = r.attributes.find((x) => x.key === key);
  return a ? attrText(a.value).str : '';
}

/** A stored span in the doctor's shape (only the attributes matching reads). */
export function doctorSpan(s: SpanRecord): DoctorSpan {
  const attrs: Record<string, string> = {};
  const wanted = new Set<string>(HOP_KEYS);
  for (const a of s.attributes) if (wanted.has(a.key)) attrs[a.key] = attrText(a.value).str;
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    service: s.resource.serviceName,
    name: s.name,
    kind: s.kind,
    startNs: s.startTimeUnixNano,
    endNs: s.endTimeUnixNano,
    statusCode: s.statusCode,
    attrs,
    linkedSpanIds: s.links.map((l) => l.spanId),
    followsFrom: s.links.some((l) => l.attributes.some((a) => a.key === 'opentracing.ref_type' && attrText(a.value).str === 'follows_from')),
    sdkName: resourceText(s.resource, 'telemetry.sdk.name'),
    sdkLanguage: resourceText(s.resource, 'telemetry.sdk.language'),
  };
}

const ms = (ns: bigint) => formatMs(Number(ns < 0n ? -ns : ns) / 1e6);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const MAX_IDS = 50;

function brokenHop(m: HopMatch): Finding {
  const { client, server, side } = m;
  const hop = `${client.service} → ${server.service}: ${hopOperation(server)}`;
  const kindName = client.kind === SpanKind.PRODUCER ? 'message' : 'call';
  const here = side === 'client' ? client : server;
  const other = side === 'client' ? server : client;
  const finding =
    side === 'client'
      ? `The ${kindName} ${hop} left this trace: ${client.service}'s "${client.name}" span has no child here, and ${server.service} answered it in another trace (${server.traceId}).`
      : `This trace starts at ${server.service}, but its caller is in another trace (${client.traceId}): ${hop} did not carry the trace context.`;
  return {
    kind: 'broken-hop',
    spanIds: [here.spanId],
    finding,
    cause: `The trace context did not cross the hop: ${server.service} extracts no traceparent (OTEL_PROPAGATORS=none, or a propagator other than the one ${client.service} injects, e.g. b3 against tracecontext), ${client.service}'s client is not instrumented to inject it, or a proxy between them drops the header.`,
    fix: `Give both services the same propagators (OTEL_PROPAGATORS=tracecontext,baggage, the default; not "none"), make sure ${client.service}'s HTTP/messaging client instrumentation is enabled (e.g. undici/http in Node), and let proxies pass the traceparent and tracestate headers through.`,
    services: [client.service, server.service],
    hop,
    side,
    otherTraceId: other.traceId,
    otherSpanId: other.spanId,
  };
}

/** The spans under each parent span id that is not in the trace. */
function orphans(spans: readonly DoctorSpan[]): Finding[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, DoctorSpan[]>();
  for (const s of spans) {
    const list = children.get(s.parentSpanId);
    if (list) list.push(s);
    else children.set(s.parentSpanId, [s]);
  }
  const subtree = (s: DoctorSpan): number => {
    let n = 0;
    const stack = [s];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (seen.has(x.spanId)) continue;
      seen.add(x.spanId);
      n++;
      for (const c of children.get(x.spanId) ?? []) stack.push(c);
    }
    return n;
  };
  const out: Finding[] = [];
  for (const [parent, tops] of children) {
    if (parent === '' || ids.has(parent)) continue;
    const count = tops.reduce((n, s) => n + subtree(s), 0);
    const services = [...new Set(tops.map((s) => s.service))];
    const named = tops.slice(0, 3).map((s) => `${s.service}: ${s.name}`).join(', ') + (tops.length > 3 ? ', …' : '');
    const remote = tops.some((s) => s.kind === SpanKind.SERVER || s.kind === SpanKind.CONSUMER);
    out.push({
      kind: 'orphan-spans',
      spanIds: tops.slice(0, MAX_IDS).map((s) => s.spanId),
      finding: `Parent span ${parent} never arrived: ${plural(tops.length, 'span')} (${named}) point to it, ${plural(count, 'span')} in all hang under it.`,
      cause: remote
        ? `The caller of ${services.join(', ')} sent its trace context (traceparent) but its own span was never stored here: the caller exports elsewhere or not at all (OTEL_TRACES_EXPORTER=none, another OTEL_EXPORTER_OTLP_ENDPOINT), a sampler dropped it while the callee kept the trace, its exporter dropped or never flushed it, or it is still on its way.`
        : `A span of ${services.join(', ')} itself was lost: it was never ended, the process exited before the exporter flushed, or the export queue was full and dropped it (or it is still on its way).`,
      fix: remote
        ? 'Point the caller at this tracehub (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER=otlp), use a parent-based sampler everywhere (OTEL_TRACES_SAMPLER=parentbased_always_on or parentbased_traceidratio) so a trace is kept or dropped as a whole, and call the SDK\'s shutdown() before the process exits.'
        : 'End every span (span.end() in a finally block), call the SDK\'s shutdown() before the process exits so the last batch is flushed, and raise OTEL_BSP_MAX_QUEUE_SIZE if spans are dropped under load.',
      services,
      missingParentSpanId: parent,
      spanCount: count,
    });
  }
  return out;
}

function skewFinding(s: ServiceSkew): Finding {
  const early = s.pairs.filter((p) => p.earlyNs > 0n).length;
  const late = s.pairs.filter((p) => p.lateNs > 0n).length;
  const what = [early > 0 ? `${plural(early, 'span')} start before` : '', late > 0 ? `${plural(late, 'span')} end after` : ''].filter(Boolean).join(' and ');
  const direction = s.offsetNs > 0n ? 'behind' : 'ahead of';
  return {
    kind: 'clock-skew',
    spanIds: [...new Set([...s.pairs.map((p) => p.childSpanId), ...s.pairs.map((p) => p.parentSpanId)])].slice(0, MAX_IDS),
    finding: `${s.childService}'s clock looks about ${ms(s.offsetNs)} ${direction} ${s.parentService}'s: ${what} their ${s.parentService} parent span${s.pairs.length === 1 ? '' : 's'}.`,
    cause: s.consistent
      ? `The clocks of the hosts (or VMs, containers) running ${s.parentService} and ${s.childService} disagree; each span's times come from its own host's clock.`
      : `The clocks of ${s.parentService} and ${s.childService} disagree by different amounts from call to call: one of them drifts or steps (no time sync, or a VM that was paused).`,
    fix: `Synchronise the clocks with NTP on the host of ${s.childService} and of ${s.parentService} (chrony or systemd-timesyncd: timedatectl set-ntp true; check chronyc tracking); the offset is shifting ${s.childService}'s spans by ${s.offsetNs > 0n ? '+' : '-'}${ms(s.offsetNs)}.`,
    services: [s.parentService, s.childService],
    offsetNs: s.offsetNs.toString(),
  };
}

/** Spans grouped by service, in first-seen order, for the resource checks. */
function byService(spans: readonly DoctorSpan[], test: (s: DoctorSpan) => boolean): Map<string, DoctorSpan[]> {
  const out = new Map<string, DoctorSpan[]>();
  for (const s of spans) {
    if (!test(s)) continue;
    const list = out.get(s.service);
    if (list) list.push(s);
    else out.set(s.service, [s]);
  }
  return out;
}

export const unnamedService = (service: string) => service.trim() === '' || service.startsWith('unknown_service');

function resourceFindings(spans: readonly DoctorSpan[]): Finding[] {
  const out: Finding[] = [];
  for (const [service, list] of byService(spans, (s) => unnamedService(s.service))) {
    out.push({
      kind: 'missing-service-name',
      spanIds: list.slice(0, MAX_IDS).map((s) => s.spanId),
      finding: `${plural(list.length, 'span')} (${list[0]!.name}${list.length > 1 ? ', …' : ''}) carry no service.name, so they show as "${service || '(empty)'}" and no hop can name their service.`,
      cause: 'The SDK was started without a service name: OTEL_SERVICE_NAME is unset and the resource has no service.name, so the SDK fell back to unknown_service.',
      fix: 'Set OTEL_SERVICE_NAME=<service> (or OTEL_RESOURCE_ATTRIBUTES=service.name=<service>) in that process\'s environment, or give the SDK a resource with service.name.',
      services: [service],
      spanCount: list.length,
    });
  }
  for (const [service, list] of byService(spans, (s) => s.sdkName === '' && s.sdkLanguage === '')) {
    out.push({
      kind: 'unknown-sdk',
      spanIds: list.slice(0, MAX_IDS).map((s) => s.spanId),
      finding: `${service}'s ${plural(list.length, 'span')} carry neither telemetry.sdk.name nor telemetry.sdk.language, so which SDK made them, and which propagators it uses, is unknown.`,
      cause: 'The resource was built without the SDK\'s defaults (a hand-made resource or exporter, a non-OpenTelemetry client), or a pipeline in between (collector processor, converter) dropped the resource attributes.',
      fix: `Start ${service} with the OpenTelemetry SDK's default resource (in Node: NodeSDK, or defaultResource().merge(yourResource) rather than a bare resourceFromAttributes), and keep telemetry.sdk.* in collector resource processors.`,
      services: [service],
      spanCount: list.length,
    });
  }
  return out;
}

function summarize(spans: readonly DoctorSpan[], findings: readonly Finding[]): string {
  const services = new Set(spans.map((s) => s.service)).size;
  if (findings.length === 0) {
    return `No propagation problems: the ${plural(spans.length, 'span')} from ${plural(services, 'service')} connect (every parent arrived, no call left the trace) and no clock skew shows across service boundaries.`;
  }
  const count = (k: FindingKind) => findings.filter((f) => f.kind === k).length;
  const parts: string[] = [];
  const hops = findings.filter((f) => f.kind === 'broken-hop');
  if (hops.length > 0) parts.push(`${plural(hops.length, 'broken hop')} (${hops.map((h) => h.hop).join('; ')})`);
  if (count('orphan-spans') > 0) parts.push(`${plural(count('orphan-spans'), 'missing parent span')}`);
  if (count('clock-skew') > 0) parts.push(`clock skew between ${plural(count('clock-skew'), 'service pair')}`);
  if (count('missing-service-name') > 0) parts.push('spans without service.name');
  if (count('unknown-sdk') > 0) parts.push(`${plural(count('unknown-sdk'), 'service')} with an unknown SDK`);
  return `${plural(findings.length, 'finding')}: ${parts.join(', ')}.`;
}

/** Diagnoses one trace; `candidates` are spans of other traces around its time (store.hopCandidates). */
export function diagnose(spans: readonly DoctorSpan[], candidates: readonly HopSpan[]): Diagnosis {
  const findings = [
    ...matchHops(spans, candidates).map(brokenHop),
    ...orphans(spans),
    ...clockSkew(spans).map(skewFinding),
    ...resourceFindings(spans),
  ];
  return { findings, summary: summarize(spans, findings) };
}
