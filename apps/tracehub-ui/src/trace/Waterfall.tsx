import { memo, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { CriticalSection, SpanSections } from '../lib/criticalPath';
import { type Fold, type Folds, foldOnCriticalPath } from '../lib/foldSiblings';
import { formatDuration } from '../lib/format';
import type { SpanTree } from '../lib/spanTree';
import { timeTicks } from '../lib/timeScale';
import { Minimap } from './Minimap';
import { useViewportHeight } from '../components/useViewportHeight';

export const ROW_HEIGHT = 24;
// Rows rendered beyond the viewport, so fast scrolling shows no blank band.
const OVERSCAN = 8;

export interface WaterfallHandle {
  scrollToSpan(index: number): void;
  focus(): void;
}

export interface WaterfallProps {
  ref?: Ref<WaterfallHandle>;
  tree: SpanTree;
  /** Span indices in display order (from visibleRows). */
  rows: Int32Array;
  collapsed: ReadonlySet<number>;
  colors: Map<string, string>;
  critical: SpanSections | null;
  matches: ReadonlySet<number>;
  currentMatch: number;
  selected: number;
  onSelect(index: number): void;
  onToggle(index: number): void;
  onCollapse(index: number, collapsed: boolean): void;
  /** Runs of repeated siblings; a run not in `unfolded` is one row. */
  folds?: Folds;
  unfolded?: ReadonlySet<number>;
  onFold?(first: number, folded: boolean): void;
}

/**
 * The span waterfall as a windowed list: only the rows in (and just around)
 * the viewport exist in the DOM, so a 100,000-span trace costs the same to
 * render and scroll as a 100-span one.
 */
export function Waterfall(props: WaterfallProps) {
  const { tree, rows, collapsed, colors, critical, matches, currentMatch, selected } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [ready, setReady] = useState(false);

  const position = useMemo(() => {
    const pos = new Int32Array(tree.spans.length).fill(-1);
    for (let k = 0; k < rows.length; k++) pos[rows[k]!] = k;
    return pos;
  }, [tree, rows]);

  const viewport = useViewportHeight(scroller);

  // Tell benchmarks and tests when the first rows are painted and the page can take input:
  // one frame to paint, then a task, which runs only once the main thread is free.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const raf = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        performance.mark('waterfall-ready');
        setReady(true);
      }, 0);
    });
    return () => {
      cancelAnimationFrame(raf);
      clearTimeout(timer);
    };
  }, []);

  const scrollToRow = (k: number) => {
    const el = scroller.current;
    if (!el || k < 0) return;
    const top = k * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  };

  useImperativeHandle(props.ref, () => ({
    scrollToSpan: (index: number) => {
      const el = scroller.current;
      const k = position[index] ?? -1;
      if (!el || k < 0) return;
      // Centre a far-away target; nudge a nearby one.
      const top = k * ROW_HEIGHT;
      if (top < el.scrollTop || top + ROW_HEIGHT > el.scrollTop + el.clientHeight) {
        el.scrollTop = Math.max(0, top - el.clientHeight / 2);
      }
    },
    focus: () => scroller.current?.focus(),
  }));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const k = selected >= 0 ? (position[selected] ?? -1) : -1;
    const firstInView = Math.min(rows.length - 1, Math.ceil(scrollTop / ROW_HEIGHT));
    const pageRows = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const go = (row: number) => {
      const r = Math.max(0, Math.min(rows.length - 1, row));
      props.onSelect(rows[r]!);
      scrollToRow(r);
    };
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        go(k < 0 ? firstInView : k + 1);
        break;
      case 'ArrowUp':
        go(k < 0 ? firstInView : k - 1);
        break;
      case 'PageDown':
        go(k < 0 ? firstInView : k + pageRows);
        break;
      case 'PageUp':
        go(k < 0 ? firstInView : k - pageRows);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (selected < 0) go(firstInView);
        else if (tree.childCount[selected]! > 0 && collapsed.has(selected)) props.onCollapse(selected, false);
        else if (tree.childCount[selected]! > 0) go(k + 1);
        break;
      case 'ArrowLeft':
        if (selected < 0) go(firstInView);
        else if (tree.childCount[selected]! > 0 && !collapsed.has(selected)) props.onCollapse(selected, true);
        else if (tree.parent[selected]! >= 0) go(position[tree.parent[selected]!]!);
        break;
      case 'Enter':
        if (selected >= 0 && tree.childCount[selected]! > 0) props.onToggle(selected);
        break;
      case 'Escape':
        props.onSelect(-1);
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const ticks = useMemo(() => timeTicks(0, tree.durationUs, 6), [tree.durationUs]);
  const total = tree.durationUs || 1;

  // Rows are keyed by slot (row number modulo the most rows ever rendered at once), not by span: a row
  // that scrolls out hands its DOM nodes to the one that scrolls in, so a scroll or a jump updates a
  // screenful of rows in place instead of removing and creating them. Rows that stay keep their slot.
  const slots = Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN + 2;
  const rendered = [];
  for (let k = first; k < last; k++) {
    const i = rows[k]!;
    const fold = props.folds?.byFirst.get(i);
    const folded = fold !== undefined && !props.unfolded?.has(i);
    rendered.push(
      <Row
        key={k % slots}
        fold={fold}
        folded={folded}
        foldCritical={folded && critical !== null ? foldOnCriticalPath(tree, fold, critical) : false}
        onFold={props.onFold}
        tree={tree}
        index={i}
        top={k * ROW_HEIGHT}
        total={total}
        color={colors.get(tree.spans[i]!.service) ?? '#888'}
        isCollapsed={collapsed.has(i)}
        isSelected={i === selected}
        isMatch={matches.has(i)}
        isCurrentMatch={i === currentMatch}
        critical={critical?.get(i)}
        onSelect={props.onSelect}
        onToggle={props.onToggle}
      />,
    );
  }

  return (
    <div className="waterfall" data-ready={ready ? 'true' : 'false'} data-rows={rows.length}>
      <Minimap
        tree={tree}
        rows={rows}
        colors={colors}
        scrollTop={scrollTop}
        viewport={viewport}
        rowHeight={ROW_HEIGHT}
        onNavigate={(row) => {
          if (scroller.current) scroller.current.scrollTop = Math.max(0, row * ROW_HEIGHT - viewport / 2);
        }}
      />
      <div className="ruler" aria-hidden="true">
        <div className="name-col">Service &amp; operation</div>
        <div className="bar-col">
          {ticks.map((t) => (
            <span key={t.us} className="tick" style={{ left: `${t.fraction * 100}%` }}>
              {formatDuration(t.us)}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scroller}
        className="rows-scroller"
        tabIndex={0}
        role="tree"
        aria-label="Span tree"
        aria-activedescendant={selected >= 0 && position[selected]! >= first && position[selected]! < last ? `span-row-${selected}` : undefined}
        onScroll={(e) => {
          // Re-render only when the scroll crosses a row boundary; sub-row
          // scrolling is the browser's job alone.
          const top = Math.floor(e.currentTarget.scrollTop / ROW_HEIGHT) * ROW_HEIGHT;
          if (top !== scrollTop) setScrollTop(top);
        }}
        onKeyDown={onKeyDown}
      >
        <div className="rows-spacer" style={{ height: rows.length * ROW_HEIGHT }}>
          <div className="gridlines" aria-hidden="true">
            {ticks.map((t) => (
              <span key={t.us} style={{ left: `${t.fraction * 100}%` }} />
            ))}
          </div>
          {rendered}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  fold: Fold | undefined;
  /** The row stands for the whole run. */
  folded: boolean;
  foldCritical: boolean;
  onFold: ((first: number, folded: boolean) => void) | undefined;
  tree: SpanTree;
  index: number;
  top: number;
  total: number;
  color: string;
  isCollapsed: boolean;
  isSelected: boolean;
  isMatch: boolean;
  isCurrentMatch: boolean;
  critical: CriticalSection[] | undefined;
  onSelect(index: number): void;
  onToggle(index: number): void;
}

const Row = memo(function Row(p: RowProps) {
  if (p.fold && p.folded) return <FoldRow {...p} fold={p.fold} />;
  const s = p.tree.spans[p.index]!;
  const depth = p.tree.depth[p.index]!;
  const kids = p.tree.childCount[p.index]!;
  const isError = s.status.code === 'error';
  const left = (s.startUs / p.total) * 100;
  const width = (s.durationUs / p.total) * 100;
  // Labels sit right of the bar; left of it when the bar ends near the right
  // edge; inside it when the bar fills nearly the whole row.
  const labelInside = left + width > 75 && left < 12;
  const labelLeft = left + width > 75 && !labelInside;
  const cls = ['span-row'];
  if (isError) cls.push('error');
  if (p.isSelected) cls.push('selected');
  if (p.isMatch) cls.push('match');
  if (p.isCurrentMatch) cls.push('current-match');
  if (p.critical) cls.push('on-critical-path');
  return (
    <div
      id={`span-row-${p.index}`}
      className={cls.join(' ')}
      style={{ top: p.top }}
      role="treeitem"
      aria-level={depth + 1}
      aria-selected={p.isSelected}
      aria-expanded={kids > 0 ? !p.isCollapsed : undefined}
      data-span-id={s.spanId}
      onClick={() => p.onSelect(p.index)}
    >
      <div className="name-col">
        {/* Indentation: capped so very deep traces still leave room for the name. */}
        <span className="indent" style={{ width: Math.min(depth, 40) * 12 }} />
        {kids > 0 ? (
          <button
            type="button"
            className="toggle"
            tabIndex={-1}
            aria-label={p.isCollapsed ? `Expand ${kids} children` : 'Collapse'}
            onClick={(e) => {
              e.stopPropagation();
              p.onToggle(p.index);
            }}
          >
            {p.isCollapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="toggle-space" />
        )}
        <span className="svc-swatch" style={{ background: p.color }} />
        <span className="svc-name">{s.service}</span>
        <span className="span-name">{s.name}</span>
        {isError && (
          <span className="error-mark" title="status ERROR">
            !
          </span>
        )}
        {p.isCollapsed && <span className="hidden-count">+{p.tree.subtreeEnd[p.index]! - p.index - 1}</span>}
        {p.fold && p.onFold && (
          <button
            type="button"
            className="small fold-again"
            tabIndex={-1}
            title={`Fold the ${p.fold.count} repeated ${s.name} spans into one row`}
            onClick={(e) => {
              e.stopPropagation();
              p.onFold?.(p.index, true);
            }}
          >
            fold × {p.fold.count}
          </button>
        )}
      </div>
      <div className="bar-col">
        <span
          className="bar"
          style={{ left: `${left}%`, width: `max(${width}%, 2px)`, background: isError ? undefined : p.color }}
        >
          {p.critical?.map((c, k) => (
            <span
              key={k}
              className="cp"
              style={{
                left: `${s.durationUs > 0 ? ((c.startUs - s.startUs) / s.durationUs) * 100 : 0}%`,
                width: `${s.durationUs > 0 ? ((c.endUs - c.startUs) / s.durationUs) * 100 : 100}%`,
              }}
            />
          ))}
        </span>
        <span
          className={`bar-label${labelLeft ? ' to-left' : ''}${labelInside ? ' inside' : ''}`}
          style={
            labelInside
              ? { right: `${Math.max(0, 100 - left - width)}%` }
              : labelLeft
                ? { right: `${100 - left}%` }
                : { left: `${left + width}%` }
          }
        >
          {formatDuration(s.durationUs)}
        </span>
      </div>
    </div>
  );
});

/** One row for a run of repeated siblings: "× N" with total, min and max duration; a click unfolds it. */
function FoldRow(p: RowProps & { fold: Fold }) {
  const s = p.tree.spans[p.index]!;
  const f = p.fold;
  const depth = p.tree.depth[p.index]!;
  const left = (f.startUs / p.total) * 100;
  const width = ((f.endUs - f.startUs) / p.total) * 100;
  const cls = ['span-row', 'fold-row'];
  if (f.errorCount > 0) cls.push('error');
  if (p.isSelected) cls.push('selected');
  if (p.foldCritical) cls.push('on-critical-path');
  const unfold = () => {
    p.onFold?.(p.index, false);
    p.onSelect(p.index);
  };
  return (
    <div
      id={`span-row-${p.index}`}
      className={cls.join(' ')}
      style={{ top: p.top }}
      role="treeitem"
      aria-level={depth + 1}
      aria-selected={p.isSelected}
      aria-expanded={false}
      data-span-id={s.spanId}
      data-testid="fold-row"
      data-fold-count={f.count}
      title={`${f.count} repeated ${s.service} ${s.name} spans: click to show them one by one`}
      onClick={unfold}
    >
      <div className="name-col">
        <span className="indent" style={{ width: Math.min(depth, 40) * 12 }} />
        <button
          type="button"
          className="toggle"
          tabIndex={-1}
          aria-label={`Unfold ${f.count} repeated spans`}
          onClick={(e) => {
            e.stopPropagation();
            unfold();
          }}
        >
          ▸
        </button>
        <span className="svc-swatch" style={{ background: p.color }} />
        <span className="svc-name">{s.service}</span>
        <span className="span-name">{s.name}</span>
        <span className="fold-count">× {f.count}</span>
        {f.errorCount > 0 && (
          <span className="error-mark" title={`${f.errorCount} with status ERROR`}>
            !
          </span>
        )}
      </div>
      <div className="bar-col">
        <span className="bar fold-bar" style={{ left: `${left}%`, width: `max(${width}%, 2px)`, background: f.errorCount > 0 ? undefined : p.color }} />
        <span className={`bar-label fold-stats${left + width > 60 ? ' to-left' : ''}`} style={left + width > 60 ? { right: `${100 - left}%` } : { left: `${left + width}%` }}>
          total {formatDuration(f.totalUs)} · min {formatDuration(f.minUs)} · max {formatDuration(f.maxUs)}
        </span>
      </div>
    </div>
  );
}
