/**
 * Which of the bootstrap's instrumentations run, from the variables the
 * OpenTelemetry Node auto-instrumentation package reads too:
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS (comma-separated; unset: all) and
 * OTEL_NODE_DISABLED_INSTRUMENTATIONS (removed from that). Names are the
 * instrumentation package names without `@opentelemetry/instrumentation-`.
 * Pure: reads the given env.
 */
export const INSTRUMENTATIONS = ['http', 'undici', 'pg', 'pino'] as const;
export type InstrumentationName = (typeof INSTRUMENTATIONS)[number];

export interface InstrumentationSelection {
  enabled: Set<InstrumentationName>;
  /** Names in either variable that are not one of INSTRUMENTATIONS (the caller warns). */
  unknown: string[];
}

const names = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const isKnown = (name: string): name is InstrumentationName => (INSTRUMENTATIONS as readonly string[]).includes(name);

export function selectInstrumentations(env: Record<string, string | undefined>): InstrumentationSelection {
  const wanted = names(env.OTEL_NODE_ENABLED_INSTRUMENTATIONS);
  const dropped = names(env.OTEL_NODE_DISABLED_INSTRUMENTATIONS);
  const unknown = [...new Set([...wanted, ...dropped].filter((n) => !isKnown(n)))];
  const enabled = new Set<InstrumentationName>(wanted.length > 0 ? wanted.filter(isKnown) : INSTRUMENTATIONS);
  for (const n of dropped) if (isKnown(n)) enabled.delete(n);
  return { enabled, unknown };
}

/**
 * What makes the SERVER span when `http` is enabled: the bootstrap's own wrapper (`lean`, the default:
 * http-server-span.ts, measured cheaper per request) or @opentelemetry/instrumentation-http
 * (`instrumentation-http`), from TRACELAB_HTTP_SERVER_SPAN. Pure: reads the given env.
 */
export const SERVER_SPAN_SOURCES = ['lean', 'instrumentation-http'] as const;
export type ServerSpanSource = (typeof SERVER_SPAN_SOURCES)[number];

export function serverSpanSource(env: Record<string, string | undefined>): { source: ServerSpanSource; unknown?: string } {
  const value = (env.TRACELAB_HTTP_SERVER_SPAN ?? '').trim().toLowerCase();
  if (value === '' || value === 'lean') return { source: 'lean' };
  if (value === 'instrumentation-http') return { source: 'instrumentation-http' };
  return { source: 'lean', unknown: value };
}
