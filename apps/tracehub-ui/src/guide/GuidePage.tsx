// /guide: the seed's four learning goals as short steps, each checked live
// against what tracehub has stored. Everything read from spans is rendered as
// text through React.
import { useMemo, type ReactNode } from 'react';
import { CopyValue } from '../components/CopyButton';
import { ErrorBox } from '../components/Messages';
import { formatMs } from '../lib/format';
import type { SpanData, TraceSummary } from '../lib/types';
import { Link } from '../router';
import {
  LAB_URLS,
  findHandOff,
  findStep,
  otlpHelloCommand,
  ownServices,
  randomHex,
  scenarioCommands,
  searchLink,
  slowestStep,
  type CheckId,
  type CheckResult,
  type ScenarioName,
  type SpanAnswer,
} from './checks';
import { PipelineDiagram } from './PipelineDiagram';
import { useGuideProgress, useTraceSpans } from './useGuideProgress';
import '../styles/guide.css';

export function GuidePage() {
  const live = useGuideProgress();
  const { progress } = live;
  // A fresh span for the "send it by hand" step, made once per visit.
  const hello = useMemo(
    () => otlpHelloCommand({ endpoint: LAB_URLS.otlpHttp, traceId: randomHex(16), spanId: randomHex(8), nowMs: Date.now() }),
    [],
  );
  const state = (id: CheckId) => (live.loaded ? (progress[id].done ? 'done' : 'pending') : 'loading');

  return (
    <article className="guide" data-loaded={live.loaded}>
      <header className="guide-intro">
        <h1>Lab guide</h1>
        <p>
          Four goals, a few steps each. Every step with a check turns green by itself as soon as tracehub stores a trace
          that shows it: no reload needed. Start the lab first with <code>npm start</code> and keep it running; run the
          commands in a second terminal.
        </p>
        <p className="guide-live muted" data-live-state={live.connection}>
          {live.connection === 'open'
            ? 'Watching tracehub live.'
            : live.connection === 'connecting'
              ? 'Connecting to tracehub’s live feed…'
              : 'Live feed lost; reconnecting…'}
        </p>
        {live.error && <ErrorBox error={live.error} title="The checks cannot ask tracehub" />}
      </header>

      <Goal n={1} title="Feel why tracing is needed" checks={[progress.normal]}>
        <p>
          One order is one HTTP request, yet it runs through order-service, PostgreSQL and payment-service. Their logs
          are spread over separate processes; a trace puts every step of that one request on one timeline.
        </p>
        <Step id="normal" check="normal" state={state('normal')} title="Place a normal order">
          <Scenario name="normal" />
          <Found check="normal" result={progress.normal} waiting="Waiting for a successful trace with root GET /order…" />
          <Question result={progress.normal} ask="Where did the time go? Which span took most of the order’s time itself?">
            {(spans, t) => {
              const slow = slowestStep(spans);
              return (
                slow && (
                  <>
                    <SpanRef traceId={t.traceId} span={slow} /> spent {formatMs(slow.durationMs)} of the order’s{' '}
                    {formatMs(t.durationMs)}
                    {slow.name === 'process-payment' ? ': the payment delay you asked for (delay=100).' : '.'}
                  </>
                )
              );
            }}
          </Question>
        </Step>
      </Goal>

      <Goal n={2} title="Understand how OpenTelemetry’s parts fit" checks={[progress.normal]}>
        <p>
          Each service runs the OpenTelemetry SDK: instrumentations make spans (incoming HTTP, fetch, pg) and the code adds its
          own (<code>check-stock</code>, <code>call-payment-api</code>, <code>save-order</code>). A batch span
          processor hands finished spans to the OTLP exporter, which sends them to a receiver. tracehub plays receiver,
          store and query API in one process; with <code>deploy/</code> the same services send to a Collector, Tempo
          stores, Grafana shows.
        </p>
        <figure className="guide-figure">
          <PipelineDiagram />
          <figcaption className="muted">
            Both rows carry the same OTLP data. The Collector also sends logs to Loki; tracehub keeps them itself
            (span panel → Logs).
          </figcaption>
        </figure>
        <Step id="propagation" check="normal" state={state('normal')} title="One trace, two services">
          <p>
            order-service calls payment-service with <code>fetch</code>; the SDK adds a <code>traceparent</code> header
            (<code>00-&lt;trace id&gt;-&lt;caller span id&gt;-01</code>) and payment-service continues the same trace. The
            normal order from goal 1 shows it.
          </p>
          <Found check="normal" result={progress.normal} waiting="Waiting for a trace that spans order-service and payment-service…" />
          <Question result={progress.normal} ask="Which order-service span is the parent of payment-service’s first span?">
            {(spans, t) => {
              const hop = findHandOff(spans);
              return (
                hop && (
                  <>
                    <SpanRef traceId={t.traceId} span={hop.callee} /> is a child of <SpanRef traceId={t.traceId} span={hop.caller} />
                    : the caller’s span id travelled in <code>traceparent</code>, so two processes wrote one trace.
                  </>
                )
              );
            }}
          </Question>
        </Step>
      </Goal>

      <Goal n={3} title="Wire Collector → Exporter → Backend" checks={[progress['own-service']]}>
        <p>
          The services find their backend through standard environment variables: <code>OTEL_SERVICE_NAME</code>,{' '}
          <code>OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318</code> and <code>OTEL_BSP_SCHEDULE_DELAY</code> (how
          often the batch is sent). Any OpenTelemetry app pointed there shows up here.
        </p>
        <Step id="own-service" check="own-service" state={state('own-service')} title="Be the exporter: send one span by hand">
          <p>
            This is what an exporter does on every batch: POST spans as OTLP to <code>/v1/traces</code> (here as JSON;
            the SDK sends protobuf).
          </p>
          <Command label="curl" value={hello} />
          <Found
            check="own-service"
            result={progress['own-service']}
            waiting="Waiting for spans from a service that is not part of the lab…"
            describe={(t) => <>from {ownServices(t).join(', ')}</>}
          />
        </Step>
        <Step id="collector" state="manual" title="Put a Collector in between (deploy/)">
          <p>
            On a machine with Docker, <code>deploy/</code> runs the seed’s stack: the services export to the OpenTelemetry
            Collector (<code>deploy/collector/otel-collector.yaml</code>: OTLP in, <code>memory_limiter</code> and{' '}
            <code>batch</code>, traces out to Tempo and logs to Loki), and Grafana reads Tempo. Only the exporter’s
            endpoint changes; the services stay the same.
          </p>
          <Command label="docker" value="docker compose -f deploy/compose/docker-compose.yml up --build" />
          <p>
            Or keep tracehub and also pass everything on to a Collector:{' '}
            <code>node apps/tracehub/dist/cli.js --forward http://collector.example:4318</code>. tracehub also speaks
            Tempo’s API (:3200), so Grafana’s Tempo data source can read it.
          </p>
          <p className="muted">Not checked here: this runs outside tracehub.</p>
        </Step>
      </Goal>

      <Goal
        n={4}
        title="Trace real error scenarios"
        checks={[progress['out-of-stock'], progress['payment-timeout'], progress['payment-failure']]}
      >
        <p>
          A failed span has status ERROR and an <code>exception</code> event; the trace shows where the failure started
          and which callers only passed it on.
        </p>
        <Step id="out-of-stock" check="out-of-stock" state={state('out-of-stock')} title="Order something that is out of stock">
          <Scenario name="out-of-stock" />
          <Found check="out-of-stock" result={progress['out-of-stock']} waiting="Waiting for a GET /order trace whose check-stock failed…" />
          <Question result={progress['out-of-stock']} ask="Which span said no? Was payment-service called?">
            {(spans, t) => {
              const no = findStep(spans, 'check-stock', { failed: true });
              return (
                no && (
                  <>
                    <SpanRef traceId={t.traceId} span={no} /> failed: <q>{clause(no.message)}</q>. The trace has no payment-service
                    span: the order stopped before paying.
                  </>
                )
              );
            }}
          </Question>
        </Step>
        <Step id="payment-timeout" check="payment-timeout" state={state('payment-timeout')} title="Make payment too slow">
          <p>
            <code>delay=600</code> asks payment-service to take 600 ms; order-service waits at most{' '}
            <code>PAYMENT_TIMEOUT_MS</code> (500 ms), then aborts the call.
          </p>
          <Scenario name="payment-timeout" />
          <Found check="payment-timeout" result={progress['payment-timeout']} waiting="Waiting for a GET /order trace whose call-payment-api timed out…" />
          <Question result={progress['payment-timeout']} ask="Which span gave up, and after how long? What did payment-service do?">
            {(spans, t) => {
              const gaveUp = findStep(spans, 'call-payment-api', { failed: true });
              const callee = findStep(spans, 'process-payment', { service: 'payment-service' });
              return (
                gaveUp && (
                  <>
                    <SpanRef traceId={t.traceId} span={gaveUp} /> gave up after {formatMs(gaveUp.durationMs)}:{' '}
                    <q>{clause(gaveUp.message)}</q>.
                    {callee && (
                      <>
                        {' '}
                        Meanwhile <SpanRef traceId={t.traceId} span={callee} /> ran {formatMs(callee.durationMs)} and ended{' '}
                        {callee.status === 'error' ? 'with an error: it saw the caller leave and stopped.' : `with status ${callee.status}.`}
                      </>
                    )}
                  </>
                )
              );
            }}
          </Question>
        </Step>
        <Step id="payment-failure" check="payment-failure" state={state('payment-failure')} title="Make payment fail (extra)">
          <Scenario name="payment-failure" />
          <Found check="payment-failure" result={progress['payment-failure']} waiting="Waiting for a GET /order trace whose payment was declined…" />
          <Question result={progress['payment-failure']} ask="Two spans are red in two services. Where did the failure start?">
            {(spans, t) => {
              const origin = findStep(spans, 'process-payment', { service: 'payment-service', failed: true });
              return (
                origin && (
                  <>
                    In <SpanRef traceId={t.traceId} span={origin} />: <q>{clause(origin.message)}</q>. order-service’s{' '}
                    <code>call-payment-api</code> only reports the answer it got.
                  </>
                )
              );
            }}
          </Question>
        </Step>
        <p className="muted">
          More ways to break things on purpose (latency, error rate, unreachable payment, retries, a slow query, N+1) are
          the fault switches: <code>curl -s {LAB_URLS.order}/admin/faults</code>, or the storefront’s Fault switches
          panel.
        </p>
      </Goal>
    </article>
  );
}

function Goal({ n, title, checks, children }: { n: number; title: string; checks: CheckResult[]; children: ReactNode }) {
  const done = checks.filter((c) => c.done).length;
  return (
    <section className="guide-goal" data-goal={n} aria-labelledby={`goal-${n}`}>
      <h2 id={`goal-${n}`}>
        <span className="guide-goal-n">{n}</span> {title}
        <span className={`guide-goal-count${done === checks.length ? ' all-done' : ''}`}>
          {done} of {checks.length} checked
        </span>
      </h2>
      {children}
    </section>
  );
}

type StepState = 'loading' | 'pending' | 'done' | 'manual';

const MARK: Record<StepState, string> = { loading: '…', pending: '○', done: '✓', manual: '–' };

function Step(props: { id: string; check?: CheckId; state: StepState; title: string; children: ReactNode }) {
  return (
    <section className={`guide-step ${props.state}`} data-step={props.id} data-check={props.check} data-state={props.state}>
      <h3>
        <span className="guide-mark" aria-hidden="true">
          {MARK[props.state]}
        </span>{' '}
        {props.title}
        {props.state === 'done' && <span className="visually-hidden"> (done)</span>}
      </h3>
      {props.children}
    </section>
  );
}

function Command({ label, value }: { label: string; value: string }) {
  return (
    <div className="guide-command" data-command={label}>
      <CopyValue label={label} value={value} />
    </div>
  );
}

function Scenario({ name }: { name: ScenarioName }) {
  const c = scenarioCommands(name);
  return (
    <>
      <Command label="curl" value={c.curl} />
      <Command label="or" value={c.npm} />
    </>
  );
}

/** What a check found: a link to the trace, or what it is waiting for. */
function Found(props: { check: CheckId; result: CheckResult; waiting: string; describe?: (t: TraceSummary) => ReactNode }) {
  const { result } = props;
  if (!result.done) return <p className="guide-found muted">{props.waiting}</p>;
  const t = result.trace;
  return (
    <p className="guide-found">
      Found: <Link to={`/trace/${t.traceId}`} className="guide-trace-link" data-trace-id={t.traceId}>
        trace {t.traceId.slice(0, 8)}…
      </Link>{' '}
      <span className="muted">
        {props.describe ? props.describe(t) : <>{t.rootName}</>}, {t.spanCount} span{t.spanCount === 1 ? '' : 's'},{' '}
        {formatMs(t.durationMs)}
        {!props.describe && `, ${t.services.map((s) => s.name).join(' + ')}`}
        {result.matches > 1 && ` (newest of ${result.matches})`}
      </span>{' '}
      · <Link to={searchLink(props.check)}>the search behind it</Link>
    </p>
  );
}

/** A question about the found trace; the answer is read from its spans and kept folded until asked for. */
function Question(props: {
  result: CheckResult;
  ask: string;
  children: (spans: SpanData[], t: TraceSummary) => ReactNode;
}) {
  const trace = props.result.done ? props.result.trace : undefined;
  const spans = useTraceSpans(trace);
  if (!trace) return <p className="guide-question muted">Question, once the trace is here: {props.ask}</p>;
  const body = spans && props.children(spans, trace);
  return (
    <div className="guide-question">
      <p>
        <strong>Question:</strong> {props.ask} <Link to={`/trace/${trace.traceId}`}>Open the trace</Link> and look.
      </p>
      <details>
        <summary>Check your answer</summary>
        <p className="guide-answer">{body || <span className="muted">Reading the trace…</span>}</p>
      </details>
    </div>
  );
}

/** A status message inside a sentence of ours: without its own full stop. */
const clause = (message: string) => message.replace(/\.\s*$/, '');

/** A span named in an answer, linking to it selected in its trace. */
function SpanRef({ traceId, span }: { traceId: string; span: SpanAnswer }) {
  return (
    <Link to={`/trace/${traceId}?span=${span.spanId}`} className="guide-span" data-span-id={span.spanId}>
      <code>{span.name}</code> ({span.service})
    </Link>
  );
}
