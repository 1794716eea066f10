// The "Last 15m / 1h / …" window selector with a Refresh button, shared by the
// pages that show an aggregate over a recent window (services, service map).

/** Window lengths in ms, by the name shown and kept in the URL (`?range=`). */
export const WINDOWS_MS = { '15m': 15 * 60_000, '1h': 60 * 60_000, '6h': 6 * 60 * 60_000, '24h': 24 * 60 * 60_000 } as const;
export type WindowKey = keyof typeof WINDOWS_MS;

/** The `range` parameter as one of `offered`, else the default (1h). */
export function windowFrom(raw: string | null, offered: readonly WindowKey[]): WindowKey {
  return raw !== null && (offered as readonly string[]).includes(raw) ? (raw as WindowKey) : '1h';
}

export function WindowControls(props: {
  className: string;
  value: WindowKey;
  offered: readonly WindowKey[];
  onChange: (w: WindowKey) => void;
  onRefresh: () => void;
  note: string;
  noteClassName?: string;
}) {
  return (
    <div className={props.className}>
      <label>
        Window{' '}
        <select value={props.value} onChange={(e) => props.onChange(e.target.value as WindowKey)}>
          {props.offered.map((w) => (
            <option key={w} value={w}>
              Last {w}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={props.onRefresh}>
        Refresh
      </button>
      <span className={props.noteClassName ?? 'muted'}>{props.note}</span>
    </div>
  );
}
