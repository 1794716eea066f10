import { formatValue } from '../lib/format';
import type { Attribute } from '../lib/types';

/** Key/value rows; values are text nodes, so span data never becomes markup. */
export function AttributeTable({ attributes, empty = 'none' }: { attributes: Attribute[]; empty?: string }) {
  if (attributes.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="attrs">
      <tbody>
        {attributes.map((a, i) =>
          a.key === 'exception.stacktrace' ? (
            // Stack traces get the full width, preformatted, as text.
            <tr key={`${a.key}-${i}`}>
              <td colSpan={2} className="stack-cell">
                <div className="stack-key">{a.key}</div>
                <pre className="stack">{formatValue(a.value)}</pre>
              </td>
            </tr>
          ) : (
            <tr key={`${a.key}-${i}`}>
              <th scope="row">{a.key}</th>
              <td>
                <span className={`v-${a.value.type}`}>{formatValue(a.value)}</span>
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
