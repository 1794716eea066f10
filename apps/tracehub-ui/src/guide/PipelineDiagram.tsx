// The OpenTelemetry pipeline, drawn: the lab on one machine (npm start) and the
// same services on deploy/'s Docker stack. Columns line up what plays which part.

interface Box {
  col: number;
  span?: number;
  title: string;
  sub: string;
  kind: 'app' | 'hub' | 'stack';
}

const COL_W = 168;
const GAP = 28;
const BOX_H = 62;
const LEFT = 12;
const LANES = [
  {
    y: 44,
    label: 'npm start: everything on one machine',
    group: { from: 2, to: 5, label: 'tracehub (one process)' },
    boxes: [
      { col: 0, title: 'OpenTelemetry SDK', sub: 'in each service', kind: 'app' },
      { col: 1, title: 'OTLP exporter', sub: 'batch → http/protobuf', kind: 'app' },
      { col: 2, title: 'OTLP receiver', sub: ':4318 HTTP · :4317 gRPC', kind: 'hub' },
      { col: 3, title: 'Store', sub: 'DuckDB in .data/tracehub', kind: 'hub' },
      { col: 4, title: 'Query API', sub: '/api/v1 (+ Tempo, Jaeger)', kind: 'hub' },
      { col: 5, title: 'UI', sub: 'search · trace · guide', kind: 'hub' },
    ] as Box[],
  },
  {
    y: 200,
    label: 'deploy/: docker compose (profile tempo)',
    group: null,
    boxes: [
      { col: 0, title: 'OpenTelemetry SDK', sub: 'the same services', kind: 'app' },
      { col: 1, title: 'OTLP exporter', sub: 'to otel-collector:4318', kind: 'app' },
      { col: 2, title: 'OTel Collector', sub: 'memory_limiter → batch', kind: 'stack' },
      { col: 3, span: 2, title: 'Grafana Tempo', sub: 'stores traces · query API :3200', kind: 'stack' },
      { col: 5, title: 'Grafana', sub: 'Explore → Tempo :3000', kind: 'stack' },
    ] as Box[],
  },
];

const x = (col: number) => LEFT + col * (COL_W + GAP);
const width = (b: Box) => (b.span ?? 1) * COL_W + ((b.span ?? 1) - 1) * GAP;
const VIEW_W = x(6) - GAP + LEFT;

export function PipelineDiagram() {
  return (
    <svg
      className="pipeline"
      data-testid="pipeline-diagram"
      viewBox={`0 0 ${VIEW_W} 300`}
      role="img"
      aria-labelledby="pipeline-title"
    >
      <title id="pipeline-title">
        The OpenTelemetry pipeline: SDK, exporter, OTLP receiver, store, query API, UI; and with deploy/: SDK, exporter,
        Collector, Tempo, Grafana
      </title>
      <defs>
        <marker id="pipeline-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className="pipeline-arrow-head" />
        </marker>
      </defs>
      {LANES.map((lane) => (
        <g key={lane.label} className="pipeline-lane">
          <text x={LEFT} y={lane.y - 18} className="pipeline-lane-label">
            {lane.label}
          </text>
          {lane.group && (
            <g className="pipeline-group">
              <rect x={x(lane.group.from) - 8} y={lane.y - 10} width={x(lane.group.to) + COL_W - x(lane.group.from) + 16} height={BOX_H + 34} rx={10} />
              <text x={x(lane.group.from)} y={lane.y + BOX_H + 18}>
                {lane.group.label}
              </text>
            </g>
          )}
          {lane.boxes.map((b, i) => {
            const next = lane.boxes[i + 1];
            return (
              <g key={b.title} className={`pipeline-box ${b.kind}`}>
                <rect x={x(b.col)} y={lane.y} width={width(b)} height={BOX_H} rx={6} />
                <text x={x(b.col) + width(b) / 2} y={lane.y + 25} className="pipeline-box-title">
                  {b.title}
                </text>
                <text x={x(b.col) + width(b) / 2} y={lane.y + 45} className="pipeline-box-sub">
                  {b.sub}
                </text>
                {next && (
                  <line
                    x1={x(b.col) + width(b) + 2}
                    y1={lane.y + BOX_H / 2}
                    x2={x(next.col) - 3}
                    y2={lane.y + BOX_H / 2}
                    className="pipeline-flow"
                    markerEnd="url(#pipeline-arrow)"
                  />
                )}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
