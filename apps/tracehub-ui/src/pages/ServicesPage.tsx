// RED metrics per service and operation from /api/v1/metrics: request rate,
// error rate and p95 sparklines, lab fault intervals shaded on each. A click
// on a point opens the search for that bucket; on an exemplar dot, the trace.
import { useState } from 'react';
import { getRedMetrics, type FaultInterval, type RedMetrics, type RedPoint, type RedSeries } from '../api/metrics';
import { EmptyState, ErrorBox, Loading } from '../components/Messages';
import { useAsync } from '../components/useAsync';
import { WINDOWS_MS, WindowControls, windowFrom } from '../components/WindowControls';
import { formatMs, formatRate } from '../lib/format';
import { band, searchHref, sparkPath, type Frame } from '../lib/sparkline';
import { navigate, useLocation } from '../router';
import '../styles/services.css';

const OFFERED = ['15m', '1h', '6h'] as const;
const W = 160;
const H = 32;

type Metric = 'rate' | 'errors' | 'p95';
const VALUE: Record<Metric, (p: RedPoint) => number | null> = {
  rate: (p) => (p.calls > 0 ? p.ratePerSec : 0),
  errors: (p) => (p.calls > 0 ? p.errorRate * 100 : 0),
  p95: (p) => p.p95Ms,
};
const LABEL: Record<Metric, string> = { rate: 'Rate', errors: 'Error rate', p95: 'p95' };

const clock = (ms: number) => new Date(ms).toLocaleTimeString();
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function Sparkline({ metric, series, m, operation }: { metric: Metric; series: RedSeries; m: RedMetrics; operation?: string }) {
  const values = series.points.map(VALUE[metric]);
  const max = Math.max(metric === 'errors' ? 100 : 0, ...values.map((v) => v ?? 0));
  const f: Frame = { width: W, height: H, startMs: m.startMs, endMs: m.endMs, max: max > 0 ? max : 1 };
  const open = (p: RedPoint) => navigate(searchHref(series.service, operation, p.startMs, Math.min(p.startMs + m.stepMs, m.endMs)));
  return (
    <svg className={`sparkline ${metric}`} width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${LABEL[metric]} of ${series.service}${operation ? ` ${operation}` : ''}`}>
      {m.faults.map((fi: FaultInterval, i) => {
        const b = band(f, fi.startMs, fi.endMs);
        return (
          <rect key={`f${i}`} className="fault-band" data-faults={fi.faults} x={b.x} y={0} width={b.width} height={H}>
            <title>{`lab.faults ${fi.faults} (${clock(fi.startMs)} – ${clock(fi.endMs)})`}</title>
          </rect>
        );
      })}
      <path className="line" d={sparkPath(f, values, m.stepMs)} />
      {series.points.map((p, i) => {
        const b = band(f, p.startMs, p.startMs + m.stepMs);
        const v = values[i];
        return (
          <rect key={`p${i}`} className="spark-point" data-start={p.startMs} data-calls={p.calls} x={b.x} y={0} width={b.width} height={H} onClick={() => open(p)}>
            <title>{`${clock(p.startMs)}: ${p.calls} calls${v === null || v === undefined ? '' : `, ${LABEL[metric]} ${metric === 'rate' ? formatRate(v) : metric === 'errors' ? `${v.toFixed(1)}%` : formatMs(v)}`}`}</title>
          </rect>
        );
      })}
      {metric === 'p95' &&
        series.points.map((p, i) =>
          p.exemplars ? (
            <circle
              key={`e${i}`}
              className={`exemplar${p.exemplars.error ? ' error' : ''}`}
              data-trace-id={p.exemplars.error?.traceId ?? p.exemplars.slowest.traceId}
              cx={band(f, p.startMs, p.startMs + m.stepMs).x + band(f, p.startMs, p.startMs + m.stepMs).width / 2}
              cy={Math.max(3, Math.min(H - 3, H - 2 - (p.exemplars.slowest.durationMs / f.max) * (H - 4)))}
              r={2.5}
              onClick={(e) => {
                e.stopPropagation();
                navigate(`/trace/${p.exemplars!.error?.traceId ?? p.exemplars!.slowest.traceId}`);
              }}
            >
              <title>{p.exemplars.error ? `a failed trace (${clock(p.startMs)})` : `slowest: ${formatMs(p.exemplars.slowest.durationMs)} (${clock(p.startMs)})`}</title>
            </circle>
          ) : null,
        )}
    </svg>
  );
}

function Row({ series, m, operation, expand }: { series: RedSeries; m: RedMetrics; operation?: string; expand?: { open: boolean; toggle: () => void } }) {
  const t = series.totals;
  return (
    <tr className={operation ? 'operation-row' : 'service-row'} data-service={series.service} data-operation={operation ?? '*'}>
      <td>
        {expand ? (
          <button type="button" className="expand" aria-expanded={expand.open} onClick={expand.toggle}>
            {expand.open ? '▾' : '▸'} {series.service}
          </button>
        ) : (
          operation
        )}
      </td>
      {(['rate', 'errors', 'p95'] as const).map((metric) => (
        <td key={metric}>
          <Sparkline metric={metric} series={series} m={m} {...(operation ? { operation } : {})} />
        </td>
      ))}
      <td className="num calls">{t.calls}</td>
      <td className="num rate">{formatRate(t.ratePerSec)}</td>
      <td className="num error-rate">{pct(t.errorRate)}</td>
      <td className="num p95">{t.p95Ms === null ? '–' : formatMs(t.p95Ms)}</td>
    </tr>
  );
}

function Operations({ service, m: outer, range }: { service: string; m: RedMetrics; range: string }) {
  const state = useAsync(
    (signal) => getRedMetrics(new URLSearchParams({ service, start: String(Math.floor(outer.startMs)), end: String(Math.ceil(outer.endMs)) }), signal),
    `${service} ${range} ${outer.startMs}`,
  );
  if (state.status === 'loading') return (<tr><td colSpan={8}><Loading what={`operations of ${service}`} /></td></tr>);
  if (state.status === 'error') return (<tr><td colSpan={8}><ErrorBox error={state.error} /></td></tr>);
  return (
    <>
      {state.value.series.map((s) => (
        <Row key={s.operation} series={s} m={state.value} operation={s.operation} />
      ))}
    </>
  );
}

export function ServicesPage() {
  const { params } = useLocation();
  const range = windowFrom(params.get('range'), OFFERED);
  const [reload, setReload] = useState(0);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const state = useAsync((signal) => {
    const end = Date.now();
    return getRedMetrics(new URLSearchParams({ start: String(end - WINDOWS_MS[range]), end: String(end) }), signal);
  }, `${range} ${reload}`);

  return (
    <div className="services-page">
      <WindowControls
        className="services-controls"
        value={range}
        offered={OFFERED}
        onChange={(w) => navigate(`/services?range=${w}`)}
        onRefresh={() => setReload((n) => n + 1)}
        note="Server spans; rate, error rate and p95 per bucket. Shaded: lab faults on."
        noteClassName="spark-value"
      />
      {state.status === 'loading' && <Loading what="metrics" />}
      {state.status === 'error' && <ErrorBox error={state.error} title="Could not load metrics" />}
      {state.status === 'done' && state.value.series.length === 0 && (
        <EmptyState title="No server spans in this window">
          <p>Send some requests to an instrumented service, or pick a longer window.</p>
        </EmptyState>
      )}
      {state.status === 'done' && state.value.series.length > 0 && (
        <>
          {state.value.faults.length > 0 && (
            <ul className="fault-list">
              {state.value.faults.map((f, i) => (
                <li key={i} className="fault-interval">
                  {`lab.faults ${f.faults}: ${clock(f.startMs)} – ${clock(f.endMs)}`}
                </li>
              ))}
            </ul>
          )}
          <table className="services-table">
            <thead>
              <tr>
                <th>Service</th>
                <th>Rate</th>
                <th>Error rate</th>
                <th>p95</th>
                <th>Calls</th>
                <th>Rate</th>
                <th>Errors</th>
                <th>p95</th>
              </tr>
            </thead>
            <tbody>
              {state.value.series.map((s) => {
                const isOpen = open.has(s.service);
                const toggle = () =>
                  setOpen((prev) => {
                    const next = new Set(prev);
                    if (next.has(s.service)) next.delete(s.service);
                    else next.add(s.service);
                    return next;
                  });
                return [
                  <Row key={s.service} series={s} m={state.value} expand={{ open: isOpen, toggle }} />,
                  isOpen ? <Operations key={`${s.service} ops`} service={s.service} m={state.value} range={range} /> : null,
                ];
              })}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
