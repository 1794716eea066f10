import { useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { formatDuration } from '../lib/format';
import { selfTimes, spanListRows, type SpanListColumn } from '../lib/spanList';
import type { SpanTree } from '../lib/spanTree';
import { useViewportHeight } from '../components/useViewportHeight';

const ROW = 24;
const OVERSCAN = 8;

const COLUMNS: { id: SpanListColumn; label: string; numeric: boolean }[] = [
  { id: 'service', label: 'Service', numeric: false },
  { id: 'name', label: 'Name', numeric: false },
  { id: 'start', label: 'Start', numeric: true },
  { id: 'duration', label: 'Duration', numeric: true },
  { id: 'self', label: 'Self', numeric: true },
  { id: 'status', label: 'Status', numeric: false },
  { id: 'kind', label: 'Kind', numeric: false },
];

export interface SpanListProps {
  tree: SpanTree;
  colors: Map<string, string>;
  selected: number;
  onSelect(index: number): void;
}

/** Every span in one flat, sortable, filterable list; windowed like the waterfall, so 10k spans stay cheap. */
export function SpanList({ tree, colors, selected, onSelect }: SpanListProps) {
  const self = useMemo(() => selfTimes(tree), [tree]);
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter);
  const [sort, setSort] = useState<{ column: SpanListColumn; dir: 'asc' | 'desc' }>({ column: 'start', dir: 'asc' });
  const rows = useMemo(() => spanListRows(tree, self, deferred, sort.column, sort.dir), [tree, self, deferred, sort]);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);

  const viewport = useViewportHeight(scroller);

  // Keep the selected span in view when it changes (and on arrival from another view).
  useLayoutEffect(() => {
    const el = scroller.current;
    const k = selected >= 0 ? rows.indexOf(selected) : -1;
    if (!el || k < 0) return;
    const top = k * ROW;
    if (top < el.scrollTop || top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, top - el.clientHeight / 2);
    // Not on re-sorts and filtering: the user scrolls those.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW) + OVERSCAN);
  const rendered = [];
  for (let k = first; k < last; k++) {
    const i = rows[k]!;
    const s = tree.spans[i]!;
    const isError = s.status.code === 'error';
    rendered.push(
      <div
        key={i}
        role="row"
        className={`span-list-row${i === selected ? ' selected' : ''}${isError ? ' error' : ''}`}
        aria-selected={i === selected}
        data-span-id={s.spanId}
        style={{ top: k * ROW }}
        onClick={() => onSelect(i)}
      >
        <span role="cell" className="c-service">
          <span className="svc-swatch" style={{ background: colors.get(s.service) ?? '#888' }} />
          {s.service}
        </span>
        <span role="cell" className="c-name">
          {s.name}
        </span>
        <span role="cell" className="c-start num">
          +{formatDuration(s.startUs)}
        </span>
        <span role="cell" className="c-duration num">
          {formatDuration(s.durationUs)}
        </span>
        <span role="cell" className="c-self num">
          {formatDuration(self[i]!)}
        </span>
        <span role="cell" className={`c-status${isError ? ' status-error' : ''}`}>
          {s.status.code.toUpperCase()}
        </span>
        <span role="cell" className="c-kind">
          {s.kind}
        </span>
      </div>,
    );
  }

  return (
    <div className="span-list" data-testid="span-list" data-rows={rows.length}>
      <div className="span-list-bar">
        <input type="search" value={filter} placeholder="Filter spans" aria-label="Filter spans" onChange={(e) => setFilter(e.target.value)} />
        <span className="muted">{rows.length === tree.spans.length ? `${rows.length} spans` : `${rows.length} of ${tree.spans.length} spans`}</span>
      </div>
      <div role="table" aria-label="Spans" aria-rowcount={rows.length} className="span-list-table">
        <div role="row" className="span-list-head">
          {COLUMNS.map((c) => (
            <span key={c.id} role="columnheader" className={`c-${c.id}${c.numeric ? ' num' : ''}`} aria-sort={sort.column === c.id ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
              <button
                type="button"
                className="sort"
                data-column={c.id}
                onClick={() => setSort((p) => (p.column === c.id ? { column: c.id, dir: p.dir === 'asc' ? 'desc' : 'asc' } : { column: c.id, dir: c.numeric ? 'desc' : 'asc' }))}
              >
                {c.label}
                {sort.column === c.id ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
              </button>
            </span>
          ))}
        </div>
        <div
          ref={scroller}
          className="span-list-scroller"
          onScroll={(e) => {
            const top = Math.floor(e.currentTarget.scrollTop / ROW) * ROW;
            if (top !== scrollTop) setScrollTop(top);
          }}
        >
          <div className="span-list-spacer" style={{ height: rows.length * ROW }}>
            {rendered}
          </div>
        </div>
      </div>
    </div>
  );
}
