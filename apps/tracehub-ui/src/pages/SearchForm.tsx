import { useEffect, useId, useState, type FormEvent } from 'react';
import { getAttributeKeys, getAttributeValues, getOperations, getServices } from '../api/client';
import { useAsync } from '../components/useAsync';
import { RANGES, type SearchState } from '../lib/searchState';
import type { AttributeKey } from '../lib/types';

const none = async () => [] as never[];

export function SearchForm({ value, onSearch }: { value: SearchState; onSearch: (s: SearchState) => void }) {
  const [draft, setDraft] = useState(value);
  // The URL is the source of truth: back/forward or a pasted link resets the form.
  useEffect(() => setDraft(value), [value]);
  const set = <K extends keyof SearchState>(k: K, v: SearchState[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const services = useAsync((s) => getServices(s), 'services');
  const operations = useAsync((s) => (draft.service ? getOperations(draft.service, s) : none()), `ops:${draft.service}`);
  const attrKeys = useAsync((s) => getAttributeKeys(s), 'attrs');
  const opsListId = useId();
  const keysListId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch({ ...draft, attrs: draft.attrs.filter((a) => a.key.trim()) });
  };

  return (
    <form className="search-form" onSubmit={submit} aria-label="Trace search">
      <label>
        Service
        <select value={draft.service} onChange={(e) => setDraft((d) => ({ ...d, service: e.target.value, operation: '' }))}>
          <option value="">All services</option>
          {services.status === 'done' &&
            services.value.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          {draft.service && services.status === 'done' && !services.value.includes(draft.service) && (
            <option value={draft.service}>{draft.service}</option>
          )}
        </select>
      </label>
      <label>
        Operation
        <input
          list={opsListId}
          value={draft.operation}
          placeholder="any"
          onChange={(e) => set('operation', e.target.value)}
        />
        <datalist id={opsListId}>
          {operations.status === 'done' && operations.value.map((o) => <option key={o.name + o.kind} value={o.name} />)}
        </datalist>
      </label>
      <label title="With a service, operation or attribute: that span has the status (one span holds them all)">
        Status
        <select value={draft.status} onChange={(e) => set('status', e.target.value as SearchState['status'])}>
          <option value="">Any</option>
          <option value="error">Has errors</option>
          <option value="ok">OK</option>
          <option value="unset">Unset</option>
        </select>
      </label>
      <label title="The trace's duration">
        Min trace duration
        <input value={draft.minDuration} placeholder="e.g. 100ms" size={8} onChange={(e) => set('minDuration', e.target.value)} />
      </label>
      <label title="The trace's duration">
        Max trace duration
        <input value={draft.maxDuration} placeholder="e.g. 2s" size={8} onChange={(e) => set('maxDuration', e.target.value)} />
      </label>
      <label>
        Time range
        <select value={draft.range} onChange={(e) => set('range', e.target.value as SearchState['range'])}>
          {Object.keys(RANGES).map((r) => (
            <option key={r} value={r}>
              Last {r}
            </option>
          ))}
          <option value="all">All time</option>
          <option value="custom">Custom…</option>
        </select>
      </label>
      {draft.range === 'custom' && (
        <>
          <label>
            From
            <input type="datetime-local" value={draft.start} onChange={(e) => set('start', e.target.value)} />
          </label>
          <label>
            To
            <input type="datetime-local" value={draft.end} onChange={(e) => set('end', e.target.value)} />
          </label>
        </>
      )}
      <label>
        Limit
        <select value={draft.limit} onChange={(e) => set('limit', Number(e.target.value))}>
          {[20, 50, 100, 200, 500, 1000].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="attr-filters">
        <legend>Attributes</legend>
        <datalist id={keysListId}>
          {attrKeys.status === 'done' &&
            [...new Set(attrKeys.value.map((k) => k.key))].map((k) => <option key={k} value={k} />)}
        </datalist>
        {draft.attrs.map((a, i) => (
          <AttributeFilterRow
            key={i}
            keysListId={keysListId}
            keys={attrKeys.status === 'done' ? attrKeys.value : []}
            value={a}
            onChange={(next) => set('attrs', draft.attrs.map((x, j) => (j === i ? next : x)))}
            onRemove={() => set('attrs', draft.attrs.filter((_, j) => j !== i))}
          />
        ))}
        <button type="button" className="small" onClick={() => set('attrs', [...draft.attrs, { key: '', value: '' }])}>
          + attribute
        </button>
      </fieldset>
      <label className="traceql">
        TraceQL
        <input
          value={draft.q}
          placeholder='{ span.http.response.status_code = 500 }'
          spellCheck={false}
          onChange={(e) => set('q', e.target.value)}
        />
      </label>
      <button type="submit" className="primary">
        Search
      </button>
    </form>
  );
}

function AttributeFilterRow(props: {
  keysListId: string;
  keys: AttributeKey[];
  value: { key: string; value: string };
  onChange: (v: { key: string; value: string }) => void;
  onRemove: () => void;
}) {
  const { key, value } = props.value;
  const scopes = props.keys.filter((k) => k.key === key).map((k) => k.scope);
  const scope = scopes.length === 1 ? scopes[0] : undefined;
  const known = scopes.length > 0;
  const values = useAsync((s) => (known ? getAttributeValues(key, scope, s) : none()), `vals:${key}:${scope}:${known}`);
  const valuesId = useId();
  return (
    <span className="attr-row">
      <input
        aria-label="Attribute key"
        list={props.keysListId}
        value={key}
        placeholder="key, e.g. http.route"
        onChange={(e) => props.onChange({ key: e.target.value, value })}
      />
      =
      <input
        aria-label="Attribute value"
        list={valuesId}
        value={value}
        placeholder="value"
        onChange={(e) => props.onChange({ key, value: e.target.value })}
      />
      <datalist id={valuesId}>{values.status === 'done' && values.value.map((v) => <option key={v} value={v} />)}</datalist>
      <button type="button" className="small" aria-label="Remove attribute filter" onClick={props.onRemove}>
        ×
      </button>
    </span>
  );
}
