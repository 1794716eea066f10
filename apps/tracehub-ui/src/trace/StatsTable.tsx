import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { selfTime } from '../lib/criticalPath';
import { formatDuration } from '../lib/format';
import type { SpanTree } from '../lib/spanTree';
import { sortStats, traceStats, type StatsColumn, type StatsRow } from '../lib/traceStats';

/** Spans listed under an expanded row; the rest are counted. */
const SPANS_SHOWN = 200;

const COLUMNS: { id: StatsColumn; label: string; numeric: boolean }[] = [
  { id: 'service', label: 'Service', numeric: false },
  { id: 'name', label: 'Operation / statement', numeric: false },
  { id: 'count', label: 'Count', numeric: true },
  { id: 'totalUs', label: 'Total', numeric: true },
  { id: 'selfUs', label: 'Self total', numeric: true },
  { id: 'avgUs', label: 'Avg', numeric: true },
  { id: 'maxUs', label: 'Max', numeric: true },
  { id: 'errorCount', label: 'Errors', numeric: true },
];

export interface StatsTableProps {
  tree: SpanTree;
  colors: Map<string, string>;
  selected: number;
  onSelect(index: number): void;
}

/** Per service + operation statistics; database statements grouped by shape (an N+1 is one row). */
export function StatsTable({ tree, colors, selected, onSelect }: StatsTableProps) {
  const rows = useMemo(() => traceStats(tree), [tree]);
  const [sort, setSort] = useState<{ column: StatsColumn; dir: 'asc' | 'desc' }>({ column: 'totalUs', dir: 'desc' });
  const sorted = useMemo(() => sortStats(rows, sort.column, sort.dir), [rows, sort]);
  const rowOf = (i: number) => rows.find((r) => r.spans.includes(i));
  // The selected span's row starts open, so switching here shows the span.
  const [open, setOpen] = useState<ReadonlySet<string>>(() => {
    const r = selected >= 0 ? rowOf(selected) : undefined;
    return new Set(r ? [r.key] : []);
  });
  const table = useRef<HTMLDivElement>(null);

  // A selection made elsewhere (the span panel, another view) opens its row and scrolls to it.
  const scrollPending = useRef(true);
  useEffect(() => {
    scrollPending.current = true;
    const r = selected >= 0 ? rowOf(selected) : undefined;
    if (r) setOpen((o) => (o.has(r.key) ? o : new Set([...o, r.key])));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);
  useEffect(() => {
    if (!scrollPending.current) return;
    const el = table.current?.querySelector('.stats-span.selected');
    if (el) {
      el.scrollIntoView({ block: 'nearest' });
      scrollPending.current = false;
    }
  });

  const toggle = (key: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const fmt = (r: StatsRow, c: StatsColumn) => {
    const v = r[c];
    if (typeof v === 'string' || c === 'count' || c === 'errorCount') return String(v);
    return formatDuration(v as number);
  };

  return (
    <div className="stats" ref={table} data-testid="stats-table">
      <table>
        <thead>
          <tr>
            <th aria-label="Expand" />
            {COLUMNS.map((c) => (
              <th key={c.id} className={c.numeric ? 'num' : ''} aria-sort={sort.column === c.id ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button
                  type="button"
                  className="sort"
                  data-column={c.id}
                  onClick={() =>
                    setSort((s) => (s.column === c.id ? { column: c.id, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { column: c.id, dir: c.numeric ? 'desc' : 'asc' }))
                  }
                >
                  {c.label}
                  {sort.column === c.id ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => {
            const isOpen = open.has(r.key);
            return (
              <Fragment key={r.key}>
                <tr className={`stats-row${r.statement ? ' statement' : ''}${r.errorCount > 0 ? ' has-error' : ''}`} data-service={r.service} data-name={r.name} onClick={() => toggle(r.key)}>
                  <td>
                    <button type="button" className="toggle" aria-expanded={isOpen} aria-label={isOpen ? 'Hide spans' : `Show ${r.count} spans`}>
                      {isOpen ? '▾' : '▸'}
                    </button>
                  </td>
                  {COLUMNS.map((c) => (
                    <td key={c.id} className={`${c.numeric ? 'num' : ''} col-${c.id}`}>
                      {c.id === 'service' && <span className="svc-swatch" style={{ background: colors.get(r.service) ?? '#888' }} />}
                      {c.id === 'name' && r.statement ? <code>{r.name}</code> : fmt(r, c.id)}
                    </td>
                  ))}
                </tr>
                {isOpen && (
                  <tr className="stats-spans">
                    <td />
                    <td colSpan={COLUMNS.length}>
                      <ol>
                        {r.spans.slice(0, SPANS_SHOWN).map((i) => {
                          const s = tree.spans[i]!;
                          return (
                            <li key={i}>
                              <button
                                type="button"
                                className={`stats-span${i === selected ? ' selected' : ''}${s.status.code === 'error' ? ' error' : ''}`}
                                data-span-id={s.spanId}
                                aria-pressed={i === selected}
                                onClick={() => onSelect(i)}
                              >
                                <span className="span-name">{s.name}</span> <span className="muted">at +{formatDuration(s.startUs)}</span>{' '}
                                <span>{formatDuration(s.durationUs)}</span> <span className="muted">self {formatDuration(selfTime(tree, i))}</span>
                              </button>
                            </li>
                          );
                        })}
                      </ol>
                      {r.spans.length > SPANS_SHOWN && <p className="muted">and {r.spans.length - SPANS_SHOWN} more (the Spans view lists them all)</p>}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
