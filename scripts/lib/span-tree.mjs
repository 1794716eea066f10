// Pure: a trace from tracehub's GET /api/v1/traces/{id} as indented text.

/**
 * @typedef {{ spanId: string, parentSpanId: string | null, name: string, kind: string, service: string,
 *   startTimeUnixNano: string, durationMs: number, status: { code: string, message: string },
 *   events?: { name: string, attributes: { key: string, value: { type: string, value: unknown } }[] }[] }} ApiSpan
 */

/** Turns spans into a forest: roots are spans without a parent in this trace (a missing parent is shown, not hidden). */
export function buildSpanForest(spans) {
  const byId = new Map(spans.map((s) => [s.spanId, { span: s, children: [] }]));
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.span.parentSpanId ? byId.get(node.span.parentSpanId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a, b) => {
    const x = BigInt(a.span.startTimeUnixNano);
    const y = BigInt(b.span.startTimeUnixNano);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const sort = (nodes) => {
    nodes.sort(byStart);
    for (const n of nodes) sort(n.children);
  };
  sort(roots);
  return roots;
}

function exceptionMessage(span) {
  for (const ev of span.events ?? []) {
    if (ev.name !== 'exception') continue;
    const msg = ev.attributes.find((a) => a.key === 'exception.message');
    if (msg) return String(msg.value.value);
  }
  return '';
}

/** Duration as people read it: "0.42 ms", "12.3 ms", "1.52 s". */
export function formatDuration(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * Renders the trace as a tree, one span per line:
 *   name [service, kind] duration, plus "ERROR: <message>" for failed spans.
 * @param {ApiSpan[]} spans
 * @returns {string}
 */
export function renderSpanTree(spans) {
  const lines = [];
  const walk = (node, prefix, isLast, isRoot) => {
    const s = node.span;
    const branch = isRoot ? '' : isLast ? '└─ ' : '├─ ';
    let line = `${prefix}${branch}${s.name} [${s.service}, ${s.kind}] ${formatDuration(s.durationMs)}`;
    if (isRoot && s.parentSpanId !== null) line += ' (parent span not received)';
    if (s.status.code === 'error') {
      const why = s.status.message || exceptionMessage(s);
      line += why ? `  ERROR: ${why}` : '  ERROR';
    }
    lines.push(line);
    const childPrefix = isRoot ? prefix : prefix + (isLast ? '   ' : '│  ');
    node.children.forEach((c, i) => walk(c, childPrefix, i === node.children.length - 1, false));
  };
  for (const root of buildSpanForest(spans)) walk(root, '', true, true);
  return lines.join('\n');
}
